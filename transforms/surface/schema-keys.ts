/**
 * A test that looks a handler up by the schema it was registered with (`expect(server.setRequestHandler)
 * .toHaveBeenCalledWith(ListToolsRequestSchema, expect.any(Function))`, `calls.find(c => c[0] === SubscribeRequestSchema)`)
 * fails once the code under test registers by method string, as v2 does and the registrations rewrite writes: the
 * schema object is no longer what the mock receives. In a test file, a spec schema read only as such a key (never
 * parsed, never asked for its shape or type) becomes its method string, `'tools/list'`.
 */
import type { ASTPath } from 'jscodeshift';
import { isValueReference } from '../kit/ast.js';
import { RESULT_SCHEMA_CALLS } from './request-handlers.js';
import { METHODS } from './routing.js';
import type { SurfaceContext } from './surface-context.js';
import { REGISTRATIONS } from './whole-module-require.js';

const TEST_FILE = /(?:[./](?:test|spec)\.[cm]?[jt]sx?$)|(?:^|[\\/])__tests__[\\/]/;

export function rewriteSchemaKeys(ctx: SurfaceContext): void {
  if (!TEST_FILE.test(ctx.file)) return;
  const { j, root } = ctx;
  for (const [local, v1Name] of ctx.imported) {
    const known = METHODS[v1Name];
    if (!known?.typed) continue;
    const uses = root
      .find(j.Identifier, { name: local })
      .filter(
        (p: ASTPath<any>) => isValueReference(p) && !/^Import(?:Default|Namespace)?Specifier$/.test(p.parent?.node.type)
      );
    if (uses.size() === 0 || !uses.paths().every(isKeyUse)) continue;
    for (const p of uses.paths() as ASTPath<any>[]) {
      // A registration's schema is the registrations rewrite's to turn into its method.
      if (registeredWith(p)) continue;
      ctx.edits.push({ start: p.node.start, end: p.node.end, text: `${ctx.quote}${known.method}${ctx.quote}` });
      ctx.drop(local);
    }
  }
}

/** A plain value read of the schema: an argument, an element, a comparison operand; not `.parse`, `.shape`, `typeof`. */
function isKeyUse(p: ASTPath<any>): boolean {
  const parent = p.parent?.node;
  if (!parent) return false;
  if (/^TS|Type(?:Annotation|Query)|MemberExpression$/.test(parent.type)) return false;
  // Handed to a request as its result schema (`client.request({ method: 'tools/list' }, ListToolsRequestSchema)`, a
  // test's slip for the result schema): the request rewrite decides about that argument, not a key.
  if (parent.type === 'CallExpression' && RESULT_SCHEMA_CALLS.has(parent.callee?.property?.name)) return false;
  if (parent.type === 'CallExpression' || parent.type === 'NewExpression') return parent.arguments.includes(p.node);
  if (parent.type === 'BinaryExpression') return /^[!=]==?$/.test(parent.operator);
  return parent.type === 'ArrayExpression' || (parent.type === 'ObjectProperty' && parent.value === p.node);
}

function registeredWith(p: ASTPath<any>): boolean {
  const parent = p.parent?.node;
  return (
    parent?.type === 'CallExpression' &&
    parent.arguments[0] === p.node &&
    parent.callee.type === 'MemberExpression' &&
    REGISTRATIONS.has(parent.callee.property?.name)
  );
}
