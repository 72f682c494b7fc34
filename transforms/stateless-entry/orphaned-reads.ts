/**
 * Variables the session code alone sets and code that stays reads: `let effectiveSessionId: string;`, assigned in the
 * initialize / known-session branches (which go), then `context.sessionId = effectiveSessionId` after them (which
 * stays). Dropping the branches would leave a read of a variable nothing assigns any more, so the entry is kept and
 * marked instead.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isValueReference } from '../kit/ast.js';

type Node = any;

export function readsOfDroppedAssignments(j: JSCodeshift, fn: Node, dropped: Node[]): string[] {
  const inDropped = (n: Node) => dropped.some(d => n.start >= d.start && n.end <= d.end);
  const out: string[] = [];
  j(fn)
    .find(j.VariableDeclarator, { id: { type: 'Identifier' }, init: null })
    .forEach((d: ASTPath<any>) => {
      if (inDropped(d.node)) return;
      const name = d.node.id.name;
      const writes: Node[] = [];
      const reads: Node[] = [];
      j(fn)
        .find(j.Identifier, { name })
        .forEach((p: ASTPath<any>) => {
          if (p.node === d.node.id || !isValueReference(p)) return;
          const parent = p.parent.node;
          const written =
            (parent.type === 'AssignmentExpression' && parent.left === p.node) || parent.type === 'UpdateExpression';
          (written ? writes : reads).push(p.node);
        });
      if (writes.length > 0 && writes.every(inDropped) && reads.some(r => !inDropped(r))) out.push(name);
    });
  return out;
}
