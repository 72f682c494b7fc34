/**
 * v1's handler `extra` → v2's `ctx` (facts from the v2 migration guide, checked against the v2 typings): where each
 * v1 member lives now. `mcpReq` is always there; `http` only on HTTP transports, so it is reached with `?.`.
 */
export interface ContextMember {
  /** Segments under ctx, e.g. ['mcpReq', 'signal']; the first may be optional (`http`). */
  path: string[];
  optionalHead?: boolean;
}

export const CONTEXT_MEMBERS: Record<string, ContextMember> = {
  signal: { path: ['mcpReq', 'signal'] },
  requestId: { path: ['mcpReq', 'id'] },
  _meta: { path: ['mcpReq', '_meta'] },
  sendRequest: { path: ['mcpReq', 'send'] },
  sendNotification: { path: ['mcpReq', 'notify'] },
  authInfo: { path: ['http', 'authInfo'], optionalHead: true },
  requestInfo: { path: ['http', 'req'], optionalHead: true },
  closeSSEStream: { path: ['http', 'closeSSE'], optionalHead: true },
  closeStandaloneSSEStream: { path: ['http', 'closeStandaloneSSE'], optionalHead: true }
};

/** v1 members with no v2 counterpart, and what to do instead. */
export const REMOVED_MEMBERS: Record<string, string> = {
  taskStore: 'the experimental tasks API is gone from v2 (SEP-2663): run the work inside the tool call',
  taskId: 'the experimental tasks API is gone from v2 (SEP-2663): run the work inside the tool call',
  taskRequestedTtl: 'the experimental tasks API is gone from v2 (SEP-2663): run the work inside the tool call'
};

/** The member access text replacing `.<member>` (after the object): `mcpReq.signal`, `http?.authInfo`. */
export function memberPath(member: ContextMember): string {
  const [head, ...rest] = member.path;
  return `${head}${member.optionalHead ? '?' : ''}.${rest.join('.')}`;
}
