/**
 * `throw new McpError(-32002, 'Resource not found: …')` in a resource read handler: -32002 was the 2025 code for a
 * missing resource; 2026-07-28 answers it with -32602 and v2 has a class for it, `ResourceNotFoundError(uri,
 * message?)`, which carries the URI too. Only where the URI is at hand: the low-level `resources/read` handler's
 * `request.params.uri`, or the read callback of `server.resource(…)` / `registerResource(…)` (`uri.href`), the throw
 * in that function's own body. The code may be written as the number or as a module constant holding it; the
 * constant goes when nothing else reads it.
 */
import type { ASTPath } from 'jscodeshift';
import { enclosingFunctionPath, statementRemoval, valueReferenceCount } from '../kit/ast.js';
import type { TextEdit } from '../kit/text-edits.js';
import { handlerRegistration } from './handler-registration.js';
import { importedAs, type SurfaceContext } from './surface-context.js';
import { staticText } from '../kit/error-messages.js';

type Node = any;

const RESOURCE_NOT_FOUND_2025 = -32002;
const REGISTRATIONS = /^(?:resource|registerResource)$/;

export interface ResourceNotFoundThrow {
  /** The `new McpError(…)` expression. */
  built: Node;
  /** The URI the handler was asked for, as code. */
  uri: string;
  /** The construction's only argument is the message (`new Error(message)`): the URI goes before it. */
  message?: boolean;
}

/**
 * What a message saying the requested resource is missing says: `not found`, `Unknown …`, `no such …`, `does not
 * exist`, or `No <thing> for/named/at …` (`No snippet for ${lang}`) — not `No access for …`, which is a refusal.
 */
const NOT_FOUND =
  /\bnot found\b|\bunknown\b|\bno such\b|\bdoes ?n[o']t exist\b|^no (?!access\b|permission\b|right\b|auth)\w+ (?:for|named|called|at|with|matching)\b/i;

/** The throws to rewrite, and the edits removing constants only they read. */
export function resourceNotFoundThrows(ctx: SurfaceContext): { throws: ResourceNotFoundThrow[]; edits: TextEdit[] } {
  const { j, root } = ctx;
  const protocolError = importedAs(ctx, 'McpError');
  const readSchema = importedAs(ctx, 'ReadResourceRequestSchema');
  const throws: ResourceNotFoundThrow[] = [];
  // `throw new Error(`Unknown resource: ${uri}`)` answered a missing resource with -32603 (an internal error), where
  // 2026-07-28 says a server MUST answer -32602.
  root.find(j.NewExpression, { callee: { type: 'Identifier', name: 'Error' } }).forEach((p: ASTPath<any>) => {
    if (p.parent?.node.type !== 'ThrowStatement' || p.node.arguments.length !== 1) return;
    if (!NOT_FOUND.test(staticText(p.node.arguments[0]) ?? '') || p.scope?.lookup('Error')) return;
    const uri = requestedUri(p, readSchema);
    if (uri) throws.push({ built: p.node, uri, message: true });
  });
  if (!protocolError) return { throws, edits: [] };
  const constants = codeConstants(ctx.root.get().node.program);
  const read = new Map<string, number>();
  root.find(j.NewExpression, { callee: { type: 'Identifier', name: protocolError } }).forEach((p: ASTPath<any>) => {
    const code = p.node.arguments[0];
    const constant = code?.type === 'Identifier' && constants.has(code.name) ? code.name : undefined;
    if (!constant && numberOf(code) !== RESOURCE_NOT_FOUND_2025) return;
    if (p.parent?.node.type !== 'ThrowStatement') return;
    const uri = requestedUri(p, readSchema);
    if (!uri) return;
    throws.push({ built: p.node, uri });
    if (constant) read.set(constant, (read.get(constant) ?? 0) + 1);
  });
  const edits: TextEdit[] = [];
  for (const [name, uses] of read) {
    if (valueReferenceCount(j, root, name) === uses) edits.push(statementRemoval(ctx.src, constants.get(name)!));
  }
  return { throws, edits };
}

/** Module constants holding -32002 (`const RESOURCE_NOT_FOUND = -32002;`, not exported), by name: their statements. */
function codeConstants(program: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const s of program.body as Node[])
    if (s.type === 'VariableDeclaration' && s.kind === 'const' && s.declarations.length === 1) {
      const d = s.declarations[0];
      if (d.id.type === 'Identifier' && numberOf(d.init) === RESOURCE_NOT_FOUND_2025) out.set(d.id.name, s);
    }
  return out;
}

/** A number literal's value, a negative one (`-32002`) included. */
export function numberOf(n: Node): number | undefined {
  if (n?.type === 'UnaryExpression' && n.operator === '-' && typeof n.argument?.value === 'number')
    return -n.argument.value;
  return typeof n?.value === 'number' ? n.value : undefined;
}

/**
 * The URI of the read the throw answers, when it sits in the handler's own body: `request.params.uri` in
 * `setRequestHandler(ReadResourceRequestSchema, async request => …)`, `uri.href` in a registration's read callback.
 */
function requestedUri(p: ASTPath<any>, readSchema: string | undefined): string | undefined {
  const fn = enclosingFunctionPath(p);
  const param = fn?.node.params[0];
  const registration = handlerRegistration(fn);
  if (!registration || param?.type !== 'Identifier') return undefined;
  const { call, method } = registration;
  if (method === 'setRequestHandler' && readSchema && call.arguments[0]?.name === readSchema)
    return `${param.name}.params.uri`;
  if (REGISTRATIONS.test(method ?? '')) return `${param.name}.href`;
  return undefined;
}
