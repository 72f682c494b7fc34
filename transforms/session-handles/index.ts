/**
 * session-handles: state kept per session becomes state kept per handle (SEP-2567). 2026-07-28 has no sessions, so
 * `ctx.sessionId` is undefined and a per-session factory runs per request. Where a tool handler keys
 * module-level state by the session id (a Map or record, or an accessor such as `getOrCreateSession(sid)`,
 * possibly imported from another file), or where a per-session factory keeps state in its closure:
 * - the state is keyed by a server-minted handle instead; a shared registry (the generated `mcp-handles.ts`)
 *   mints handles with 128 random bits, binds each to the caller's principal, expires idle ones and drops
 *   their state;
 * - `create_<noun>` / `destroy_<noun>` tools are registered on the server, the create tool running the
 *   state's former lazy initialisation;
 * - every tool that used the state takes a required `<noun>_id` argument and answers an unknown, expired or
 *   foreign handle with an `isError` result that says to call `create_<noun>`.
 * Where the session id is something a handle cannot replace (auth binding, rate limits, routing, elicitation
 * correlation, anything unrecognised) or tool lists change per session, a TODO marker says what to do instead.
 * Runs before stateless-entry, while the v1 session cleanup code it reads is still there.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { dominantQuote, indentUnit, isTypeScript } from '../kit/source-style.js';
import {
  codeExcerpt,
  functionsByName,
  isValueReference,
  moduleScopeNames,
  objectProperties,
  registersSetLevel,
  statementPathOf,
  uniqueName
} from '../kit/ast.js';
import { closureStateGroups } from './closure-state.js';
import { endingMethod, methodStoreNoun, methodStores } from './method-stores.js';
import { entryCreation } from './entry-start.js';
import { fieldStoreLifecycle, fieldStoreProblem, fieldStores, type FieldStore } from './field-stores.js';
import { defineTransform, type RewriteContext, type TransformMeta } from '../kit/transform.js';
import { DROP_VERB, handleNoun, readSessionHandlesConfig, type SessionHandlesConfig } from './handle-naming.js';
import { HANDLES_MODULE_NAME, HANDLES_MODULE_SOURCE } from './mcp-handles.source.js';
import { markerEdit, markerForNewCode } from '../kit/markers.js';
import { useSupportModule } from '../kit/support-module.js';
import { isGateFunction, isTested, SESSION_GATE } from './session-gates.js';
import { categoryOf, MAP_METHOD, sessionReads, type SessionRead, type SessionUse } from './session-uses.js';
import { LOG_CORRELATION_NOTE, requestIdForPrintedReads } from './log-correlation.js';
import type { HandleGroup } from './types.js';
import { applyEdits, lineIndent, lineStartOf, type TextEdit } from '../kit/text-edits.js';
import { parseForEdits } from '../kit/parse.js';
import {
  addCallbackArgument,
  addSchemaArgument,
  property,
  toolRegistrations,
  type ToolRegistration
} from '../kit/tool-registrations.js';
import { importLineEdit, namedImportEdit, zodNamespace } from '../kit/import-edits.js';

const meta: TransformMeta = {
  id: 'session-handles',
  title: 'Session state → explicit handles',
  summary:
    'state keyed by the session id (Maps, accessors, per-session closures) → create_<noun> tools and <noun>_id arguments',
  spec: ['SEP-2567'],
  safety: 'review',
  prefilter: /\.sessionId\b|sessionIdGenerator|sendToolListChanged|\.(enable|disable|remove)\(\)/
};

type Node = any;

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
const TOOL_LIST_CHANGES = /^(enable|disable|remove)$/;

function sessionHandles({ file, j, options, config }: RewriteContext<SessionHandlesConfig>): string | undefined {
  const src = file.source;
  const root = parseForEdits(j, file.path, src);
  const typed = isTypeScript(file.path);
  const q = dominantQuote(src);
  const edits: TextEdit[] = [];
  const mark = (p: ASTPath<any> | Node, rule: string, message: string, kind: 'TODO' | 'NOTE' = 'TODO') => {
    const node = p.node ? statementPathOf(p).node : p;
    const e = markerEdit(src, node, kind, `${meta.id}/${rule}`, message, options);
    if (e) edits.push(e);
  };
  const moduleNames = moduleScopeNames(root);
  const tools = toolRegistrations(j, root, src);
  const groups = new Map<string, HandleGroup>();
  const logLevels = logLevelStores(j, root);
  const fields = fieldStores(j, root);
  const fieldNames = new Set(fields.keys());
  const toolCallbacks = new Set<Node>(tools.map(t => t.callback));
  const objects = methodStores(j, root);
  const objectNames = new Set(objects.keys());
  const functions = functionsByName(j, root);

  const readsOf = new Map<ToolRegistration, SessionRead[]>();
  for (const tool of tools)
    if (tool.ctxName)
      readsOf.set(
        tool,
        sessionReads(j, tool.callback, tool.ctxName, moduleNames, fieldNames, objectNames).filter(
          r => r.uses.length === 0 || r.uses.some(u => u.kind !== 'ignored')
        )
      );
  const stateName = stateNames(
    j,
    functions,
    moduleNames,
    [...readsOf.values()].flat().flatMap(r => r.uses)
  );
  for (const tool of tools) {
    // One marker per rule per tool: the first site says it, repeating it on every line is noise.
    const marked = new Set<string>();
    const todo = (p: ASTPath<any> | Node, rule: string, message: string) => {
      if (marked.has(rule)) return;
      marked.add(rule);
      mark(p, rule, message);
    };
    j(tool.callback)
      .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
      .filter(
        (p: ASTPath<any>) =>
          (TOOL_LIST_CHANGES.test(p.node.callee.property?.name) && p.node.arguments.length === 0) ||
          p.node.callee.property?.name === 'sendToolListChanged'
      )
      .forEach((p: ASTPath<any>) =>
        todo(
          p,
          'dynamic-tool-list',
          'this tool changes the tool list as a side effect; on 2026-07-28 lists must not vary per connection. ' +
            'Register every tool up front, give the gated tools a handle argument, and answer "not unlocked yet" ' +
            'with an isError result'
        )
      );
    const reads = readsOf.get(tool);
    if (!reads?.length) continue;
    const uses = reads.flatMap(r => r.uses);
    const state = uses.filter(u => u.kind === 'store' || u.kind === 'accessor');
    let blocked = false;
    for (const u of state) {
      const category = logLevels.has(u.name!)
        ? LOG_LEVEL
        : (categoryOf(u.name) ??
          (u.kind === 'accessor' && isTested(u.at.parent) && isGateFunction(j, functions.get(u.name!))
            ? SESSION_GATE
            : undefined));
      if (category) {
        todo(u.at, category.rule, category.message);
        blocked = true;
      }
    }
    for (const u of uses.filter(u => u.kind === 'other')) {
      todo(
        u.at,
        'session-id',
        'ctx.sessionId is undefined on 2026-07-28 (there are no sessions): key per-caller data by ' +
          'ctx.http?.authInfo, per-request data by ctx.mcpReq.id, and state that spans calls by a handle ' +
          'argument'
      );
      blocked = true;
    }
    const sources = new Set(state.map(stateName));
    if (!blocked && sources.size > 1) {
      todo(
        tool.path,
        'several-stores',
        `one session id keys ${[...sources].join(', ')} here; decide which handle(s) this tool takes`
      );
      blocked = true;
    }
    if (!blocked && state.length === 0) {
      const printed = requestIdForPrintedReads(reads, tool.ctxName!);
      if (printed) {
        edits.push(...printed);
        mark(reads[0]!.uses[0]!.at, 'log-correlation', LOG_CORRELATION_NOTE, 'NOTE');
        continue;
      }
      todo(
        reads[0]!.uses[0]?.at ?? tool.path,
        'session-id',
        'ctx.sessionId is undefined on 2026-07-28 (there are no sessions): correlate by ctx.mcpReq.id or the trace id instead'
      );
      blocked = true;
    }
    if (blocked) continue;
    const source = [...sources][0]!;
    const className = objects.get(source);
    const noun = className
      ? methodStoreNoun(source, className, config.names)
      : handleNoun(source.replace(/^this\./, ''), config.names);
    const group = groups.get(noun) ?? { noun, source, tools: [] };
    // The group is named after how its state is reached (getOrCreateSession), not how it is dropped.
    if (DROP_VERB.test(group.source) && !DROP_VERB.test(source)) group.source = source;
    group.tools.push({ tool, reads });
    groups.set(noun, group);
  }

  for (const [noun, group] of groups) {
    // An object whose calls with the session id never hand anything back (`metrics.record(sid)`) is not known to
    // keep state a handle could stand for.
    if (
      objects.has(group.source) &&
      !mapOrRecordUse(j, root, group.source) &&
      !group.tools.some(t => t.reads.some(r => r.uses.some(u => handsBackState(u.at))))
    ) {
      for (const { tool, reads } of group.tools)
        mark(
          reads[0]!.uses[0]?.at ?? tool.path,
          'session-id',
          `ctx.sessionId is undefined on 2026-07-28 (there are no sessions): nothing here reads state back from ` +
            `${group.source}, so it is not known to keep state a handle could stand for; key it by the principal ` +
            `(ctx.http?.authInfo) or the request (ctx.mcpReq.id) instead`
        );
      groups.delete(noun);
      continue;
    }
    const field = fields.get(group.source);
    const problem =
      field &&
      fieldStoreProblem(
        j,
        root,
        field,
        group.tools.map(t => t.tool)
      );
    if (problem) {
      for (const { tool } of group.tools)
        mark(
          tool.path,
          'instance-state',
          `this tool keeps ${group.source} per session, which 2026-07-28 no longer has, but ${problem}; then give ` +
            `it a ${noun}_id handle argument (see docs/session-handles.md)`
        );
      groups.delete(noun);
      continue;
    }
    Object.assign(
      group,
      storeLifecycle(j, root, src, group.source, group.noun, moduleNames, toolCallbacks, field, objects)
    );
  }
  for (const group of closureStateGroups(j, root, src, tools, config.names, typed))
    if (!groups.has(group.noun)) groups.set(group.noun, group);
  if (groups.size === 0) return finish(src, edits);
  if (!typed) {
    for (const group of groups.values())
      for (const { tool } of group.tools)
        mark(
          tool.path,
          'javascript',
          `this tool keeps ${group.source} per session, which 2026-07-28 no longer has; ` +
            `give it a ${group.noun}_id handle argument (see docs/session-handles.md)`
        );
    return finish(src, edits);
  }

  const zod = zodNamespace(j, root);
  const unit = indentUnit(src);
  let needFromJsonSchema = false;
  const header: string[] = [];
  for (const group of groups.values()) {
    const arg = `${group.noun}_id`;
    const registryName = uniqueName(j, root, `${camel(group.noun)}Handles`);
    // A registry held in a field of the class that holds the store is reached through the instance.
    const registry = group.member ? `this.${registryName}` : registryName;
    const converted: ToolRegistration[] = [];
    for (const plan of group.tools) {
      const { tool } = plan;
      const hadSchema = !!property(tool.config, 'inputSchema');
      const schema = addSchemaArgument(src, tool, arg, `Handle returned by create_${group.noun}`, {
        zod,
        quote: q,
        typed
      });
      const callback = typeof schema === 'string' ? schema : addCallbackArgument(src, tool, arg, hadSchema);
      if (typeof schema === 'string' || typeof callback === 'string') {
        mark(
          tool.path,
          'tool-arguments',
          `this tool needs a ${arg} argument (${group.source} was kept per session) but ${typeof schema === 'string' ? schema : callback}`
        );
        continue;
      }
      if (schema.needs) needFromJsonSchema = true;
      edits.push(...schema.edits, ...callback.edits);
      for (const read of plan.reads)
        edits.push({ start: read.expression.start, end: read.expression.end, text: callback.handle });
      edits.push(
        ...guardEdits(src, tool, registry, group, callback.handle, callback.ctx, plan.closureRefs, typed, unit)
      );
      converted.push(tool);
    }
    if (converted.length === 0) continue;
    edits.push(...(group.edits ?? []));
    const init = group.init ? `, { init: ${group.init} }` : '';
    const seenBlocks = new Set<Node>();
    for (const tool of converted) {
      const statement = statementPathOf(tool.path);
      if (seenBlocks.has(statement.parent?.node)) continue;
      seenBlocks.add(statement.parent?.node);
      const lineStart = lineStartOf(src, statement.node.start);
      edits.push({
        start: lineStart,
        end: lineStart,
        text: `${lineIndent(src, lineStart)}registerHandleTools(${tool.server}, ${registry}${init});\n`
      });
    }
    const onExpire = group.onExpire ? `, onExpire: ${group.onExpire}` : '';
    const line = group.after?.loc?.start.line ?? 1;
    let marker = '';
    if (group.todo) marker = markerForNewCode(options, 'TODO', `${meta.id}/cleanup`, group.todo, line);
    else if (!group.onExpire) {
      const note = `nothing here drops ${group.source}'s state when a ${group.noun} handle expires; pass onExpire: id => … to free it`;
      marker = markerForNewCode(options, 'NOTE', `${meta.id}/expiry`, note, line);
    }
    const created = `handleRegistry(${q}${group.noun}${q}, { ttlMs: ${ttlOf(config)}${onExpire} });`;
    if (group.member) {
      const indent = lineIndent(src, group.after.start);
      const modifiers = `${group.after.accessibility ? `${group.after.accessibility} ` : ''}readonly `;
      const lines = `${marker}${modifiers}${registryName} = ${created}`.replace(/\n(?=.)/g, `\n${indent}`);
      edits.push({ start: group.after.end, end: group.after.end, text: `\n${indent}${lines}` });
    } else {
      const declaration = `${group.prelude ?? ''}${marker}const ${registryName} = ${created}`;
      if (group.after) edits.push({ start: group.after.end, end: group.after.end, text: `\n${declaration}` });
      else header.push(declaration);
    }
    options.report?.({
      rule: `${meta.id}/converted`,
      line: converted[0]!.path.node.loc?.start.line ?? 1,
      column: 1,
      severity: 'info',
      message:
        `${group.source} is now kept per ${arg} handle: create_${group.noun} mints one; ` +
        `${converted.map(t => t.name).join(', ')} ${converted.length === 1 ? 'takes' : 'take'} it`
    });
  }
  const rel = useSupportModule(file.path, options, HANDLES_MODULE_NAME, HANDLES_MODULE_SOURCE);
  const declarations = header.length ? `\n\n${header.join('\n')}` : '';
  edits.push(
    importLineEdit(j, root, `import { handleRegistry, registerHandleTools } from ${q}${rel}${q};${declarations}`)
  );
  if (needFromJsonSchema) {
    const e = namedImportEdit(j, root, src, '@modelcontextprotocol/server', 'fromJsonSchema', q);
    if (e) edits.push(e);
  }
  return finish(src, edits);
}

/** How the file uses `name` when it reads it as a store: through a Map's methods, by computed keys, or not as one. */
function mapOrRecordUse(j: JSCodeshift, root: any, name: string): 'map' | 'record' | undefined {
  const members = root.find(j.MemberExpression, { object: { type: 'Identifier', name } });
  if (members.some((p: ASTPath<any>) => !p.node.computed && MAP_METHOD.test(p.node.property?.name))) return 'map';
  return members.some((p: ASTPath<any>) => p.node.computed) ? 'record' : undefined;
}

/** Is what the call reading the session id returns used (`const game = store.get(sid)`): the object hands state back. */
function handsBackState(read: ASTPath<any>): boolean {
  let call = read.parent;
  if (call?.node.type !== 'CallExpression') return false;
  while (
    /^(?:AwaitExpression|TSNonNullExpression|TSAsExpression|ParenthesizedExpression)$/.test(call.parent?.node.type)
  )
    call = call.parent;
  return call.parent?.node.type !== 'ExpressionStatement';
}

function finish(src: string, edits: TextEdit[]): string | undefined {
  const out = edits.length ? applyEdits(src, edits) : undefined;
  return out === src ? undefined : out;
}

/** The guard at the top of a converted tool (and, for closure state, the local that replaces the closure). */
function guardEdits(
  src: string,
  tool: ToolRegistration,
  registry: string,
  group: HandleGroup,
  handle: string,
  ctx: string,
  closureRefs: ASTPath<any>[] | undefined,
  typed: boolean,
  unit: string
): TextEdit[] {
  const body = tool.callback.body;
  const error = `${camel(group.noun)}Error`;
  const check = `${registry}.check(${handle}, ${ctx})`;
  const stateLocal = `${camel(group.noun)}State`;
  const bang = typed ? '!' : '';
  const edits: TextEdit[] = [];
  if (body.type !== 'BlockStatement') {
    // `=> expr` becomes `=> check ?? (expr)`: the check's tool error wins, otherwise the old result.
    const start = body.extra?.parenthesized ? src.lastIndexOf('(', body.start) : body.start;
    const end = body.extra?.parenthesized ? src.indexOf(')', body.end) + 1 : body.end;
    edits.push({ start, end: start, text: `${check} ?? ${body.extra?.parenthesized ? '' : '('}` });
    if (!body.extra?.parenthesized) edits.push({ start: end, end, text: ')' });
    for (const ref of closureRefs ?? []) edits.push(closureRefEdit(ref, `${group.stateMap}.get(${handle})${bang}`));
    return edits;
  }
  const first = body.body[0];
  const lineStart = first ? lineStartOf(src, first.start) : body.start + 1;
  const indent = first ? lineIndent(src, first.start) : unit;
  const state = closureRefs?.length ? `${indent}const ${stateLocal} = ${group.stateMap}.get(${handle})${bang};\n` : '';
  edits.push({
    start: lineStart,
    end: lineStart,
    text: `${first ? '' : '\n'}${indent}const ${error} = ${check};\n${indent}if (${error}) return ${error};\n${state}`
  });
  for (const ref of closureRefs ?? []) edits.push(closureRefEdit(ref, stateLocal));
  return edits;
}

function closureRefEdit(ref: ASTPath<any>, holder: string): TextEdit {
  const parent = ref.parent?.node;
  if (
    (parent?.type === 'ObjectProperty' || parent?.type === 'Property') &&
    parent.shorthand &&
    parent.value === ref.node
  ) {
    return { start: parent.start, end: parent.end, text: `${ref.node.name}: ${holder}.${ref.node.name}` };
  }
  return { start: ref.node.start, end: ref.node.end, text: `${holder}.${ref.node.name}` };
}

/** Does the accessor `name` need nothing but the key: by its own parameters, else (imported) by every call of it. */
function takesOnlyTheKey(j: JSCodeshift, root: any, decl: Node, name: string): boolean {
  const fn = accessorFunction(decl, name);
  if (fn)
    return fn.params
      .slice(1)
      .every((p: Node) => p.type === 'AssignmentPattern' || p.type === 'RestElement' || p.optional === true);
  return root
    .find(j.CallExpression, { callee: { type: 'Identifier', name } })
    .every((p: ASTPath<any>) => p.node.arguments.length <= 1);
}

/**
 * How a store's entries start and end: the value the v1 code lazily created for a session (`carts.set(sid,
 * INIT)`, `state[sid] = INIT`, or an accessor that creates on first call), how to drop one, and whether v1
 * ran cleanup on session close that the expiry cannot reproduce.
 */
function storeLifecycle(
  j: JSCodeshift,
  root: any,
  src: string,
  name: string,
  noun: string,
  moduleNames: Set<string>,
  toolCallbacks: Set<Node>,
  field?: FieldStore,
  objects: Map<string, string> = new Map()
): Partial<HandleGroup> {
  const declared = (root.get().node.program.body as Node[]).find(s => {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    return (
      (d?.type === 'VariableDeclaration' && d.declarations.some((x: Node) => x.id.name === name)) ||
      (d?.type === 'FunctionDeclaration' && d.id?.name === name)
    );
  });
  const decl = declared?.type === 'ExportNamedDeclaration' ? declared.declaration : declared;
  // A store another module declares (`import { carts } from './state.js'`) is known by how it is used: a Map's
  // methods or a record's keys, where an imported accessor is called.
  const imported = !decl && mapOrRecordUse(j, root, name);
  const isStore =
    !!imported ||
    (decl?.type === 'VariableDeclaration' &&
      !decl.declarations.some((x: Node) => x.id.name === name && /Function/.test(x.init?.type ?? '')));
  const locals = localNames(j, root, moduleNames);
  const portable = (n: Node) =>
    !j(n)
      .find(j.Identifier)
      .some((p: ASTPath<any>) => isValueReference(p) && locals.has(p.node.name)) &&
    !(n.type === 'Identifier' && locals.has(n.name));
  const cleanup = cleanupFunctions(j, root);
  // A method store's own ending method (`store.end(sid)`) is what onExpire runs: cleanup calling it is carried over.
  const ending = objects.has(name) ? endingMethod(j, root, name) : undefined;
  const drops = (method: string | undefined) => method === 'delete' || (!!ending && method === ending);
  // A read of the store (`carts`, or the field `this.games`) that is not its `.delete(…)`.
  const reads = (fn: Node) =>
    field
      ? j(fn)
          .find(j.MemberExpression, { object: { type: 'ThisExpression' }, property: { name: field.field } })
          .some(
            (p: ASTPath<any>) =>
              !(p.parent.node.type === 'MemberExpression' && p.parent.node.property?.name === 'delete')
          )
      : j(fn)
          .find(j.Identifier, { name })
          .some(
            (p: ASTPath<any>) =>
              isValueReference(p) && !(p.parent.node.type === 'MemberExpression' && drops(p.parent.node.property?.name))
          );
  const cleanupTouching = cleanup.filter(reads);
  const todo = cleanupTouching.length
    ? `v1 ran cleanup for ${name} when a session closed (\`${codeExcerpt(j, firstStatementOf(cleanupTouching[0]))}\` …); ` +
      "that code goes with the sessions: move what it released into this registry's onExpire"
    : undefined;
  if (field) return fieldStoreLifecycle(j, root, src, field, portable, todo, toolCallbacks);
  // The tools' own calls create a method store's entries (`store.start(id)`); its ending method drops them.
  if (objects.has(name) && !imported)
    return {
      after: declared,
      init: undefined,
      onExpire: ending ? `id => { void ${name}.${ending}(id); }` : undefined,
      todo
    };
  if (!isStore) {
    const drop = [...moduleNames].find(n => n !== name && DROP_VERB.test(n) && handleNoun(n) === noun);
    // `notebookFor(sid)` keeping its entries in a module Map by its key (`notebooks.set(sid, nb)`): an entry is
    // dropped from there, as the store's own rewrite would.
    const kept = drop ? undefined : keyedModuleMap(j, root, decl, name, moduleNames);
    return {
      after: undefined,
      // The create tool calls the accessor with the new handle, as a tool's first read did with the session id: only
      // for one that takes nothing else (`generateTracked(sid, seat)` is called where the seat is known).
      init: DROP_VERB.test(name) || !takesOnlyTheKey(j, root, decl, name) ? undefined : `id => { ${name}(id); }`,
      onExpire: drop ? `id => { void ${drop}(id); }` : kept ? `id => ${kept}.delete(id)` : undefined,
      todo
    };
  }
  const namesStore = (n: Node) => n?.type === 'Identifier' && n.name === name;
  const init = entryCreation(j, root, src, { name, is: namesStore }, portable, toolCallbacks);
  const isMap = imported
    ? imported === 'map'
    : decl.declarations.some(
        (x: Node) => x.id.name === name && x.init?.type === 'NewExpression' && /Map$/.test(x.init.callee?.name ?? '')
      );
  return {
    after: declared,
    init,
    onExpire: isMap ? `id => ${name}.delete(id)` : `id => { delete ${name}[id]; }`,
    todo
  };
}

/**
 * The module Map an accessor keeps its entries in, keyed by what it is called with: `map.set(key, …)` where `key` is
 * its first parameter, or a local taken from it (`const key = sessionId ?? 'stdio'`).
 */
function keyedModuleMap(
  j: JSCodeshift,
  root: any,
  decl: Node,
  name: string,
  moduleNames: Set<string>
): string | undefined {
  const fn = accessorFunction(decl, name);
  const maps = collectionsKeyedByKey(j, fn, moduleNames, true);
  if (maps.size === 1) return [...maps][0];
  // Else the one module Map or Set it reaches by its key at all (`seen.add(key)`, `seen.has(key)`).
  const reached = [...collectionsKeyedByKey(j, fn, moduleNames)];
  const only = reached.length === 1 ? reached[0]! : undefined;
  if (!only) return undefined;
  const isMapOrSet = root
    .find(j.VariableDeclarator, { id: { type: 'Identifier', name: only } })
    .some(
      (p: ASTPath<any>) => p.node.init?.type === 'NewExpression' && /^(?:Map|Set)$/.test(p.node.init.callee?.name ?? '')
    );
  return isMapOrSet ? only : undefined;
}

/** The function the declaration `decl` gives the accessor `name`: itself, or its declarator's function value. */
function accessorFunction(decl: Node, name: string): Node | undefined {
  return decl?.type === 'FunctionDeclaration'
    ? decl
    : decl?.type === 'VariableDeclaration'
      ? decl.declarations.find((x: Node) => x.id.name === name && /Function/.test(x.init?.type ?? ''))?.init
      : undefined;
}

/**
 * The module collections the accessor `fn` reaches by its key (its first parameter, or a local taken from it: `const
 * key = sessionId ?? 'stdio'`): `map.get(key)`, `seen.add(key)`, `state[key]`; with `putOnly`, only where it puts
 * an entry (`map.set(key, …)`).
 */
function collectionsKeyedByKey(j: JSCodeshift, fn: Node, moduleNames: Set<string>, putOnly = false): Set<string> {
  const param = fn?.params?.[0];
  if (param?.type !== 'Identifier' || fn.body?.type !== 'BlockStatement') return new Set();
  const keys = new Set([param.name]);
  for (const s of fn.body.body)
    for (const d of s.type === 'VariableDeclaration' && s.kind === 'const' ? s.declarations : []) {
      const init = d.init;
      const fromParam =
        (init?.type === 'Identifier' && init.name === param.name) ||
        (init?.type === 'LogicalExpression' && init.left.type === 'Identifier' && init.left.name === param.name);
      if (d.id.type === 'Identifier' && fromParam) keys.add(d.id.name);
    }
  const isKey = (n: Node) => n?.type === 'Identifier' && keys.has(n.name);
  const isModule = (n: Node) => n?.type === 'Identifier' && moduleNames.has(n.name);
  const out = new Set<string>();
  j(fn.body)
    .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
    .forEach((p: ASTPath<any>) => {
      const { object, property } = p.node.callee;
      if (putOnly && property?.name !== 'set') return;
      if (isModule(object) && isKey(p.node.arguments[0])) out.add(object.name);
    });
  if (!putOnly)
    j(fn.body)
      .find(j.MemberExpression, { computed: true })
      .forEach((p: ASTPath<any>) => {
        if (isModule(p.node.object) && isKey(p.node.property)) out.add(p.node.object.name);
      });
  return out;
}

/**
 * What a tool's session-keyed state is called once accessors are seen through: two accessors over one module
 * collection (`visited(sid)` and `visit(sid)` over `seen`), or an accessor beside the Map it reads (`hasNotes(sid)`
 * and `notes.get(sid)`), are one state and must take one handle: handles minted apart would key the same collection
 * by different ids, and a client would find nothing it wrote. The direct store names it when a tool uses it, else
 * the first accessor over it.
 */
function stateNames(
  j: JSCodeshift,
  functions: Map<string, Node>,
  moduleNames: Set<string>,
  uses: SessionUse[]
): (u: SessionUse) => string {
  const backing = new Map<string, string>();
  for (const u of uses)
    if (u.kind === 'accessor' && !backing.has(u.name!)) {
      const stores = collectionsKeyedByKey(j, functions.get(u.name!), moduleNames);
      if (stores.size === 1) backing.set(u.name!, [...stores][0]!);
    }
  const direct = new Set(uses.filter(u => u.kind === 'store').map(u => u.name!));
  const first = new Map<string, string>();
  for (const [accessor, store] of backing) if (!first.has(store)) first.set(store, accessor);
  return u => {
    const store = u.kind === 'accessor' ? backing.get(u.name!) : undefined;
    if (!store) return u.name!;
    return direct.has(store) ? store : first.get(store)!;
  };
}

/** Names bound inside functions (parameters and locals): values a module-level initialiser cannot see. */
function localNames(j: JSCodeshift, root: any, moduleNames: Set<string>): Set<string> {
  const names = new Set<string>();
  root.find(j.VariableDeclarator).forEach((p: ASTPath<any>) => {
    if (p.node.id.type === 'Identifier' && !moduleNames.has(p.node.id.name)) names.add(p.node.id.name);
  });
  root.find(j.Function).forEach((p: ASTPath<any>) => {
    for (const param of p.node.params)
      j(param)
        .find(j.Identifier)
        .forEach((x: ASTPath<any>) => names.add(x.node.name));
    if (p.node.params.some((x: Node) => x.type === 'Identifier'))
      for (const x of p.node.params) if (x.type === 'Identifier') names.add(x.name);
  });
  return names;
}

/** Functions v1 ran when a session ended: `onsessionclosed: …`, `transport.onclose = …`. */
/** What a function does first: the code a marker quotes to point at it (its line number would move). */
function firstStatementOf(fn: Node): Node {
  return fn.body?.type === 'BlockStatement' && fn.body.body.length ? fn.body.body[0] : (fn.body ?? fn);
}

function cleanupFunctions(j: JSCodeshift, root: any): Node[] {
  const fns: Node[] = [];
  const isCleanup = (key: string | undefined) => key === 'onsessionclosed' || key === 'onclose';
  for (const p of objectProperties(j, root)) {
    // estree spells a method `onclose() {}` as a Property whose value is the function.
    if (isCleanup(p.node.key?.name) && /Function/.test(p.node.value?.type)) fns.push(p.node.value);
  }
  root.find(j.ObjectMethod).forEach((p: ASTPath<any>) => {
    if (isCleanup(p.node.key?.name)) fns.push(p.node);
  });
  root.find(j.AssignmentExpression, { left: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    if (isCleanup(p.node.left.property?.name) && /Function/.test(p.node.right?.type)) fns.push(p.node.right);
  });
  return fns;
}

/** A per-session log level is logging state, not state a handle should carry: it goes with logging/setLevel. */
const LOG_LEVEL = {
  rule: 'log-level',
  message:
    "the session id keys the client's log level here; logging/setLevel is gone on 2026-07-28 (logging-to-otel " +
    'removes its handler), so nothing writes this store any more: filter with a fixed level, or leave filtering to ' +
    'the tracing backend'
};

/** Stores written by a `logging/setLevel` handler (`levels.set(…)`, `levels[…] = …`). */
function logLevelStores(j: JSCodeshift, root: any): Set<string> {
  const names = new Set<string>();
  root
    .find(j.CallExpression, { callee: { property: { name: 'setRequestHandler' } } })
    .filter((p: ASTPath<any>) => registersSetLevel(p.node))
    .forEach((p: ASTPath<any>) => {
      j(p)
        .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'set' } } })
        .forEach((c: ASTPath<any>) => {
          if (c.node.callee.object.type === 'Identifier') names.add(c.node.callee.object.name);
        });
      j(p)
        .find(j.AssignmentExpression, { left: { type: 'MemberExpression', computed: true } })
        .forEach((a: ASTPath<any>) => {
          if (a.node.left.object.type === 'Identifier') names.add(a.node.left.object.name);
        });
    });
  return names;
}

function ttlOf(config: SessionHandlesConfig): string {
  const ms = config.ttlMs ?? DEFAULT_TTL_MS;
  return ms.toLocaleString('en-US').replace(/,/g, '_');
}

export function camel(noun: string): string {
  return noun.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export default defineTransform({
  meta,
  config: { key: 'sessionHandles', read: readSessionHandlesConfig },
  rewrite: sessionHandles
});
