/**
 * The one filter both HTTP and SSE entries pass a request handler's body through: the user's statements stay, the
 * session plumbing goes, and the handler call takes the place of the call that served the request.
 */
import type { ASTPath } from 'jscodeshift';
import { mentions } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';

type Node = any;

/**
 * Keeps the user's statements, drops session plumbing (anything that mentions a transport, the session map, the
 * session id, the per-request server, or isInitializeRequest), and puts the handler call where the first
 * statement carrying `handleRequest` stood. try/catch and plain blocks are kept and filtered inside.
 */
export function rewriteStatements(
  ctx: EntryContext,
  statements: Node[],
  plumbing: Set<string>,
  handleNode: Node,
  replacement: Node,
  state: { placed: boolean },
  connectNode: Node
): Node[] {
  const { j } = ctx;
  const out: Node[] = [];
  const again = (list: Node[]) => rewriteStatements(ctx, list, plumbing, handleNode, replacement, state, connectNode);
  let ended = false;
  for (const s of statements) {
    if (ended || (state.placed && replacement.type === 'ReturnStatement' && out.includes(replacement))) {
      // After `return handler(…)` nothing in this block runs; function declarations are hoisted and stay.
      if (s.type === 'FunctionDeclaration') out.push(s);
      continue;
    }
    const carriesHandle =
      j(s)
        .find(j.CallExpression)
        .some((p: ASTPath<any>) => p.node === handleNode) || s.expression === handleNode;
    const isPlumbing = mentions(j, s, plumbing) || /mcp-session-id/i.test(j(s).toSource());
    const creation = s.type === 'IfStatement' && isPlumbing ? creationBranch(j, s, connectNode) : undefined;
    if (creation) {
      // `if (sid && map[sid]) … else if (!sid) { <new session> } else …`: every 2026 request is a new one, so the
      // new-session branch's own statements (token checks, logging) stay, in place of the whole if. A branch that
      // declares a name its surroundings declare too keeps its braces, so the two never clash.
      const inner = again(creation.type === 'BlockStatement' ? creation.body : [creation]);
      if (
        clashes(
          inner,
          statements.filter(x => x !== s)
        )
      )
        out.push(j.blockStatement(inner));
      else out.push(...inner);
      // The new-session branch ended the request (`…; return;`): what followed served other sessions, never runs now.
      const last = inner[inner.length - 1];
      if (state.placed && (last?.type === 'ReturnStatement' || last?.type === 'ThrowStatement')) ended = true;
      continue;
    }
    if (s.type === 'TryStatement' && (carriesHandle || isPlumbing)) {
      s.block.body = again(s.block.body);
      if (s.finalizer) s.finalizer.body = again(s.finalizer.body);
      out.push(s);
      continue;
    }
    if (s.type === 'BlockStatement' && (carriesHandle || isPlumbing)) {
      s.body = again(s.body);
      out.push(s);
      continue;
    }
    // A session branch serving some other request (`if (map[sid]) return map[sid].handleRequest(…)`) goes with the
    // plumbing: the handler call takes the place of the call that served the new session, after what set it up.
    if (carriesHandle) {
      if (!state.placed) {
        replacement.comments = s.comments;
        out.push(replacement);
        state.placed = true;
      }
      continue;
    }
    if (isPlumbing) continue;
    out.push(s);
  }
  return out;
}

/** Does `inner` declare, at its top level, a name that one of `around` declares at its top level? */
function clashes(inner: Node[], around: Node[]): boolean {
  const declared = (list: Node[]) =>
    new Set(
      list.flatMap((n: Node) =>
        n.type === 'VariableDeclaration'
          ? n.declarations.flatMap((d: Node) => (d.id.type === 'Identifier' ? [d.id.name] : []))
          : n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration'
            ? [n.id?.name]
            : []
      )
    );
  const outer = declared(around);
  return [...declared(inner)].some(name => outer.has(name));
}

/** The branch of an if/else-if chain that connects the server (the new-session branch), if one does. */
function creationBranch(j: EntryContext['j'], ifStatement: Node, connectNode: Node): Node | undefined {
  const contains = (n: Node) =>
    !!n &&
    j(n)
      .find(j.CallExpression)
      .some((p: ASTPath<any>) => p.node === connectNode);
  for (let cur: Node = ifStatement; cur; cur = cur.alternate) {
    if (cur.type !== 'IfStatement') return contains(cur) ? cur : undefined;
    if (contains(cur.consequent)) return cur.consequent;
  }
  return undefined;
}
