/**
 * The call a handler function is registered by, read from the handler: `server.setRequestHandler(Schema, fn)`,
 * `server.registerResource(name, uri, meta, fn)` — the handler is the call's last argument. Shared by the rewrites
 * that give a throw in a handler's own body its 2026 code (resource-not-found.ts, unknown-tool.ts).
 */
import type { ASTPath } from 'jscodeshift';

type Node = any;

export function handlerRegistration(fn: ASTPath<any> | null | undefined): { call: Node; method?: string } | undefined {
  const call = fn?.parent?.node;
  if (call?.type !== 'CallExpression' || call.arguments.at(-1) !== fn!.node) return undefined;
  return { call, method: call.callee.type === 'MemberExpression' ? call.callee.property?.name : undefined };
}
