/**
 * `const server = new N8NDocumentationMCPServer(ctx)`, then `await server.connect(transport)`: a class of the project
 * whose `connect` may connect an McpServer it holds. Served by createMcpHandler it would hand the SDK an object that is
 * no server. Whether the class extends an SDK server is read from its declaration: in this file, or in the module it
 * is imported (or required) from, read from disk once.
 */
import type { ASTPath } from 'jscodeshift';
import type { EntryContext } from './entry-context.js';
import { importSourceOf } from '../kit/imports.js';
import { readProjectModule } from '../kit/project-modules.js';
import { parseAst } from '../kit/grammar.js';
import { buildsStateOrWork } from './subclass-construction.js';
import { isConstructor, isFunction, thisMember } from '../kit/ast.js';
import { visit } from '../kit/raw-walk.js';

type Node = any;

/** `Name`, with the module it comes from (undefined: declared in this file), for `new Name(…)` / `new mod_1.Name(…)`. */
interface ClassRef {
  name: string;
  module?: string;
}

/**
 * The project class `value` (`new C(…)`, maybe awaited) builds when the class provably extends no SDK server: its name
 * and how to say where it is declared. Undefined when it does extend one, is the SDK's own, or cannot be read.
 */
export function wrapperClassBuilding(ctx: EntryContext, value: Node): { name: string; said: string } | undefined {
  const created = value?.type === 'AwaitExpression' ? value.argument : value;
  if (created?.type !== 'NewExpression') return undefined;
  const ref = classRef(ctx, created.callee);
  if (!ref || /^(?:Mcp)?Server$/.test(ref.name)) return undefined;
  if (ref.module === undefined) {
    const declared = ctx.root.find(ctx.j.ClassDeclaration, { id: { name: ref.name } }).nodes()[0] as Node;
    return declared && !declared.superClass
      ? { name: ref.name, said: `\`${ref.name}\` (a class of this file)` }
      : undefined;
  }
  const text = readProjectModule(ctx.file, ref.module, true)?.text;
  const declared =
    text && new RegExp(`\\bclass\\s+${ref.name.replace(/\$/g, '\\$')}\\b(?:\\s*<[^{]*?>)?\\s*(extends\\b)?`).exec(text);
  // One that extends anything (McpServer, or a class that may) is left alone: only a base-less class is no server.
  return declared && !declared[1] ? { name: ref.name, said: `\`${ref.name}\` (from \`${ref.module}\`)` } : undefined;
}

/**
 * `new FilteredStdioServerTransport()`: a class of the project that extends the SDK's StdioServerTransport (to keep
 * stray console output off the protocol channel, to log what it sends). serveStdio takes it as its `transport`.
 */
export function projectStdioTransport(ctx: EntryContext, callee: Node): boolean {
  const ref = classRef(ctx, callee);
  if (!ref) return false;
  if (ref.module === undefined) {
    const declared = ctx.root.find(ctx.j.ClassDeclaration, { id: { name: ref.name } }).nodes()[0] as Node;
    const base = declared?.superClass;
    return base?.type === 'Identifier' && ctx.sdkName(base.name) === STDIO_CLASS;
  }
  const text = readProjectModule(ctx.file, ref.module, true)?.text;
  if (!text || !/['"]@modelcontextprotocol\/(?:sdk\/server\/stdio(?:\.js)?|server\/stdio)['"]/.test(text)) return false;
  const name = ref.name.replace(/\$/g, '\\$');
  return new RegExp(`\\bclass\\s+${name}\\b(?:\\s*<[^{]*?>)?\\s*extends\\s+(?:[\\w$]+\\.)?${STDIO_CLASS}\\b`).test(
    text
  );
}

const SDK_SERVER_MODULE = /['"]@modelcontextprotocol\/(?:sdk\/server\/(?:mcp|index)(?:\.js)?|server)['"]/;

/**
 * `new NileServer(options)`: a class of the project declared `class NileServer extends McpServer` (the SDK's,
 * directly), built fresh as an SDK server would be. Not when building it keeps state or starts work
 * (subclass-construction.ts): built per request, that would change what it does.
 */
export function projectServerSubclass(ctx: EntryContext, callee: Node): boolean {
  const ref = classRef(ctx, callee);
  if (!ref || /^(?:Mcp)?Server$/.test(ref.name)) return false;
  let declared: Node;
  if (ref.module === undefined) {
    declared = ctx.root.find(ctx.j.ClassDeclaration, { id: { name: ref.name } }).nodes()[0] as Node;
    const base = declared?.superClass;
    if (base?.type !== 'Identifier' || !/^(?:Mcp)?Server$/.test(ctx.sdkName(base.name) ?? '')) return false;
  } else {
    const module = readProjectModule(ctx.file, ref.module, true);
    if (!module || !SDK_SERVER_MODULE.test(module.text)) return false;
    // The whole module is parsed: a class body's extent cannot be read off its braces (strings and comments hold some).
    declared = moduleClass(parseAst(module.path, module.text)?.program, ref.name);
    if (!/^(?:Mcp)?Server$/.test(declared?.superClass?.name ?? '')) return false;
  }
  return !!declared && !buildsStateOrWork(declared);
}

/** The class a module declares under `name` at its top level (exported or not). */
function moduleClass(program: Node, name: string): Node | undefined {
  for (const s of (program?.body ?? []) as Node[]) {
    const d = /^Export(Named|Default)Declaration$/.test(s.type) ? s.declaration : s;
    if (d?.type === 'ClassDeclaration' && d.id?.name === name) return d;
  }
  return undefined;
}

export const STDIO_CLASS = 'StdioServerTransport';

function classRef(ctx: EntryContext, callee: Node): ClassRef | undefined {
  const { j, root } = ctx;
  if (callee?.type === 'Identifier') {
    const name: string = callee.name;
    if (root.find(j.ClassDeclaration, { id: { name } }).size()) return { name };
    const source = importSourceOf(j, root, name) ?? requiredFrom(ctx, name);
    return source?.startsWith('.') ? { name, module: source } : undefined;
  }
  // CommonJS output: `new server_1.N8NDocumentationMCPServer(…)` with `const server_1 = require("./mcp/server")`.
  if (callee?.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier') {
    const source = requiredFrom(ctx, callee.object.name);
    return source?.startsWith('.') ? { name: callee.property.name, module: source } : undefined;
  }
  return undefined;
}

/** The module `const name = require('…')` (or `__importDefault(require('…'))`) reads, when one does. */
function requiredFrom(ctx: EntryContext, name: string): string | undefined {
  const { j, root } = ctx;
  let source: string | undefined;
  root.find(j.VariableDeclarator, { id: { type: 'Identifier', name } }).forEach((p: ASTPath<any>) => {
    j(p.node.init ?? {})
      .find(j.CallExpression, { callee: { type: 'Identifier', name: 'require' } })
      .forEach((r: ASTPath<any>) => {
        const arg = r.node.arguments[0];
        if (typeof arg?.value === 'string') source ??= arg.value;
      });
    const init = p.node.init;
    if (
      init?.type === 'CallExpression' &&
      init.callee.name === 'require' &&
      typeof init.arguments[0]?.value === 'string'
    )
      source ??= init.arguments[0].value;
  });
  return source;
}

/**
 * `this.mcpService.createServer()` in a method of the serving class: does that method, of the class the field holds,
 * build a new server and hand it back without keeping it (a service making one per call)? The field's class is read
 * from a constructor parameter property (`private readonly mcpService: McpService`), the field's declared type or its
 * `new` initializer; the class from this file or the module it is imported from.
 */
export function fieldMethodBuildsServer(ctx: EntryContext, at: ASTPath<any>, call: Node): boolean {
  const holder = call.callee?.object;
  const method = call.callee?.property?.name;
  if (!thisMember(holder)) return false;
  let body: ASTPath<any> | null = at.parent;
  while (body && body.node.type !== 'ClassBody') body = body.parent;
  const className = body ? fieldClass(body.node, holder.property.name) : undefined;
  if (!className || !method) return false;
  let declared: Node = ctx.root.find(ctx.j.ClassDeclaration, { id: { name: className } }).nodes()[0];
  if (!declared) {
    const source = importSourceOf(ctx.j, ctx.root, className);
    const module = source ? readProjectModule(ctx.file, source, true) : undefined;
    declared = module ? moduleClass(parseAst(module.path, module.text)?.program, className) : undefined;
  }
  const found = (declared?.body?.body ?? []).find(
    (m: Node) => /^(?:ClassMethod|MethodDefinition)$/.test(m.type) && m.key?.name === method && !m.static
  );
  const fnBody = found?.body ?? found?.value?.body;
  return fnBody?.type === 'BlockStatement' && returnsFreshServer(fnBody);
}

/** The class name the field is typed or built as. */
function fieldClass(classBody: Node, field: string): string | undefined {
  const typeName = (annotation: Node) => {
    const t = annotation?.typeAnnotation;
    return t?.type === 'TSTypeReference' && t.typeName.type === 'Identifier' ? (t.typeName.name as string) : undefined;
  };
  for (const member of classBody.body as Node[]) {
    if (/^(?:ClassProperty|PropertyDefinition)$/.test(member.type) && member.key?.name === field) {
      if (member.value?.type === 'NewExpression' && member.value.callee.type === 'Identifier')
        return member.value.callee.name;
      return typeName(member.typeAnnotation);
    }
    if (!isConstructor(member)) continue;
    const params: Node[] = member.params ?? member.value?.params ?? [];
    for (const param of params) {
      const id = param.type === 'TSParameterProperty' ? param.parameter : undefined;
      if (id?.type === 'Identifier' && id.name === field) return typeName(id.typeAnnotation);
    }
    // `this.service = service` (a typed parameter) or `this.service = new NotesService()` in the constructor's body.
    for (const st of (member.body ?? member.value?.body)?.body ?? []) {
      const e = st.type === 'ExpressionStatement' ? st.expression : undefined;
      if (e?.type !== 'AssignmentExpression' || !thisMember(e.left, field)) continue;
      if (e.right.type === 'NewExpression' && e.right.callee.type === 'Identifier') return e.right.callee.name;
      const param = params.find(
        (x: Node) => x.type === 'Identifier' && e.right.type === 'Identifier' && x.name === e.right.name
      );
      return param ? typeName(param.typeAnnotation) : undefined;
    }
  }
  return undefined;
}

/**
 * The method builds an SDK server (`new McpServer(…)`) and returns it, keeping nothing on the object it belongs to
 * (no `this.x = …` anywhere in it): each call hands back a server of its own.
 */
function returnsFreshServer(body: Node): boolean {
  const built = new Set<string>();
  let keeps = false;
  let returns = 0;
  let other = false;
  visit(body, n => {
    if (
      n.type === 'AssignmentExpression' &&
      n.left.type === 'MemberExpression' &&
      n.left.object.type === 'ThisExpression'
    )
      keeps = true;
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && isServerNew(n.init)) built.add(n.id.name);
  });
  visit(body, n => {
    if (isFunction(n)) return false;
    if (n.type !== 'ReturnStatement') return;
    const a = n.argument;
    if (isServerNew(a) || (a?.type === 'Identifier' && built.has(a.name))) returns++;
    else other = true;
  });
  return !keeps && returns > 0 && !other;
}

function isServerNew(n: Node): boolean {
  return n?.type === 'NewExpression' && /^(?:Mcp)?Server$/.test(n.callee?.name ?? '');
}
