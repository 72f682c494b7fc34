/**
 * `throw new Error(`Unknown tool: ${name}`)` (or v1's `new McpError(ErrorCode.MethodNotFound, …)`) in a low-level
 * `tools/call` handler: an internal error (-32603) or "method not found" (-32601) for a method the server does serve.
 * 2026-07-28 answers a call of a tool the server does not have with -32602 (Invalid Params), as v2's McpServer does:
 * `new ProtocolError(ProtocolErrorCode.InvalidParams, …)`. Only a throw in the handler's own body whose message says
 * the tool is unknown; a throw elsewhere keeps its code.
 */
import type { ASTPath } from 'jscodeshift';
import { isFunction } from '../kit/ast.js';
import { saysUnknownTool } from '../kit/error-messages.js';
import { handlerRegistration } from './handler-registration.js';
import { numberOf } from './resource-not-found.js';
import { importedAs, type SurfaceContext } from './surface-context.js';

type Node = any;

export interface UnknownToolThrow {
  /** The `new …(…)` expression. */
  built: Node;
  /** `new Error(message)`: the construction becomes a ProtocolError with the code put first. */
  plain: boolean;
  /** `ErrorCode.MethodNotFound` (or `-32601`) in a v1 McpError: the code to replace. */
  code?: Node;
}

export function unknownToolThrows(ctx: SurfaceContext): UnknownToolThrow[] {
  const { j, root } = ctx;
  const callSchema = importedAs(ctx, 'CallToolRequestSchema');
  if (!callSchema) return [];
  const protocolError = importedAs(ctx, 'McpError');
  const out: UnknownToolThrow[] = [];
  root.find(j.NewExpression).forEach((p: ASTPath<any>) => {
    const callee = p.node.callee;
    if (callee.type !== 'Identifier' || p.parent?.node.type !== 'ThrowStatement') return;
    if (!inCallHandler(p, callSchema)) return;
    if (callee.name === 'Error' && !p.scope?.lookup('Error') && p.node.arguments.length === 1) {
      if (saysUnknownTool(p.node.arguments[0])) out.push({ built: p.node, plain: true });
      return;
    }
    if (callee.name !== protocolError || p.node.arguments.length < 2) return;
    const [code, message] = p.node.arguments;
    if (!saysUnknownTool(message) || !saysMethodNotFound(code)) return;
    out.push({ built: p.node, plain: false, code });
  });
  return out;
}

/** `ErrorCode.MethodNotFound`, or the number it stands for. */
function saysMethodNotFound(code: Node): boolean {
  if (/MemberExpression$/.test(code?.type) && !code.computed) return code.property?.name === 'MethodNotFound';
  return numberOf(code) === -32601;
}

/**
 * The throw sits in the own body of `setRequestHandler(CallToolRequestSchema, handler)`'s handler, outside any `try`
 * whose catch would answer it (`catch (e) { return { …, isError: true } }` decides what the client gets).
 */
function inCallHandler(p: ASTPath<any>, callSchema: string): boolean {
  let fn: ASTPath<any> | null = p.parent;
  for (let child: ASTPath<any> = p; fn && !isFunction(fn.node); child = fn, fn = fn.parent)
    if (fn.node.type === 'TryStatement' && fn.node.block === child.node && fn.node.handler) return false;
  const registration = handlerRegistration(fn);
  const schema = registration?.call.arguments[0];
  return registration?.method === 'setRequestHandler' && schema?.type === 'Identifier' && schema.name === callSchema;
}
