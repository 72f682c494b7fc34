/**
 * The v1 SDK reached without an import declaration: CommonJS `require('@modelcontextprotocol/sdk/…')`, dynamic
 * `import('…')`, and test mocks (`vi.mock` / `jest.mock`). A destructured require or dynamic import is routed name
 * by name like an import (split into one statement per entry point when needed); a whole-module one, or a mock,
 * takes the module's v2 home. What cannot be routed keeps its v1 specifier under a TODO marker.
 */
import type { ASTPath } from 'jscodeshift';
import { statementRemoval } from '../kit/ast.js';
import type { TextEdit } from '../kit/text-edits.js';
import { factsOf } from './module-map.js';
import { preferredEntry, routeSymbol } from './routing.js';
import { sdkModulePath } from './specifiers.js';
import { destructureWholeRequire } from './whole-module-require.js';
import { requireZodCompat } from './zod-compat-helpers.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

const MOCKS = /^(vi|jest)$/;
const V1_TRANSPORTS =
  /^(StdioServerTransport|StreamableHTTPServerTransport|SSEServerTransport|WebStandardStreamableHTTPServerTransport)$/;

export function rewriteRequires(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  // The file's mocks by the v2 module they now mock: two v1 modules may share one v2 home.
  const mocked = new Map<string, ASTPath<any>>();
  root.find(j.CallExpression).forEach((p: ASTPath<any>) => {
    const callee = p.node.callee;
    const arg = p.node.arguments[0];
    const specifier =
      arg && (arg.type === 'StringLiteral' || arg.type === 'Literal') && typeof arg.value === 'string'
        ? arg.value
        : undefined;
    if (specifier === undefined) return;
    const isRequire = callee.type === 'Identifier' && callee.name === 'require';
    const isImport = callee.type === 'Import';
    const isMock =
      callee.type === 'MemberExpression' &&
      MOCKS.test(callee.object?.name ?? '') &&
      /^(mock|doMock|unmock)$/.test(callee.property?.name ?? '');
    if (!isRequire && !isImport && !isMock) return;
    const modulePath = sdkModulePath(specifier, ctx.options);
    if (modulePath === undefined) return;
    if (!isMock && requireZodCompat(ctx, p, modulePath)) return;
    if (!isMock && destructured(ctx, p, arg, modulePath)) return;
    if (isRequire && destructureWholeRequire(ctx, p, modulePath)) return;
    const target = preferredEntry(modulePath, ctx.side);
    if (isMock && target) {
      const earlier = mocked.get(target);
      if (earlier && mergedMock(ctx, earlier, p)) return;
      mocked.set(target, p);
    }
    if (isMock && mocksTransport(ctx, p.node.arguments[1])) mockedTransport(ctx, p, target);
    if (target) ctx.edits.push({ start: arg.start, end: arg.end, text: `${ctx.quote}${target}${ctx.quote}` });
    else ctx.mark(p, 'TODO', 'removed-module', factsOf(modulePath)?.removed ?? `${specifier} has no v2 counterpart`);
  });
}

/** `const { A, B } = require(…)` / `await import(…)`: routed per name; true when handled here. */
function destructured(ctx: SurfaceContext, p: ASTPath<any>, arg: Node, modulePath: string): boolean {
  let cur: ASTPath<any> = p;
  if (cur.parent?.node.type === 'AwaitExpression') cur = cur.parent;
  const declarator = cur.parent?.node;
  if (
    declarator?.type !== 'VariableDeclarator' ||
    declarator.init !== cur.node ||
    declarator.id.type !== 'ObjectPattern'
  )
    return false;
  const declaration = cur.parent.parent?.node;
  const byTarget = new Map<string, string[]>();
  const unrouted: string[] = [];
  for (const prop of declarator.id.properties as Node[]) {
    const key = prop.key?.name ?? prop.key?.value;
    if (prop.type === 'RestElement' || prop.computed || !key) return false;
    const route = routeSymbol(key, modulePath, ctx.side);
    const local = prop.shorthand ? key : ctx.src.slice(prop.value.start, prop.value.end);
    if (prop.shorthand || prop.value?.type === 'Identifier') ctx.imported.set(local, key);
    if (!route.target) {
      unrouted.push(route.removed!);
      continue;
    }
    if (prop.shorthand && route.v2Name !== key) ctx.renamed.set(key, route.v2Name);
    const text = prop.shorthand ? route.v2Name : `${route.v2Name}: ${local}`;
    byTarget.set(route.target, [...(byTarget.get(route.target) ?? []), text]);
  }
  if (unrouted.length) {
    ctx.mark(p, 'TODO', 'removed-symbol', unrouted.join('; '));
    return true;
  }
  const targets = [...byTarget.keys()];
  const patternFor = (t: string) => `{ ${byTarget.get(t)!.join(', ')} }`;
  const q = ctx.quote;
  if (targets.length === 1) {
    ctx.edits.push({ start: declarator.id.start, end: declarator.id.end, text: patternFor(targets[0]!) });
    ctx.edits.push({ start: arg.start, end: arg.end, text: `${q}${targets[0]}${q}` });
    return true;
  }
  if (declaration?.type !== 'VariableDeclaration' || declaration.declarations.length !== 1) {
    ctx.mark(
      p,
      'TODO',
      'split-require',
      'these names now come from several v2 packages: require each from its own (see the v2 migration guide)'
    );
    return true;
  }
  const callText = ctx.src.slice(cur.node.start, arg.start);
  const closing = ctx.src.slice(arg.end, cur.node.end);
  const semi = ctx.src.slice(declaration.start, declaration.end).trimEnd().endsWith(';') ? ';' : '';
  const indent = /^[ \t]*/.exec(ctx.src.slice(ctx.src.lastIndexOf('\n', declaration.start - 1) + 1))![0];
  const statements = targets.map(
    t => `${declaration.kind} ${patternFor(t)} = ${callText}${q}${t}${q}${closing}${semi}`
  );
  ctx.edits.push({ start: declaration.start, end: declaration.end, text: statements.join(`\n${indent}`) });
  return true;
}

const TRANSPORT_MOCK_TODO =
  'this mock stands in for a 2025 transport that the migrated entry no longer builds: it serves with ' +
  'serveStdio(factory) or createMcpHandler(factory), which this mock does not define; mock those instead, or ' +
  'test through a client';

/**
 * A mock of v1's stdio module: the migrated entry serves with serveStdio, which the mock must stand in for too (the
 * real one would read the test runner's stdin). It is mocked the way the transport was, as doing nothing, and the
 * TODO stays only where the file asserts on what the transport or the connect did, which serveStdio no longer does
 * through them (`expect(mockConnect).toHaveBeenCalledTimes(1)`).
 */
function mockedTransport(ctx: SurfaceContext, p: ASTPath<any>, target: string | undefined): void {
  const factory = p.node.arguments[1];
  const object = factory?.type === 'ArrowFunctionExpression' ? unparenthesized(factory.body) : undefined;
  const stdio = target === '@modelcontextprotocol/server/stdio';
  const defined = object?.properties?.some((prop: Node) => (prop.key?.name ?? prop.key?.value) === 'serveStdio');
  if (!stdio || object?.type !== 'ObjectExpression' || defined || !object.properties.length) {
    ctx.mark(p, 'TODO', 'transport-mock', TRANSPORT_MOCK_TODO);
    return;
  }
  const mockFn = `${p.node.callee.object.name}.fn`;
  ctx.edits.push(propertiesAppended(ctx.src, object, [`serveStdio: ${mockFn}(() => ({ close: async () => {} }))`]));
  const asserts = /\bexpect\(\s*[^)]*(?:connect|Transport)/i.test(ctx.src);
  if (asserts)
    ctx.mark(
      p,
      'TODO',
      'transport-mock',
      'serveStdio is mocked as doing nothing, as the transport was, but what this file asserts the transport or ' +
        'connect did no longer happens through them: the migrated entry serves with serveStdio(factory), which ' +
        'builds and connects its server itself; assert that serveStdio was called, or test through a client'
    );
  else
    ctx.mark(
      p,
      'NOTE',
      'transport-mock',
      'serveStdio is mocked as doing nothing, as the transport was: the migrated entry serves with serveStdio(factory), ' +
        "which the real module would run on the test runner's stdin"
    );
}

/**
 * A second mock of the module an earlier one now mocks too (`sdk/server/index.js` and `sdk/types.js` both became
 * `@modelcontextprotocol/server`): the later call would replace the earlier one, and the names it mocked would be
 * gone. Two factories returning object literals become one returning both (true); others are marked, and the later
 * mock moves to the v2 module all the same.
 */
function mergedMock(ctx: SurfaceContext, earlier: ASTPath<any>, later: ASTPath<any>): boolean {
  const objectOf = (call: Node) => {
    const factory = call.arguments[1];
    if (factory?.type !== 'ArrowFunctionExpression' || factory.params.length || factory.async) return undefined;
    const object = unparenthesized(factory.body);
    return object?.type === 'ObjectExpression' && object.properties.length ? object : undefined;
  };
  const first = objectOf(earlier.node);
  const second = objectOf(later.node);
  const statement = later.parent?.node;
  if (!first || !second || statement?.type !== 'ExpressionStatement' || statement.expression !== later.node) {
    ctx.mark(
      later,
      'TODO',
      'merged-mock',
      'an earlier mock in this file mocks the same v2 module now (two v1 modules share it), and this one replaces it: ' +
        'merge the two factories into one'
    );
    return false;
  }
  const props = second.properties.map((prop: Node) => ctx.src.slice(prop.start, prop.end));
  ctx.edits.push(propertiesAppended(ctx.src, first, props), statementRemoval(ctx.src, statement));
  return true;
}

/** Properties written after an object literal's last one, on lines of their own where its properties have them. */
function propertiesAppended(src: string, object: Node, properties: string[]): TextEdit {
  const last = object.properties[object.properties.length - 1];
  const indent = /[ \t]*$/.exec(src.slice(0, last.start))![0];
  const separator = src.slice(last.end, object.end).includes('\n') ? `,\n${indent}` : ', ';
  return { start: last.end, end: last.end, text: separator + properties.join(separator) };
}

/** `({ … })`: the object an arrow returns. */
function unparenthesized(body: Node): Node {
  return body?.type === 'ParenthesizedExpression' ? body.expression : body;
}

/** A mock factory that builds one of v1's server transports (`{ StdioServerTransport: vi.fn(…) }`). */
function mocksTransport(ctx: SurfaceContext, factory: Node): boolean {
  if (!factory) return false;
  return ctx
    .j(factory)
    .find(ctx.j.Identifier)
    .some((x: ASTPath<any>) => V1_TRANSPORTS.test(x.node.name));
}
