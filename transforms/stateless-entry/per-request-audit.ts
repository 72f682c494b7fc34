/**
 * After stateless-entry the server factory runs per HTTP request (or per stdio connection): mutable state declared
 * inside it and captured by handlers silently stops surviving between calls. Mark it; session-handles turns it into
 * handles.
 */
import type { EntryContext } from './entry-context.js';
import type { ASTPath } from 'jscodeshift';
import { perRequestState } from '../kit/server-factory.js';
import { statementPathOf } from '../kit/ast.js';
import { insideRequestHandler } from '../kit/tool-registrations.js';

const REGISTRATION = /^(?:register(?:Tool|Prompt|Resource)|tool|prompt|resource)$/;

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
  // Over HTTP each request gets a fresh server: what a handler registers on the one it was served with is gone after.
  if (entry !== 'http') return;
  const { j } = ctx;
  j(fn)
    .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
    .filter((p: ASTPath<any>) => REGISTRATION.test(p.node.callee.property?.name ?? '') && insideRequestHandler(p))
    .forEach((p: ASTPath<any>) =>
      ctx.unsafe(
        statementPathOf(p).node,
        'per-request-registration',
        'a handler registers this on the server it was served with; over HTTP the factory builds a fresh server for ' +
          'each request, so it is gone by the next one: register it in the factory from state kept at module scope ' +
          '(a resource template over that state, or a loop over it)'
      )
    );
}
