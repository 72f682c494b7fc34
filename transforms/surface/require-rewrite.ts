/**
 * The v1 SDK reached without an import declaration: CommonJS `require('@modelcontextprotocol/sdk/…')`, dynamic
 * `import('…')`, and test mocks (`vi.mock` / `jest.mock`). A destructured require or dynamic import is routed name
 * by name like an import (split into one statement per entry point when needed); a whole-module one, or a mock,
 * takes the module's v2 home. What cannot be routed keeps its v1 specifier under a TODO marker.
 */
import type { ASTPath } from 'jscodeshift';
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
    if (isMock && mocksTransport(ctx, p.node.arguments[1])) {
      ctx.mark(
        p,
        'TODO',
        'transport-mock',
        'this mock stands in for a 2025 transport that the migrated entry no longer builds: it serves with ' +
          'serveStdio(factory) or createMcpHandler(factory), which this mock does not define; mock those instead, or ' +
          'test through a client'
      );
    }
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

/** A mock factory that builds one of v1's server transports (`{ StdioServerTransport: vi.fn(…) }`). */
function mocksTransport(ctx: SurfaceContext, factory: Node): boolean {
  if (!factory) return false;
  return ctx
    .j(factory)
    .find(ctx.j.Identifier)
    .some((x: ASTPath<any>) => V1_TRANSPORTS.test(x.node.name));
}
