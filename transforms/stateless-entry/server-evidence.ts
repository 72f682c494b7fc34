/**
 * Is the object `connect(transport)` is called on an MCP server at all? A project's wrapper (`class Proxy { connect(t)
 * { return this.server.connect(t) } getServer() { … } }`) has a connect too, but handing it to serveStdio or
 * createMcpHandler compiles to nothing that runs. The evidence: a method called on it (or on another value the same
 * function or class produces) that neither McpServer nor the low-level Server has.
 */
import type { ASTPath } from 'jscodeshift';
import type { EntryContext } from './entry-context.js';
import { importSourceOf } from '../kit/imports.js';
import { packageOf, v1LibraryBehind, v1LibraryOf } from './v1-libraries.js';
import { wrapperClassBuilding } from './project-classes.js';
import { readProjectModule } from '../kit/project-modules.js';

type Node = any;

/** The SDK's server classes, by name: `McpServer` and the low-level `Server`. */
const SDK_SERVER_NAME = /^(?:Mcp)?Server$/;

/** Members of McpServer, Server and Protocol in the v1 and v2 typings (and what a subclass commonly adds: none). */
const SERVER_MEMBERS = new Set([
  'assertCanSetRequestHandler',
  'assertCapabilityForMethod',
  'assertNotificationCapability',
  'assertRequestHandlerCapability',
  'assertTaskCapability',
  'assertTaskHandlerCapability',
  'cancelTask',
  'close',
  'connect',
  'createElicitationCompletionNotifier',
  'createMessage',
  'elicitInput',
  'experimental',
  'fallbackNotificationHandler',
  'fallbackRequestHandler',
  'getClientCapabilities',
  'getClientVersion',
  'getNegotiatedProtocolVersion',
  'getTask',
  'getTaskResult',
  'isConnected',
  'listRoots',
  'listTasks',
  'notification',
  'onclose',
  'onerror',
  'oninitialized',
  'ping',
  'prompt',
  'registerCapabilities',
  'registerPrompt',
  'registerResource',
  'registerTool',
  'removeNotificationHandler',
  'removeRequestHandler',
  'request',
  'requestStream',
  'resource',
  'sendLoggingMessage',
  'sendPromptListChanged',
  'sendResourceListChanged',
  'sendResourceUpdated',
  'sendToolListChanged',
  'server',
  'setNotificationHandler',
  'setRequestHandler',
  'tool',
  'transport',
  'toString',
  'valueOf',
  'hasOwnProperty'
]);

export interface WrapperEvidence {
  /** Why the object is no MCP server. */
  reason: string;
  /** A method without arguments, named for the server (`getServer`, `underlyingServer`), that may return it. */
  accessor?: string;
  /** The project class the object is declared as or built by. */
  className?: string;
}

/** Why `expr` is provably not an MCP server, or undefined when nothing says so. */
export function notAServer(ctx: EntryContext, connect: ASTPath<any>, expr: Node): WrapperEvidence | undefined {
  const { j, root } = ctx;
  const declared = projectTypeOf(ctx, connect, expr);
  if (declared)
    return {
      reason: `${ctx.j(expr).toSource()} is declared as \`${declared.name}\`, ${declared.what}, not an MCP server: serve the server it wraps`,
      className: declared.name
    };
  const name = expr.type === 'Identifier' ? expr.name : undefined;
  const wrapper = wrapperClassBuilding(ctx, name ? valueOf(ctx, connect, name) : expr);
  if (wrapper)
    return {
      reason: `${ctx.j(expr).toSource()} is a ${wrapper.said}, which extends no MCP server: serve the server it wraps`,
      className: wrapper.name
    };
  const producer = name ? producerOf(ctx, connect, name) : producerName(expr);
  // Built by a library on the v1 SDK (`createMcpServer` from `@supabase/mcp-utils`): a v1 server, which v2 cannot serve.
  // Also one module away: a project function from a module (a bundle's chunk) that takes its server from one.
  const source = producer ? importSourceOf(j, root, producer) : undefined;
  const pkg = source ? packageOf(source) : undefined;
  const read = pkg ? v1LibraryOf(ctx.file, pkg) : source ? v1LibraryBehind(ctx.file, source) : undefined;
  // Only a release read from its manifest: an uninstalled one is `check`'s warning, not a reason to leave code alone.
  const library = read?.unverified ? undefined : read;
  if (library)
    return {
      reason:
        `${ctx.j(expr).toSource()} is built by \`${producer}\` from ` +
        (pkg ? `\`${library.name}\`` : `\`${source}\`, which takes its server from \`${library.name}\``) +
        ', a library on the v1 SDK ' +
        `(@modelcontextprotocol/sdk ${library.sdkRange}): it speaks only 2025 and serveStdio / createMcpHandler cannot ` +
        'serve it; upgrade that library to a release on the v2 packages first'
    };
  // Bindings, not names: an HTTP server called `server` elsewhere in the module (`server.on('error')`) is not this.
  const suspects: { name: string; scope: unknown }[] = [];
  if (name) suspects.push({ name, scope: connect.scope?.lookup(name) });
  if (producer)
    root.find(j.VariableDeclarator, { id: { type: 'Identifier' } }).forEach((d: ASTPath<any>) => {
      if (d.node.init && producerName(d.node.init) === producer)
        suspects.push({ name: d.node.id.name, scope: d.scope?.lookup(d.node.id.name) });
    });
  const isSuspect = (p: ASTPath<any>, variable: string) =>
    suspects.some(x => x.name === variable && x.scope && p.scope?.lookup(variable) === x.scope);
  let found: { variable: string; method: string } | undefined;
  let accessor: string | undefined;
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', object: { type: 'Identifier' } } })
    .forEach((p: ASTPath<any>) => {
      const callee = p.node.callee;
      const method = callee.computed ? undefined : callee.property?.name;
      if (!method || SERVER_MEMBERS.has(method) || !isSuspect(p, callee.object.name)) return;
      found ??= { variable: callee.object.name, method };
      if (p.node.arguments.length === 0 && /server/i.test(method)) accessor ??= method;
    });
  if (!found) return undefined;
  const via = found.variable === name ? `\`${name}\`` : `what \`${producer}\` returns (\`${found.variable}\`)`;
  const className = classBuilt(ctx, name ? valueOf(ctx, connect, name) : undefined);
  return {
    reason: `${via} has \`${found.method}()\`, a method MCP servers do not have: it wraps a server; serve the server it wraps`,
    accessor,
    ...(className ? { className } : {})
  };
}

/**
 * The class a value is an instance of, where the file says: `new C(…)`, or a call of a function or method of the file
 * declared to return one (`#createSession(auth?: T): FastMCPSession<T>`, `Promise<C>` too).
 */
function classBuilt(ctx: EntryContext, value: Node): string | undefined {
  const made = value?.type === 'AwaitExpression' ? value.argument : value;
  if (made?.type === 'NewExpression') return made.callee.type === 'Identifier' ? made.callee.name : undefined;
  if (made?.type !== 'CallExpression') return undefined;
  const callee = made.callee;
  const fn =
    callee.type === 'Identifier'
      ? ctx.root.find(ctx.j.FunctionDeclaration, { id: { name: callee.name } }).nodes()[0]
      : callee.type === 'MemberExpression' && callee.object.type === 'ThisExpression' && !callee.computed
        ? ctx
            .j(made)
            .closest(ctx.j.ClassBody)
            .nodes()[0]
            ?.body.find(
              (m: Node) => (m.key?.name ?? m.key?.id?.name) === (callee.property.name ?? callee.property.id?.name)
            )
        : undefined;
  let type = (fn as Node)?.returnType?.typeAnnotation;
  if (type?.type === 'TSTypeReference' && type.typeName?.name === 'Promise') type = type.typeParameters?.params[0];
  return type?.type === 'TSTypeReference' && type.typeName?.type === 'Identifier' ? type.typeName.name : undefined;
}

/** What `name` holds at `connect`: its declared value, or the one value a later assignment gives it. */
function valueOf(ctx: EntryContext, connect: ASTPath<any>, name: string): Node | undefined {
  const { j } = ctx;
  const init = declaratorOf(ctx, connect, name)?.init;
  if (init) return init;
  const scope = connect.scope?.lookup(name);
  const assigned = scope
    ? j(scope.path)
        .find(j.AssignmentExpression, { left: { type: 'Identifier', name } })
        .filter((p: ASTPath<any>) => p.scope?.lookup(name) === scope)
        .nodes()
    : [];
  return assigned.length === 1 ? (assigned[0] as Node).right : undefined;
}

/** The function or class whose call builds the value `name` holds at `connect` (`await initProxy(…)` → initProxy). */
function producerOf(ctx: EntryContext, connect: ASTPath<any>, name: string): string | undefined {
  const decl = declaratorOf(ctx, connect, name);
  return decl?.init ? producerName(decl.init) : undefined;
}

/** The declarator of the variable `name` means at `at` (its binding, not another variable of that name). */
function declaratorOf(ctx: EntryContext, at: ASTPath<any>, name: string): Node | undefined {
  const { j } = ctx;
  const scope = at.scope?.lookup(name);
  if (!scope) return undefined;
  return j(scope.path)
    .find(j.VariableDeclarator, { id: { name } })
    .filter((p: ASTPath<any>) => p.scope.lookup(name) === scope)
    .nodes()[0];
}

function producerName(init: Node): string | undefined {
  const value = init.type === 'AwaitExpression' ? init.argument : init;
  if (value?.type !== 'CallExpression' && value?.type !== 'NewExpression') return undefined;
  // The SDK's own classes build servers by definition.
  const callee = value.callee;
  if (callee.type !== 'Identifier' || SDK_SERVER_NAME.test(callee.name)) return undefined;
  return callee.name;
}

/**
 * The project class a variable or property is declared as (`private server: Server<C> | undefined` with `Server`
 * imported from `../server.js`, or a class of this file that extends no SDK server). A type named `McpServer`
 * from a relative module is taken for a re-export of the SDK's.
 */
function projectTypeOf(
  ctx: EntryContext,
  connect: ASTPath<any>,
  expr: Node
): { name: string; what: string } | undefined {
  const { j, root } = ctx;
  let annotation: Node;
  if (expr.type === 'Identifier') {
    annotation = (declaratorOf(ctx, connect, expr.name)?.id ?? parameterOf(ctx, connect, expr.name))?.typeAnnotation
      ?.typeAnnotation;
  } else if (expr.type === 'MemberExpression' && expr.object.type === 'ThisExpression' && !expr.computed) {
    const cls = j(connect).closest(j.ClassBody);
    const members: Node[] = cls.size() ? cls.get().node.body : [];
    const prop = members.find((m: Node) => /ClassProperty$/.test(m.type) && m.key?.name === expr.property.name);
    // `constructor(private readonly server: TServer)`: a parameter property declares the member too.
    const ctor = members.find(
      (m: Node) => /^(?:ClassMethod|MethodDefinition)$/.test(m.type) && m.kind === 'constructor'
    );
    const held = ((ctor?.params ?? ctor?.value?.params ?? []) as Node[]).find(
      (q: Node) => q.type === 'TSParameterProperty' && q.parameter?.name === expr.property.name
    );
    annotation = (prop ?? held?.parameter)?.typeAnnotation?.typeAnnotation;
  }
  const refs = annotation?.type === 'TSUnionType' ? annotation.types : [annotation];
  const named = refs.filter((t: Node) => t?.type === 'TSTypeReference');
  if (named.length !== 1 || named[0].typeName?.type !== 'Identifier') return undefined;
  const name: string = named[0].typeName.name;
  if (name === 'McpServer') return undefined;
  // `class StdioRunner<TServer extends { connect(t): Promise<void> }>`: whatever has a connect, an MCP server or not.
  const parameter = typeParameterNamed(connect, name);
  if (parameter) {
    const bound = parameter.constraint;
    const sdk = bound?.type === 'TSTypeReference' && SDK_SERVER_NAME.test(bound.typeName?.name ?? '');
    return sdk ? undefined : { name, what: 'a type parameter that admits any object with a connect()' };
  }
  const ownClass = { name, what: 'a class of this project' };
  const cls = root.find(j.ClassDeclaration, { id: { name } }).nodes()[0];
  if (cls) return SDK_SERVER_NAME.test((cls.superClass as Node)?.name ?? '') ? undefined : ownClass;
  const source = importSourceOf(j, root, name);
  if (!source?.startsWith('.')) return undefined;
  // Declared in the module it comes from: one extending the SDK's server is one.
  const text = readProjectModule(ctx.file, source, true)?.text;
  const base =
    text && new RegExp(`\\bclass\\s+${name.replace(/\$/g, '\\$')}\\b[^{]*?\\bextends\\s+([\\w$.]+)`).exec(text);
  return base && /(?:^|\.)(?:Mcp)?Server$/.test(base[1]!) ? undefined : ownClass;
}

/** The type parameter of that name of a class or function around `at`, if one declares it. */
function typeParameterNamed(at: ASTPath<any>, name: string): Node | undefined {
  for (let cur: ASTPath<any> | null = at.parent; cur; cur = cur.parent) {
    const params: Node[] = cur.node.typeParameters?.params ?? [];
    const found = params.find((t: Node) => (t.name?.name ?? t.name) === name);
    if (found) return found;
  }
  return undefined;
}

/** The parameter `name` is, where it is one (`const connectInMemory = async (server: FastMCP) => …`). */
function parameterOf(ctx: EntryContext, at: ASTPath<any>, name: string): Node | undefined {
  const fn = at.scope?.lookup(name)?.path.node;
  const params: Node[] = /Function/.test(fn?.type ?? '') ? fn.params : [];
  return params.find((p: Node) => p.type === 'Identifier' && p.name === name);
}
