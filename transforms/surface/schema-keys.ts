/**
 * A test that looks a handler up by the schema it was registered with (`expect(server.setRequestHandler)
 * .toHaveBeenCalledWith(ListToolsRequestSchema, expect.any(Function))`, `calls.find(c => c[0] === SubscribeRequestSchema)`)
 * fails once the code under test registers by method string, as v2 does and the registrations rewrite writes: the
 * schema object is no longer what the mock receives. In a test file, a spec schema read only as such a key (never
 * parsed, never asked for its shape or type) becomes its method string, `'tools/list'`.
 *
 * The same holds in server code for a handler table (`[[ListToolsRequestSchema, listTools], …]` registered in a loop,
 * `server.setRequestHandler(schema, handler)`): v2 throws at the registration when handed a schema, so the server
 * answered every request with an internal error. There a schema is a key only as an element or a property value, and
 * only in a file that registers a handler by something other than a schema or a method string; the schema's other
 * reads (a `safeParse`) keep it.
 */
import type { ASTPath } from 'jscodeshift';
import { isValueReference } from '../kit/ast.js';
import { RESULT_SCHEMA_CALLS } from './request-handlers.js';
import { METHODS } from './routing.js';
import type { SurfaceContext } from './surface-context.js';
import { REGISTRATIONS } from './whole-module-require.js';

const TEST_FILE = /(?:[./](?:test|spec)\.[cm]?[jt]sx?$)|(?:^|[\\/])__tests__[\\/]/;

export function rewriteSchemaKeys(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  const inTest = TEST_FILE.test(ctx.file);
  if (!inTest && !registersByVariable(ctx)) return;
  for (const [local, v1Name] of ctx.imported) {
    const known = METHODS[v1Name];
    if (!known?.typed) continue;
    const uses = root
      .find(j.Identifier, { name: local })
      .filter(
        (p: ASTPath<any>) => isValueReference(p) && !/^Import(?:Default|Namespace)?Specifier$/.test(p.parent?.node.type)
      );
    // A test's schema is a key only if every read is one; a table's entry is a key wherever the schema is also read.
    const keys = inTest ? (uses.paths().every(isKeyUse) ? uses.paths() : []) : uses.paths().filter(isTableEntry);
    for (const p of keys as ASTPath<any>[]) {
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

/** An element of a table of handlers, or a property value of one: `[ListToolsRequestSchema, listTools]`. */
function isTableEntry(p: ASTPath<any>): boolean {
  const parent = p.parent?.node;
  return parent?.type === 'ArrayExpression' || (parent?.type === 'ObjectProperty' && parent.value === p.node);
}

/** A registration keyed by a name that is neither a spec schema nor a method string: a handler table's loop. */
function registersByVariable(ctx: SurfaceContext): boolean {
  const { j, root } = ctx;
  return (
    root
      .find(j.CallExpression)
      .filter((p: ASTPath<any>) => {
        const { callee, arguments: args } = p.node;
        if (callee.type !== 'MemberExpression' || !REGISTRATIONS.has(callee.property?.name)) return false;
        const key = args[0];
        return key?.type === 'Identifier' && !ctx.imported.has(key.name);
      })
      .size() > 0
  );
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
