/**
 * After stateless-entry the server factory runs per HTTP request (or per stdio connection): mutable state declared
 * inside it and captured by handlers silently stops surviving between calls. Mark it; session-handles turns it into
 * handles.
 */
import type { EntryContext } from './entry-context.js';
import { perRequestState } from '../kit/server-factory.js';

export function auditPerRequestState(ctx: EntryContext, fn: any, entry: 'http' | 'stdio'): void {
  if (!fn) return;
  for (const statement of perRequestState(ctx.j, fn)) {
    const names = statement.declarations.map((d: any) => d.id.name).join(', ');
    const lifetime = entry === 'http' ? 'one HTTP request' : 'one stdio connection';
    ctx.unsafe(
      statement,
      'per-request-state',
      `\`${names}\` is created per server instance and now lives for ${lifetime}; keep it at module scope keyed by a handle (see the session-handles rewrite)`
    );
  }
}
