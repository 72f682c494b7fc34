/**
 * `console.error(\`listening on http://localhost:${port}/sse\`)`: once the SSE endpoint has moved, a start-up line that
 * still prints its old URL sends whoever reads it to a route that no longer exists. Log lines (kit `isLogCall`) of the
 * file that print the old path as a whole path segment print the new one.
 */
import type { ASTPath } from 'jscodeshift';
import { isLogCall } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';

type Node = any;

export function retargetPrintedEndpoint(ctx: EntryContext, oldPath: string, newPath: string): void {
  if (!/^\/[\w./-]*$/.test(oldPath) || oldPath === newPath) return;
  const { j, root } = ctx;
  const escaped = oldPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The path as a segment of a URL or path: not `/sse-stream`, not `/ssetup`.
  const segment = new RegExp(`(?<![\\w/])${escaped}(?![\\w-])|(?<=:\\d+|\\w)${escaped}(?![\\w/-])`, 'g');
  root
    .find(j.CallExpression)
    .filter((p: ASTPath<any>) => isLogCall(p.node))
    .forEach((p: ASTPath<any>) => {
      for (const arg of p.node.arguments as Node[]) {
        for (const text of stringParts(arg)) {
          const value = text.get();
          const next = value.replace(segment, newPath);
          if (next !== value) {
            text.set(next);
            ctx.changed = true;
          }
        }
      }
    });
}

/** The literal text of a string or template argument (and of the strings a `+` joins), each with a setter. */
function stringParts(arg: Node): { get: () => string; set: (v: string) => void }[] {
  const parts: { get: () => string; set: (v: string) => void }[] = [];
  const visit = (n: Node) => {
    if (n?.type === 'StringLiteral' || (n?.type === 'Literal' && typeof n.value === 'string'))
      parts.push({
        get: () => n.value,
        set: v => {
          const quote = n.extra?.raw?.[0] ?? "'";
          n.value = v;
          n.extra = { rawValue: v, raw: `${quote}${v}${quote}` };
          if (n.raw !== undefined) n.raw = `${quote}${v}${quote}`;
        }
      });
    else if (n?.type === 'TemplateLiteral')
      for (const q of n.quasis)
        parts.push({
          get: () => q.value.raw,
          set: v => {
            q.value = { raw: v, cooked: v };
          }
        });
    else if (n?.type === 'BinaryExpression' && n.operator === '+') {
      visit(n.left);
      visit(n.right);
    }
  };
  visit(arg);
  return parts;
}
