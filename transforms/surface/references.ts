/**
 * The file follows its renamed imports: every reference to a v1 name imported without an alias takes the v2 name
 * (`McpError` → `ProtocolError`, in values and types alike), `ErrorCode.RequestTimeout` / `.ConnectionClosed` become
 * `SdkErrorCode.…` (local SDK failures, not protocol errors, in v2), and the handler-context type loses v1's type
 * arguments (`RequestHandlerExtra<ServerRequest, ServerNotification>` → `ServerContext`).
 */
import type { ASTPath } from 'jscodeshift';
import { sidePackage } from './routing.js';
import { SDK_ERROR_MEMBERS } from './renames.js';
import { CONTEXT_MEMBERS } from './context-map.js';
import { importedAs, type SurfaceContext } from './surface-context.js';
import { typeArgumentList, typeArgumentsOf } from '../kit/ast.js';
import { resourceNotFoundThrows } from './resource-not-found.js';
import { unknownToolThrows } from './unknown-tool.js';

type Node = any;

export function rewriteReferences(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  // `type Extra = RequestHandlerExtra<…>`: the alias is a context type too.
  if (ctx.contextTypes.size) {
    root.find(j.TSTypeAliasDeclaration).forEach((p: ASTPath<any>) => {
      const t = p.node.typeAnnotation;
      if (t?.type === 'TSTypeReference' && t.typeName?.type === 'Identifier' && ctx.contextTypes.has(t.typeName.name)) {
        ctx.contextTypes.add(p.node.id.name);
      }
    });
  }
  // `ErrorCode.RequestTimeout`: the object becomes SdkErrorCode instead of the renamed enum. `replaced` holds the
  // identifiers rewritten here, which the rename below leaves alone.
  const replaced = new Set<number>();
  if (ctx.errorCode) {
    root
      .find(j.MemberExpression, { object: { type: 'Identifier', name: ctx.errorCode } })
      .forEach((p: ASTPath<any>) => {
        if (p.node.computed || !SDK_ERROR_MEMBERS.has(p.node.property.name)) return;
        replace(ctx, replaced, p.node.object, 'SdkErrorCode');
        sdkErrorConstruction(ctx, p, replaced);
        sdkErrorGuard(ctx, p, replaced);
      });
  }
  // `throw new McpError(-32002, …)` answering a resource read: `throw new ResourceNotFoundError(uri, …)`.
  const notFound = resourceNotFoundThrows(ctx);
  for (const { built, uri, message } of notFound.throws) {
    replace(ctx, replaced, built.callee, 'ResourceNotFoundError');
    const first = built.arguments[0];
    ctx.edits.push(
      message
        ? { start: first.start, end: first.start, text: `${uri}, ` }
        : { start: first.start, end: first.end, text: uri }
    );
  }
  ctx.edits.push(...notFound.edits);
  // `throw new Error(`Unknown tool: ${name}`)` in a tools/call handler: -32602, as 2026-07-28 and v2's McpServer answer.
  for (const { built, plain, code } of unknownToolThrows(ctx)) {
    if (plain) {
      replace(ctx, replaced, built.callee, 'ProtocolError');
      ctx.need(sidePackage(ctx.side), 'ProtocolErrorCode');
      const first = built.arguments[0];
      ctx.edits.push({ start: first.start, end: first.start, text: 'ProtocolErrorCode.InvalidParams, ' });
    } else if (code.type === 'UnaryExpression') {
      ctx.edits.push({ start: code.start, end: code.end, text: '-32602' });
    } else {
      ctx.edits.push({ start: code.property.start, end: code.property.end, text: 'InvalidParams' });
    }
  }
  if (ctx.renamed.size) {
    root.find(j.Identifier).forEach((p: ASTPath<any>) => {
      const to = ctx.renamed.get(p.node.name);
      if (!to || replaced.has(p.node.start)) return;
      const parent = p.parent.node;
      if (parent.type === 'ExportSpecifier') {
        exportedRename(ctx, p, to, replaced);
        return;
      }
      if (!isReference(p)) return;
      // `{ McpError }` shorthand keeps its key.
      if (
        (parent.type === 'ObjectProperty' || parent.type === 'Property') &&
        parent.shorthand &&
        parent.value === p.node
      ) {
        ctx.edits.push({ start: p.node.start, end: p.node.end, text: `${p.node.name}: ${to}` });
        return;
      }
      ctx.edits.push({ start: p.node.start, end: p.node.end, text: to });
    });
  }
  if (ctx.contextTypes.size) {
    root.find(j.TSTypeReference, { typeName: { type: 'Identifier', name: 'Pick' } }).forEach((p: ASTPath<any>) => {
      const [picked, keys] = typeArgumentsOf(p.node);
      const name = picked?.type === 'TSTypeReference' ? picked.typeName : undefined;
      if (name?.type === 'Identifier' && ctx.contextTypes.has(name.name) && keys) pickedKeys(ctx, keys);
    });
    root.find(j.TSTypeReference).forEach((p: ASTPath<any>) => {
      const name = p.node.typeName;
      if (name?.type !== 'Identifier' || !ctx.contextTypes.has(name.name)) return;
      const args = typeArgumentList(p.node);
      if (!args) return;
      ctx.edits.push({ start: args.start, end: args.end, text: '' });
      // The type arguments' own imports (ServerRequest, ServerNotification) may be left unused.
      j(args)
        .find(j.Identifier)
        .forEach((x: ASTPath<any>) => ctx.drop(x.node.name));
    });
  }
}

/**
 * `Pick<RequestHandlerExtra<…>, 'signal' | 'sendNotification'>` → `Pick<ServerContext, 'mcpReq'>`: the members v2
 * moved are picked through the group that holds them now (`mcpReq`, `http`); a key of its own is kept as it is.
 */
function pickedKeys(ctx: SurfaceContext, keys: Node): void {
  const literals: Node[] = keys.type === 'TSUnionType' ? keys.types : [keys];
  const names = literals.map((t: Node) =>
    t.type === 'TSLiteralType' && typeof t.literal?.value === 'string' ? t.literal.value : undefined
  );
  if (names.some(n => n === undefined)) return;
  const picked = [
    ...new Set(names.map(n => (Object.hasOwn(CONTEXT_MEMBERS, n!) ? CONTEXT_MEMBERS[n!]!.path[0]! : n!)))
  ];
  if (picked.join() === names.join()) return;
  const quote = ctx.src.slice(literals[0].start, literals[0].start + 1);
  ctx.edits.push({ start: keys.start, end: keys.end, text: picked.map(k => `${quote}${k}${quote}`).join(' | ') });
}

/**
 * `e instanceof McpError && e.code === ErrorCode.RequestTimeout`: in v2 a timeout is an SdkError, not a protocol
 * error, so the guard tests SdkError; a guard that also tests protocol codes cannot be both and is marked.
 */
function sdkErrorGuard(ctx: SurfaceContext, member: ASTPath<any>, replaced: Set<number>): void {
  if (mixedCodeList(ctx, member)) return;
  let cur: ASTPath<any> = member;
  while (
    cur.parent &&
    /^(BinaryExpression|LogicalExpression|UnaryExpression|ParenthesizedExpression)$/.test(cur.parent.node.type)
  )
    cur = cur.parent;
  const condition = cur.node;
  const protocolError = importedAs(ctx, 'McpError');
  if (!protocolError) return;
  const { j } = ctx;
  const guards = j(condition).find(j.BinaryExpression, {
    operator: 'instanceof',
    right: { type: 'Identifier', name: protocolError }
  });
  if (guards.size() === 0) return;
  const protocolCodes = j(condition)
    .find(j.MemberExpression)
    .filter((p: ASTPath<any>) => isProtocolCode(ctx, p.node));
  if (protocolCodes.size()) {
    ctx.mark(
      member,
      'TODO',
      'sdk-error-guard',
      'this guard mixes protocol error codes with SDK ones (timeouts, closed connections), which v2 throws as SdkError: test each class apart'
    );
    return;
  }
  guards.forEach((g: ASTPath<any>) => replace(ctx, replaced, g.node.right, 'SdkError'));
}

/**
 * `throw new McpError(ErrorCode.RequestTimeout, msg)`: the code raises the SDK's own timeout (or closed connection).
 * v2's ProtocolError takes a JSON-RPC number; SDK codes are strings and go with SdkError, so the error is thrown as
 * one (`new SdkError(SdkErrorCode.RequestTimeout, msg)`), which a guard rewritten below tests for. Built anywhere
 * else, it may flow where a ProtocolError is declared: marked.
 */
function sdkErrorConstruction(ctx: SurfaceContext, member: ASTPath<any>, replaced: Set<number>): void {
  const built = member.parent?.node;
  const protocolError = importedAs(ctx, 'McpError');
  if (built?.type !== 'NewExpression' || built.arguments[0] !== member.node || !protocolError) return;
  if (built.callee.type !== 'Identifier' || built.callee.name !== protocolError) return;
  if (member.parent.parent?.node.type === 'ThrowStatement') {
    replace(ctx, replaced, built.callee, 'SdkError');
    return;
  }
  ctx.mark(
    member,
    'TODO',
    'sdk-error-code',
    `v2's ProtocolError takes a JSON-RPC number, and ${member.node.property.name} is an SDK code (a string) that ` +
      'goes with SdkError: build an SdkError here and let what receives it take one'
  );
}

const markedLists = new WeakSet<Node>();

/**
 * `new Set([ErrorCode.InvalidParams, ErrorCode.RequestTimeout])`: v1's codes were all JSON-RPC numbers, so one list
 * held both kinds and was checked against an error's numeric code. v2's SDK codes are strings (`'REQUEST_TIMEOUT'`,
 * on SdkError), so such a list no longer types as numbers and no longer matches what it did: marked once per list.
 */
function mixedCodeList(ctx: SurfaceContext, member: ASTPath<any>): boolean {
  const list = member.parent?.node;
  if (list?.type !== 'ArrayExpression') return false;
  // A computed `ErrorCode[name]` in a list could be either kind: it does not make the list mixed.
  if (!list.elements.some((e: Node) => !e?.computed && isProtocolCode(ctx, e))) return false;
  if (!markedLists.has(list)) {
    markedLists.add(list);
    ctx.mark(
      member,
      'TODO',
      'sdk-error-guard',
      'this list mixes protocol error codes (JSON-RPC numbers) with SDK ones, which v2 names with strings ' +
        "('REQUEST_TIMEOUT') on SdkError: keep the two kinds apart, and test an SdkError's code separately"
    );
  }
  return true;
}

/** `ErrorCode.InvalidParams`: a member of v1's error-code enum that stays a protocol (JSON-RPC) code in v2. */
function isProtocolCode(ctx: SurfaceContext, n: Node): boolean {
  return (
    n?.type === 'MemberExpression' &&
    n.object?.type === 'Identifier' &&
    n.object.name === ctx.errorCode &&
    !SDK_ERROR_MEMBERS.has(n.property?.name)
  );
}

/**
 * `export { McpError }` of the renamed import: the local binding is `ProtocolError` now, and the module's callers
 * still import the old name, so it is exported under it (`export { ProtocolError as McpError }`). A re-export from
 * another module (`export { McpError } from '…'`) names nothing local and is the import rewrite's.
 */
function exportedRename(ctx: SurfaceContext, p: ASTPath<any>, to: string, replaced: Set<number>): void {
  const spec = p.parent.node;
  if (spec.local !== p.node || p.parent.parent?.node.source) return;
  replaced.add(p.node.start);
  const shorthand = spec.exported?.start === p.node.start;
  ctx.edits.push({ start: p.node.start, end: p.node.end, text: shorthand ? `${to} as ${p.node.name}` : to });
}

/** Replaces an identifier by a name of the side package (imported as needed); its old binding may go unused. */
function replace(ctx: SurfaceContext, replaced: Set<number>, id: Node, name: string): void {
  if (replaced.has(id.start)) return;
  replaced.add(id.start);
  ctx.edits.push({ start: id.start, end: id.end, text: name });
  ctx.need(sidePackage(ctx.side), name);
  ctx.drop(id.name);
}

/** A reference to a binding (value or type), not a property name, member name or import specifier. */
export function isReference(p: ASTPath<any>): boolean {
  const parent: Node = p.parent?.node;
  if (!parent) return true;
  switch (parent.type) {
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ExportSpecifier':
      return false;
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return parent.object === p.node || parent.computed;
    case 'TSQualifiedName':
      return parent.left === p.node;
    case 'ObjectProperty':
    case 'Property':
      return parent.value === p.node || parent.computed;
    case 'ClassProperty':
    case 'ClassMethod':
    case 'ObjectMethod':
    case 'TSPropertySignature':
    case 'TSMethodSignature':
      return parent.key !== p.node || parent.computed;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return false;
    default:
      return true;
  }
}
