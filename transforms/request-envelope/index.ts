/**
 * request-envelope (SEP-2575), reading who the client is: on 2026-07-28 there is no `initialize`, so `oninitialized` never fires
 * and `getClientCapabilities()` / `getClientVersion()` (deprecated) describe nothing under `serveStdio`. Every
 * request carries the client's capabilities and info in its `_meta` envelope instead.
 *
 * Inside a request handler (given a `ctx` parameter when it had none), the calls become reads of
 * `ctx.mcpReq.envelope` (cast in TypeScript: the 2.4.0 typings declare the envelope as `{}`).
 * Marked with a TODO instead: `oninitialized` assignments, and calls outside any handler or in a handler without
 * a context parameter.
 */
import { tidyReprint } from '../kit/reprint.js';
import type { API, ASTPath } from 'jscodeshift';
import {
  enclosingFunctionPath,
  isEmptyValue,
  isFunction,
  isLogCall,
  propertyKey,
  statementPathOf
} from '../kit/ast.js';
import { isTypeScript, printOptions } from '../kit/source-style.js';
import { defineTransform, type RewriteContext, type TransformMeta } from '../kit/transform.js';
import { ensureNamedImport } from '../kit/imports.js';
import { mark } from '../kit/markers.js';
import { hoistHookRegistrations, liftCapabilityGates } from './capability-gates.js';
import { CONTEXT_PARAM, helperContext } from './helper-context.js';
import { isSpanWrapper } from '../kit/tool-registrations.js';
import { foreignClasses, onlyInstanceOf } from './instance-classes.js';
import { CLIENT_KNOWN, clientKnownHandler, clientKnownHook } from './client-known-hooks.js';
import {
  CLIENT_KNOWN_MODULE_NAME,
  CLIENT_KNOWN_MODULE_SOURCE,
  clientKnownModuleJs
} from './mcp-client-known.source.js';
import { useSupportModule } from '../kit/support-module.js';
import { isCommonJs } from '../kit/commonjs.js';

const meta: TransformMeta = {
  id: 'request-envelope',
  title: 'Client identity from the request envelope',
  summary: 'getClientCapabilities()/getClientVersion() in handlers → ctx.mcpReq.envelope; oninitialized marked',
  spec: ['SEP-2575'],
  safety: 'safe',
  prefilter:
    /getClientCapabilities|getClientVersion|oninitialized|notifications\/initialized|InitializedNotificationSchema/
};

const KEYS: Record<string, { constant: string; type: string }> = {
  getClientCapabilities: { constant: 'CLIENT_CAPABILITIES_META_KEY', type: 'ClientCapabilities' },
  getClientVersion: { constant: 'CLIENT_INFO_META_KEY', type: 'Implementation' }
};
const INITIALIZED = 'notifications/initialized';
const REGISTRATIONS = /^(registerTool|registerPrompt|registerResource|setRequestHandler|tool|prompt|resource)$/;

function requestEnvelope({ file, j, options }: RewriteContext<undefined>): string | undefined {
  const root = j(file.source);
  const typed = isTypeScript(file.path);
  let changed = false;
  const statementOf = (p: ASTPath<any>) => statementPathOf(p).node;
  const flag = (p: ASTPath<any>, rule: string, message: string) => {
    if (mark(j, statementOf(p), 'TODO', rule, message, options, meta.id)) changed = true;
  };

  const note = (statement: any, message: string, rule = 'capability-gate') => {
    if (mark(j, statement, 'NOTE', rule, message, options, meta.id)) changed = true;
  };
  let hooksCarried = 0;
  const carriedHook = (p: ASTPath<any>) => {
    changed = true;
    hooksCarried++;
    note(
      statementOf(p),
      'this ran once the client had initialized; 2026-07-28 has no initialize, so it runs before the first ' +
        'request that names its client: once per connection under serveStdio, once per request under ' +
        'createMcpHandler (every request has a server of its own)',
      'client-known'
    );
  };
  const ungatedNote = (what: string) =>
    `${what} for every client now: 2026-07-28 has no initialize to learn a client's capabilities from before it ` +
    `calls, and tools/list answers every caller alike; each request carries its client's capabilities ` +
    `(ctx.mcpReq.envelope), and an input request the client did not declare support for is refused with -32021`;
  // Hooks kept under their TODO: an accessor call inside one is covered by it (the hook as a whole never runs on a
  // 2026-07-28 request), so it gets no marker of its own.
  const keptHooks: any[] = [];
  root
    .find(j.AssignmentExpression, { left: { type: 'MemberExpression', property: { name: 'oninitialized' } } })
    // `this.oninitialized = undefined`: clearing the hook (a class declaring it for its own protocol code) sets nothing.
    .filter((p: ASTPath<any>) => !isEmptyValue(p.node.right) && !onForeignInstance(file.source, p.node.left.object))
    .forEach((p: ASTPath<any>) => {
      const { moved, hookRemoved } = hoistHookRegistrations(j, file.source, p);
      if (moved.length > 0) {
        changed = true;
        note(moved[0], ungatedNote('registered at set-up, where oninitialized was assigned,'));
      }
      // A hook reading who the client is runs once the first request names it.
      if (!hookRemoved && clientKnownHook(j, root, p)) {
        carriedHook(p);
        return;
      }
      // Kept: the hook does more than register.
      if (!hookRemoved) {
        keptHooks.push(p.node.right);
        flag(
          p,
          'oninitialized',
          'oninitialized never fires on 2026-07-28 requests (there is no initialize): do its work at set-up or in the ' +
            "handlers that need it, where ctx.mcpReq.envelope names each request's client"
        );
      }
    });

  // `setNotificationHandler(InitializedNotificationSchema, …)` (the surface rewrite names it by its method): the same
  // hook, registered as a handler; no 2026-07-28 client sends notifications/initialized.
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'setNotificationHandler' } } })
    .filter((p: ASTPath<any>) => {
      const [method, fn] = p.node.arguments;
      // A client's handler waits for what no server sends, in either era: not this hook.
      const receiver = p.node.callee.object;
      const named = receiver.type === 'Identifier' ? receiver.name : receiver.property?.name;
      if (/client$/i.test(named ?? '')) return false;
      return isFunction(fn) && (method?.value === INITIALIZED || method?.name === 'InitializedNotificationSchema');
    })
    .forEach((p: ASTPath<any>) => {
      if (clientKnownHandler(j, root, p)) {
        carriedHook(p);
        return;
      }
      keptHooks.push(p.node.arguments[1]);
      flag(
        p,
        'oninitialized',
        'the notifications/initialized handler never runs on 2026-07-28 (there is no initialize); do its work at ' +
          'set-up, or read the client from ctx.mcpReq.envelope inside each handler'
      );
    });

  // `getClientCapabilities()` / `getClientVersion()` calls still to read from the envelope.
  const accessorCalls = () =>
    root
      .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
      .filter(
        (p: ASTPath<any>) =>
          Object.hasOwn(KEYS, p.node.callee.property?.name) &&
          p.node.arguments.length === 0 &&
          !isEnvelopeFallback(j, p)
      );
  const outside = accessorCalls()
    .filter((p: ASTPath<any>) => !enclosingHandler(p))
    .paths();
  const handlerOf = (use: ASTPath<any>) =>
    enclosingHandler(use)?.fn ?? (contextAlreadyRead(j, use) ? enclosingFunctionPath(use)?.node : undefined);
  const lift = liftCapabilityGates(j, file.source, outside, handlerOf);
  if (lift.handled.size > 0) changed = true;
  for (const s of lift.ungated) note(s, ungatedNote('registered'));
  for (const d of lift.loggedOnly)
    note(
      d,
      'getClientCapabilities() outside a request handler describes no client on 2026-07-28 (undefined under ' +
        'serveStdio); it is only logged here'
    );

  // Found again: the lift moved and removed statements, so paths found before it may no longer be in the tree.
  accessorCalls().forEach((p: ASTPath<any>) => {
    if (lift.handled.has(p.node)) return;
    const method = p.node.callee.property.name;
    const key = KEYS[method];
    const inHook = keptHooks.some(hook => hook.start <= p.node.start && p.node.end <= hook.end);
    // A helper every caller of which is a handler is handed that handler's context.
    const contextOfCall = (call: ASTPath<any>, add: boolean, depth = 0): string | undefined => {
      const direct = handlerContext(j, call, add);
      if (direct !== undefined || depth >= 2) return direct;
      // The call sits in a helper of its own that a handler (or such a helper) calls: that helper is handed one.
      const outer = (c: ASTPath<any>, a: boolean) => contextOfCall(c, a, depth + 1);
      const threaded = helperContext(j, root, call, outer, typed, !add);
      if (threaded?.added && add && typed)
        ensureNamedImport(j, root, '@modelcontextprotocol/server', 'ServerContext', true);
      return threaded?.name;
    };
    // A helper already handed a handler's context (`confirm(server, message, ctx: ServerContext)`, as
    // push-to-input-required leaves an asking helper) reads the client from it.
    const inHelper = !enclosingHandler(p) && !inHook;
    const helper = inHelper ? (givenContext(p) ?? helperContext(j, root, p, contextOfCall, typed)) : undefined;
    if (helper?.added && typed) ensureNamedImport(j, root, '@modelcontextprotocol/server', 'ServerContext', true);
    const ctxName = handlerContext(j, p) ?? helper?.name;
    if (!ctxName) {
      if (inHook) return;
      if (toleratesAbsence(j, p)) {
        // The code already reads the answer with `?.`: on a 2026 stdio connection it takes its own fallback.
        if (
          mark(
            j,
            statementOf(p),
            'NOTE',
            'client-identity',
            `${method}() outside a request handler returns undefined on 2026-07-28 stdio connections, and this code ` +
              `falls back then; for the real client, read ctx.mcpReq.envelope inside the handler`,
            options,
            meta.id
          )
        )
          changed = true;
        return;
      }
      const reporter = reportedTo(p);
      if (reporter) {
        // `trackUsage(tool, server.server.getClientVersion(), error)`: the code runs on; the record lacks the client.
        if (
          mark(
            j,
            statementOf(p),
            'NOTE',
            'client-identity',
            `${method}() outside a request handler returns undefined on 2026-07-28 stdio connections; here it is only ` +
              `passed to ${reporter}, which then records no client; for the real client, hand the handler's ` +
              `ctx.mcpReq.envelope down to it`,
            options,
            meta.id
          )
        )
          changed = true;
        return;
      }
      flag(
        p,
        'client-identity',
        `${method}() outside a request handler has no client to describe on 2026-07-28; move the check into a handler and read ctx.mcpReq.envelope`
      );
      return;
    }
    // `ctx?.mcpReq.envelope` where the helper's callers elsewhere may pass no context.
    const envelope = helper?.added
      ? j.optionalMemberExpression(
          j.optionalMemberExpression(j.identifier(ctxName), j.identifier('mcpReq'), false, true),
          j.identifier('envelope'),
          false,
          false
        )
      : j.memberExpression(j.memberExpression(j.identifier(ctxName), j.identifier('mcpReq')), j.identifier('envelope'));
    const record = typed
      ? j.tsAsExpression(
          envelope,
          j.tsUnionType([
            j.tsTypeReference(
              j.identifier('Record'),
              j.tsTypeParameterInstantiation([j.tsStringKeyword(), j.tsUnknownKeyword()])
            ),
            j.tsUndefinedKeyword()
          ])
        )
      : envelope;
    const read = j.optionalMemberExpression(
      typed ? parenthesize(j, record) : record,
      j.identifier(key.constant),
      true,
      true
    );
    const cast = typed
      ? j.tsAsExpression(read, j.tsUnionType([j.tsTypeReference(j.identifier(key.type)), j.tsUndefinedKeyword()]))
      : read;
    // A 2025-era connection (stdio, or a sessionful deployment) sends no envelope: the initialize-scoped accessor
    // still answers there, so it stays as the fallback and both eras see the client.
    const both = j.logicalExpression('??', typed ? parenthesize(j, cast) : cast, p.node);
    j(p).replaceWith(parenthesize(j, both));
    ensureNamedImport(j, root, '@modelcontextprotocol/server', key.constant);
    if (typed) ensureNamedImport(j, root, '@modelcontextprotocol/server', key.type, true);
    changed = true;
  });
  if (hooksCarried > 0) {
    const from = typed
      ? useSupportModule(file.path, options, CLIENT_KNOWN_MODULE_NAME, CLIENT_KNOWN_MODULE_SOURCE)
      : useSupportModule(file.path, options, CLIENT_KNOWN_MODULE_NAME, clientKnownModuleJs(isCommonJs(root)), 'js');
    ensureNamedImport(j, root, from, CLIENT_KNOWN);
  }
  return changed ? tidyReprint(file.source, root.toSource(printOptions(file.source))) : undefined;
}

/** The call is already the fallback of an envelope read (`envelope?.[KEY] ?? server.getClientCapabilities()`). */
function isEnvelopeFallback(j: API['jscodeshift'], p: ASTPath<any>): boolean {
  let cur = p.parent;
  while (cur && (cur.node.type === 'ParenthesizedExpression' || cur.node.type === 'TSAsExpression')) cur = cur.parent;
  const n = cur?.node;
  return (
    n?.type === 'LogicalExpression' &&
    n.operator === '??' &&
    j(n.left).find(j.Identifier, { name: 'envelope' }).size() > 0
  );
}

function parenthesize(j: API['jscodeshift'], e: any): any {
  return j.parenthesizedExpression ? j.parenthesizedExpression(e) : e;
}

/**
 * The parameter of the function around `p` typed as a handler context (`ctx: ServerContext`), if it has one; read
 * with `?.` when it is optional (`added`, as for one helper-context.ts adds).
 */
function givenContext(p: ASTPath<any>): { name: string; added: boolean } | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    if (!isFunction(cur.node)) continue;
    const param = (cur.node.params as any[]).find(
      x => x.type === 'Identifier' && x.typeAnnotation?.typeAnnotation?.typeName?.name === 'ServerContext'
    );
    if (param) return { name: param.name, added: !!param.optional };
  }
  return undefined;
}

/** The registration callback (and the register call it is handed to) this call sits in, if any. */
function enclosingHandler(p: ASTPath<any>): { fn: any; call: any } | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (!['ArrowFunctionExpression', 'FunctionExpression'].includes(n.type)) continue;
    // Through the span the logging rewrite wrapped the handler in.
    const holder = isSpanWrapper(cur.parent?.node) ? cur.parent?.parent : cur.parent;
    const call = holder?.node;
    if (call?.type === 'CallExpression' && REGISTRATIONS.test(call.callee?.property?.name ?? ''))
      return { fn: n, call };
  }
  return undefined;
}

/** The context parameter of the registration callback this call sits in, if any. */
function handlerContext(j: API['jscodeshift'], p: ASTPath<any>, add = true): string | undefined {
  const handler = enclosingHandler(p);
  if (!handler) return contextAlreadyRead(j, p);
  const param = handler.fn.params.find((x: any) => x.type === 'Identifier' && CONTEXT_PARAM.test(x.name));
  return param?.name ?? addContextParameter(j, handler.call, handler.fn, add);
}

/**
 * A function that already reads a parameter as the v2 context (`ctx.mcpReq.inputResponses`: a tool function of a
 * lookup table, handed the context by the rewrite before this one): the client is read from that parameter too.
 */
function contextAlreadyRead(j: API['jscodeshift'], p: ASTPath<any>): string | undefined {
  const fn = enclosingFunctionPath(p)?.node;
  const params: any[] = fn?.params ?? [];
  return params
    .filter((x: any) => x.type === 'Identifier' && CONTEXT_PARAM.test(x.name))
    .map((x: any) => x.name as string)
    .find(name =>
      j(fn.body)
        .find(j.MemberExpression, { object: { type: 'Identifier', name }, property: { name: 'mcpReq' } })
        .size()
    );
}

/**
 * v1 handlers often omit the context parameter they never needed; give them one where v2's position for it is
 * known: `(args, ctx)` for a tool or prompt with a schema, `(ctx)` without one, `(request, ctx)` for a low-level
 * handler. Anything else (resources, rest parameters) stays marked.
 */
function addContextParameter(j: API['jscodeshift'], call: any, fn: any, add = true): string | undefined {
  const method = call.callee.property.name;
  const config = call.arguments[1]?.type === 'ObjectExpression' ? call.arguments[1] : undefined;
  const schemaKey = method === 'registerTool' ? 'inputSchema' : method === 'registerPrompt' ? 'argsSchema' : undefined;
  let index: number;
  if (method === 'setRequestHandler') index = 1;
  else if (schemaKey && config && call.arguments.length >= 3)
    index = config.properties.some((p: any) => propertyKey(p) === schemaKey) ? 1 : 0;
  else return undefined;
  if (fn.params.length > index || fn.params.some((p: any) => p.type === 'RestElement')) return undefined;
  const taken = new Set(
    fn.params.flatMap((p: any) =>
      j(p)
        .find(j.Identifier)
        .nodes()
        .map((x: any) => x.name)
    )
  );
  if (taken.has('ctx')) return undefined;
  if (!add) return 'ctx';
  if (fn.params.length < index) fn.params.push(j.identifier(method === 'setRequestHandler' ? '_request' : '_args'));
  fn.params.push(j.identifier('ctx'));
  return 'ctx';
}

export default defineTransform({ meta, rewrite: requestEnvelope });

/** Telemetry calls by name: usage tracking, analytics, metrics. */
const TELEMETRY = /^(?:track|capture)[A-Z_]|^(?:track|capture)$|analytics|telemetry|metric/i;

/**
 * The log or telemetry call the accessor's answer is handed to as an argument, by name (`trackMCP`), when that is all
 * it is used for: such a call records an undefined client and the code runs on.
 */
function reportedTo(p: ASTPath<any>): string | undefined {
  const call = p.parent?.node;
  if (call?.type !== 'CallExpression' || !call.arguments.includes(p.node)) return undefined;
  const callee = call.callee;
  const name =
    callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? callee.property?.name : '';
  if (isLogCall(call)) return `a log call (\`${name}\`)`;
  return name && TELEMETRY.test(name) ? `\`${name}\`` : undefined;
}

/** Is the value read only through `?.` (`getClientVersion()?.name`, or a const every use of which is `info?.x`)? */
function toleratesAbsence(j: API['jscodeshift'], p: ASTPath<any>): boolean {
  const optionalRead = (use: ASTPath<any>) => {
    const parent = use.parent?.node;
    return (
      (parent?.type === 'OptionalMemberExpression' || (parent?.type === 'MemberExpression' && parent.optional)) &&
      parent.object === use.node
    );
  };
  if (optionalRead(p)) return true;
  const declarator = p.parent?.node;
  if (declarator?.type !== 'VariableDeclarator' || declarator.id.type !== 'Identifier' || declarator.init !== p.node)
    return false;
  const name = declarator.id.name;
  const scope = p.parent.scope?.lookup(name);
  const uses = j(p.parent.parent.parent)
    .find(j.Identifier, { name })
    .filter((u: ASTPath<any>) => u.node !== declarator.id && u.scope?.lookup(name) === scope)
    .paths();
  if (uses.length > 0 && uses.every(optionalRead)) return true;
  // `const u = server.getClientVersion(); if (u) return { name: u.name }` in a function the handlers call later (a
  // getter handed to them): every use is behind a test of the value. Not in a function that registers on the server,
  // where an undefined answer at set-up would leave the registration out for every client.
  return uses.length > 0 && uses.every(u => guardedBy(u, name)) && !registersInItsFunction(j, p);
}

/** `u` as the test of an `if` / `?:` / `&&`, or a read inside the branch or right operand such a test guards. */
function guardedBy(use: ASTPath<any>, name: string): boolean {
  const testsIt = (test: any): boolean =>
    (test?.type === 'Identifier' && test.name === name) ||
    (test?.type === 'LogicalExpression' && test.operator === '&&' && testsIt(test.left));
  const parent = use.parent?.node;
  if (/^(?:IfStatement|ConditionalExpression)$/.test(parent?.type) && parent.test === use.node) return true;
  if (parent?.type === 'LogicalExpression' && parent.left === use.node && /^(?:&&|\?\?|\|\|)$/.test(parent.operator))
    return true;
  for (let cur: ASTPath<any> = use; cur.parent; cur = cur.parent) {
    const up = cur.parent.node;
    if (isFunction(up)) return false;
    if ((up.type === 'IfStatement' || up.type === 'ConditionalExpression') && up.consequent === cur.node)
      return testsIt(up.test);
    if (up.type === 'LogicalExpression' && up.operator === '&&' && up.right === cur.node) return testsIt(up.left);
  }
  return false;
}

/** Does the function around `p` itself register tools, resources, prompts or handlers (set-up code)? */
function registersInItsFunction(j: API['jscodeshift'], p: ASTPath<any>): boolean {
  const fn = enclosingFunctionPath(p);
  if (!fn) return true;
  return j(fn.node.body)
    .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
    .some((c: ASTPath<any>) =>
      /^(?:registerTool|registerResource|registerPrompt|tool|resource|prompt|setRequestHandler)$/.test(
        c.node.callee.property?.name ?? ''
      )
    );
}

/**
 * Is `receiver` a value the file declares only as an instance of a class from another package than the SDK (an MCP
 * Apps host's `AppBridge`)? Its `oninitialized` is that protocol's own hook, which 2026-07-28 did not touch.
 */
function onForeignInstance(source: string, receiver: any): boolean {
  return typeof receiver.end === 'number' && onlyInstanceOf(source, receiver.end, foreignClasses(source));
}
