/**
 * `.tool()` / `.prompt()` / `.resource()` (removed from v2's McpServer) become `registerTool` / `registerPrompt` /
 * `registerResource` with a config object, whatever the argument shapes (registration-shapes.ts); raw zod shapes
 * become `z.object(…)` there and in existing `register*` configs. Only the method name and the arguments between the
 * name and the callback are rewritten: the callback's text stays where it is. `completable(schema.optional(), cb)`
 * becomes `completable(schema, cb).optional()` (v2 completes the inner schema).
 */
import type { ASTPath } from 'jscodeshift';
import { moduleConstants, propertyKey, propertyNamed, referencesOf } from '../kit/ast.js';
import { indentUnit } from '../kit/source-style.js';
import { lineIndent } from '../kit/text-edits.js';
import { doubleReadsKeptArguments, movedArgumentReads } from './registration-doubles.js';
import { legacyShape, LEGACY, MODERN, registerOf, type LegacyShape } from './registration-shapes.js';
import { swizzleRemoval, swizzleRetarget } from './removed-method-swizzle.js';
import { proxyTraps } from './proxy-traps.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

const SCHEMA_KEYS: Record<string, string[]> = {
  registerTool: ['inputSchema', 'outputSchema'],
  registerPrompt: ['argsSchema'],
  registerResource: []
};

/** Rewrites the registrations; returns whether a `z.object(…)` was written (the file then needs zod). */
export function rewriteRegistrations(ctx: SurfaceContext, zod: string, wasV1: boolean): boolean {
  const { j, root } = ctx;
  let wrapped = false;
  const constants = moduleConstants(root.get().node.program);
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const kind = p.node.callee.property?.name;
    if (LEGACY.has(kind)) {
      if (!looksLikeServer(ctx, p.node.callee.object, p)) return;
      const shape = legacyShape(kind, p.node.arguments, constants);
      if (!shape) {
        ctx.mark(
          p,
          'TODO',
          'legacy-registration',
          `.${kind}() is gone from v2: register it with ${registerOf(kind)}(name, config, callback)`
        );
        return;
      }
      wrapped = legacy(ctx, p, kind, shape, zod) || wrapped;
    } else if (MODERN.has(kind) && wasV1) {
      const config = p.node.arguments[kind === 'registerResource' ? 2 : 1];
      if (config?.type !== 'ObjectExpression') return;
      if (kind === 'registerResource') metadataName(ctx, p, config);
      for (const key of SCHEMA_KEYS[kind]!) {
        for (const prop of schemaProperties(config, key)) {
          const value = prop.value;
          if (isRawShape(value) || namesRawShape(ctx, value)) {
            // `{ inputSchema }` names the shape by its key: the property gets a value of its own.
            if (prop.shorthand) ctx.edits.push({ start: prop.end, end: prop.end, text: `: ${zod}.object(${key})` });
            else
              ctx.edits.push(
                { start: value.start, end: value.start, text: `${zod}.object(` },
                { start: value.end, end: value.end, text: ')' }
              );
            wrapped = true;
          }
        }
      }
    }
  });
  if (wasV1) completableNesting(ctx);
  // Read on any file: a compiled module handed the server imports nothing from the SDK (its type imports erased),
  // and v2's McpServer has no such method whoever reads it.
  legacyMethodValues(ctx, proxyTraps(ctx, receiverName));
  return wrapped;
}

/**
 * `server.tool.bind(server)`, `const reg = mcp.tool`: the removed method taken as a value, with its call somewhere
 * this rewrite cannot follow. Only receivers named for a server count (`result.resource` is data, not a method).
 */
function legacyMethodValues(ctx: SurfaceContext, retargeted: Set<Node>): void {
  const { j, root } = ctx;
  root.find(j.MemberExpression, { computed: false }).forEach((p: ASTPath<any>) => {
    const kind = p.node.property?.name;
    if (!LEGACY.has(kind) || retargeted.has(p.node)) return;
    const parent = p.parent.node;
    if (parent.type === 'CallExpression' && parent.callee === p.node) return;
    if (parent.type === 'AssignmentExpression' && parent.left === p.node) return;
    if (/^TS/.test(parent.type)) return;
    if (!/server|^mcp/i.test(receiverName(p.node.object))) return;
    // `server.tool.calledOnce`, `server.resource.callsFake(…)`: a test double of the method the code no longer calls.
    const member =
      /MemberExpression$/.test(parent.type) && parent.object === p.node ? parent.property?.name : undefined;
    const aliasUses = usesOfDoubleAlias(ctx, p);
    const double =
      (member !== undefined && !/^(bind|call|apply)$/.test(member)) ||
      mockedArgument(parent, p.node) ||
      aliasUses !== undefined;
    const swizzle = double
      ? undefined
      : (swizzleRemoval(ctx, p, kind) ?? swizzleRetarget(ctx, p, kind, registerOf(kind)));
    if (swizzle) {
      ctx.edits.push(...swizzle);
      return;
    }
    const rename = { start: p.node.property.start, end: p.node.property.end, text: registerOf(kind) };
    if (double && doubleReadsKeptArguments(ctx, kind)) {
      ctx.edits.push(rename);
      return;
    }
    const moved = double ? movedArgumentReads(ctx, aliasUses ?? [p], kind) : undefined;
    if (moved) {
      ctx.edits.push(rename, ...moved);
      return;
    }
    ctx.mark(
      p,
      'TODO',
      'legacy-registration',
      double
        ? `a test double of the removed .${kind} method, which the migrated code no longer calls: ` +
            `stub and assert ${registerOf(kind)}(name, config, callback) instead`
        : `.${kind} is gone from v2's McpServer: register with ${registerOf(kind)}(name, config, callback) where this is called`
    );
  });
}

/**
 * `const tool = mocks.server.tool; expect(tool.calledOnce)…`: the stub kept in a local whose every use reads a member
 * of it (`calledOnce`, `firstCall.args`), as the test framework's double API does; not one it calls or binds.
 */
function usesOfDoubleAlias(ctx: SurfaceContext, p: ASTPath<any>): ASTPath<any>[] | undefined {
  const declarator = p.parent;
  if (declarator.node.type !== 'VariableDeclarator' || declarator.node.init !== p.node) return undefined;
  if (declarator.node.id.type !== 'Identifier') return undefined;
  const name = declarator.node.id.name;
  const scope = declarator.scope?.lookup(name);
  if (!scope) return undefined;
  const uses = referencesOf(ctx.j, ctx.root, name, scope).filter(u => u.node !== declarator.node.id);
  const doubleApi = uses.every(u => {
    const parent = u.parent.node;
    const member = parent.type === 'MemberExpression' && parent.object === u.node && !parent.computed;
    return member && !/^(bind|call|apply)$/.test(parent.property?.name ?? '');
  });
  return uses.length > 0 && doubleApi ? uses : undefined;
}

/**
 * `vi.mocked(server.tool)`, `jest.mocked(…)`: the method's mock, read through the test framework's typing helper; or
 * the mock handed to an assertion about its calls: `expect(server.tool).toHaveBeenCalledTimes(2)`,
 * `sinon.assert.calledOnce(server.tool)`.
 */
function mockedArgument(parent: Node, node: Node): boolean {
  if (parent.type !== 'CallExpression' || parent.arguments[0] !== node) return false;
  const callee = parent.callee;
  const name = callee?.type === 'MemberExpression' ? callee.property?.name : callee?.name;
  if (name === 'mocked' || name === 'expect') return true;
  return (
    callee?.type === 'MemberExpression' &&
    /^assert$/.test(receiverName(callee.object)) &&
    /^(?:called|notCalled|callCount|callOrder|alwaysCalled)/.test(name ?? '')
  );
}

/** The name a method's receiver goes by: `server`, or `this.server`'s `server`. */
function receiverName(receiver: Node): string {
  if (receiver?.type === 'Identifier') return receiver.name;
  if (receiver?.type === 'MemberExpression') return receiver.property?.name ?? '';
  return '';
}

/**
 * A receiver that can be an McpServer: the file imports McpServer (the official rule), or it is named like one
 * (`server`, `mcpServer`, `this.server`) — files that only receive the server from elsewhere.
 */
function looksLikeServer(ctx: SurfaceContext, receiver: Node, at: ASTPath<any>): boolean {
  if (/server|mcp/i.test(receiverName(receiver))) return true;
  if (receiver?.type === 'ThisExpression') return !!serverClassOf(ctx, at);
  if (![...ctx.imported.values()].includes('McpServer')) return false;
  // Any other name must be bound to an McpServer: `tool.tool(sdk, args, ctx)` calls a tool definition's own
  // function, and rewriting it as a registration broke the call (Speakeasy-generated servers).
  return receiver?.type === 'Identifier' && boundToMcpServer(ctx, receiver.name, at);
}

/**
 * `class DOMcpServer extends McpServer { … this.tool(…) … }`: the class whose method `this` is read in, when it
 * extends the SDK's McpServer (`McpServer`, a bundle's alias, compiled `mcp_js_1.McpServer`).
 */
function serverClassOf(ctx: SurfaceContext, at: ASTPath<any>): Node | undefined {
  let cur: ASTPath<any> | null = at.parent;
  // `this` is the class's only up to the nearest function that is not an arrow (an arrow reads the method's).
  while (
    cur &&
    !/^(?:ClassMethod|ClassPrivateMethod|FunctionDeclaration|FunctionExpression|ObjectMethod)$/.test(cur.node.type)
  )
    cur = cur.parent;
  if (cur?.node.type === 'FunctionExpression' && cur.parent?.node.type === 'MethodDefinition') cur = cur.parent;
  if (!cur || !/^(?:ClassMethod|ClassPrivateMethod|MethodDefinition)$/.test(cur.node.type)) return undefined;
  const cls = cur.parent?.parent?.node;
  const base = cls?.superClass;
  const baseName =
    base?.type === 'Identifier'
      ? (ctx.imported.get(base.name) ?? base.name)
      : base?.type === 'MemberExpression' && !base.computed
        ? base.property?.name
        : undefined;
  return baseName === 'McpServer' ? cls : undefined;
}

/** A variable or parameter in scope declared as an McpServer or built with `new McpServer(…)`. */
function boundToMcpServer(ctx: SurfaceContext, name: string, at: ASTPath<any>): boolean {
  const { j } = ctx;
  const scope = at.scope?.lookup(name);
  if (!scope) return false;
  // Also under the name the file imports it as (`import{McpServer as Xt}` in a bundle, `new Xt(…)`).
  const isMcpServer = (n: Node) =>
    n &&
    (j(n).toSource().includes('McpServer') || (n.type === 'Identifier' && ctx.imported.get(n.name) === 'McpServer'));
  let found = false;
  j(scope.path)
    .find(j.Identifier, { name })
    .forEach((p: ASTPath<any>) => {
      if (found || p.scope?.lookup(name) !== scope) return;
      const parent = p.parent.node;
      const declared =
        (parent.type === 'VariableDeclarator' && parent.id === p.node) || isFunctionParam(parent, p.node);
      if (!declared) return;
      found =
        isMcpServer(p.node.typeAnnotation) ||
        (parent.type === 'VariableDeclarator' &&
          parent.init?.type === 'NewExpression' &&
          isMcpServer(parent.init.callee));
    });
  return found;
}

function declaresMethod(cls: Node, name: string): boolean {
  return (cls?.body?.body ?? []).some(
    (m: Node) => /^(?:ClassMethod|MethodDefinition)$/.test(m.type) && !m.computed && m.key?.name === name
  );
}

function isFunctionParam(parent: Node, node: Node): boolean {
  return Array.isArray(parent.params) && parent.params.includes(node);
}

/**
 * The config's properties named `key`: its own, and those of objects it spreads in on a condition
 * (`...(def.args && { argsSchema: def.args.shape })`, `...(strict ? { inputSchema } : {})`).
 */
function schemaProperties(config: Node, key: string): Node[] {
  const found: Node[] = [];
  const visit = (obj: Node) => {
    for (const prop of obj.properties as Node[]) {
      if (/Property$/.test(prop.type) && !prop.computed && propertyKey(prop) === key) found.push(prop);
      if (prop.type !== 'SpreadElement') continue;
      const spread = prop.argument;
      const parts =
        spread.type === 'LogicalExpression'
          ? [spread.right]
          : spread.type === 'ConditionalExpression'
            ? [spread.consequent, spread.alternate]
            : [];
      for (const part of parts) if (part.type === 'ObjectExpression') visit(part);
    }
  };
  visit(config);
  return found;
}

/** Zod raw shape: an object literal whose values are schema expressions, not JSON Schema. */
function isRawShape(n: Node): boolean {
  if (n?.type !== 'ObjectExpression' || n.properties.length === 0) return false;
  if (propertyNamed(n, 'type') && propertyNamed(n, 'properties')) return false;
  return n.properties.every(
    (p: Node) => /Property$/.test(p.type) && /^(CallExpression|Identifier|MemberExpression)$/.test(p.value?.type)
  );
}

/**
 * A raw shape by another name: `Schema.shape` (v1 wrapped it in z.object itself, so `z.object(Schema.shape)` keeps
 * v1's meaning exactly), or a variable of this file holding a shape literal or declared `ZodRawShape`. A name from
 * another module may be a whole schema already: it is left as it is.
 */
function namesRawShape(ctx: SurfaceContext, n: Node): boolean {
  if (n?.type === 'MemberExpression' && !n.computed && n.property?.name === 'shape') return true;
  if (n?.type !== 'Identifier') return false;
  const { j, root } = ctx;
  const declarators = root.find(j.VariableDeclarator, { id: { type: 'Identifier', name: n.name } }).nodes();
  if (declarators.length !== 1) return false;
  const d: Node = declarators[0];
  const annotation = d.id.typeAnnotation ? ctx.src.slice(d.id.typeAnnotation.start, d.id.typeAnnotation.end) : '';
  return isRawShape(d.init) || /\bZodRawShape\b/.test(annotation);
}

function legacy(ctx: SurfaceContext, p: ASTPath<any>, kind: string, shape: LegacyShape, zod: string): boolean {
  const { src } = ctx;
  const call = p.node;
  const text = (n: Node) => src.slice(n.start, n.end);
  ctx.edits.push({ start: call.callee.property.start, end: call.callee.property.end, text: registerOf(kind) });
  // A subclass with a `registerTool` of its own (another signature, often the one calling `this.tool`) reaches the
  // SDK's through `super`.
  const receiver = call.callee.object;
  if (receiver.type === 'ThisExpression' && declaresMethod(serverClassOf(ctx, p), registerOf(kind)))
    ctx.edits.push({ start: receiver.start, end: receiver.end, text: 'super' });
  if (kind === 'resource') {
    if (!shape.metadata) ctx.edits.push({ start: shape.uri.end, end: shape.uri.end, text: ', {}' });
    else if (shape.metadata.type === 'ObjectExpression') metadataName(ctx, p, shape.metadata);
    return false;
  }
  const schemaKey = kind === 'tool' ? 'inputSchema' : 'argsSchema';
  const entries: [string, string][] = [];
  if (shape.description) entries.push(['description', text(shape.description)]);
  // v1's .tool()/.prompt() took raw shapes only: a named shape is wrapped just like a literal one.
  if (shape.schema) entries.push([schemaKey, `${zod}.object(${text(shape.schema)})`]);
  if (shape.annotations) entries.push(['annotations', text(shape.annotations)]);
  const afterName = src.slice(shape.name.end, shape.callback.start);
  const sep = /,(\s*)/.exec(afterName)?.[1] ?? ' ';
  const multiline = sep.includes('\n') && entries.some(([, v]) => v.includes('\n') || v.length > 60);
  let config: string;
  if (entries.length === 0) config = '{}';
  else if (!multiline) config = `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
  else {
    const indent = lineIndent(src, shape.callback.start);
    const unit = indentUnit(src);
    const body = entries.map(([k, v]) => `${indent}${unit}${k}: ${v.split('\n').join(`\n${unit}`)}`).join(',\n');
    config = `{\n${body}\n${indent}}`;
  }
  ctx.edits.push({ start: shape.name.end, end: shape.callback.start, text: `,${sep}${config},${sep}` });
  return !!shape.schema;
}

function completableNesting(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  root.find(j.CallExpression, { callee: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    if (ctx.imported.get(p.node.callee.name) !== 'completable') return;
    const inner = p.node.arguments[0];
    if (
      inner?.type !== 'CallExpression' ||
      inner.callee.type !== 'MemberExpression' ||
      inner.callee.property?.name !== 'optional' ||
      inner.arguments.length
    )
      return;
    ctx.edits.push(
      { start: inner.callee.object.end, end: inner.end, text: '' },
      { start: p.node.end, end: p.node.end, text: '.optional()' }
    );
  });
}

/**
 * A resource's metadata `name` (v1 listed the resource under it, over the registration name; v2's types refuse it)
 * becomes `title`, the field 2026 shows people. The listed `name` is then the registration name: clients that look
 * resources up by name must learn it, hence the NOTE. A `title` already there leaves the clash to the user.
 */
function metadataName(ctx: SurfaceContext, p: ASTPath<any>, metadata: Node): void {
  const name = propertyNamed(metadata, 'name');
  if (!name || name.computed) return;
  const registered = p.node.arguments[0];
  const listedAs = registered ? ctx.src.slice(registered.start, registered.end) : 'the registration name';
  if (propertyNamed(metadata, 'title')) {
    ctx.mark(
      p,
      'TODO',
      'resource-metadata-name',
      `v2 lists this resource under its registration name (${listedAs}), and its metadata may not carry a name: keep one of name and title`
    );
    return;
  }
  if (name.shorthand) ctx.edits.push({ start: name.start, end: name.end, text: 'title: name' });
  else ctx.edits.push({ start: name.key.start, end: name.key.end, text: 'title' });
  ctx.mark(
    p,
    'NOTE',
    'resource-metadata-name',
    `v1 listed this resource under its metadata name; v2 lists it as ${listedAs} and shows that text as its title`
  );
}
