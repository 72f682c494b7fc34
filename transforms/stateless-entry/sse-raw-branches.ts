/**
 * HTTP+SSE on plain node:http, routed by hand in one request listener: `if (req.method === 'GET' && req.url ===
 * '/sse') { t = new SSEServerTransport('/messages', res); await server.connect(t) } else if (req.method === 'POST' &&
 * req.url === '/messages') { await t.handlePostMessage(req, res) } else …`. The stream branch becomes the Streamable
 * HTTP endpoint (`if (req.url === '/mcp') await mcpNodeHandler(req, res)`), the message branch goes, and the other
 * branches (health, 404) stay as they were. Only that exact shape: one branch creating the transport and connecting,
 * one `else if` branch posting messages to it, both in the same chain of the same listener.
 */
import type { ASTPath } from 'jscodeshift';
import { within } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';

type Node = any;

export interface RawBranches {
  /** The `if` whose consequent opens the stream. */
  stream: Node;
  /** The `if` whose consequent posts messages, an `else if` of the same chain. */
  messages: Node;
  /** The `if` (or the chain's first) the messages branch hangs from, as its `alternate`. */
  before: Node;
  /** The request and response names of the listener. */
  req: string;
  res: string;
}

/** The two branches of a hand-routed listener around `created` (the `new SSEServerTransport(…)`), if it is one. */
export function rawBranchesOf(ctx: EntryContext, created: ASTPath<any>, listener: Node): RawBranches | undefined {
  const { j } = ctx;
  const [reqParam, resParam] = listener.params ?? [];
  if (reqParam?.type !== 'Identifier' || resParam?.type !== 'Identifier') return undefined;
  // The innermost `if` whose consequent holds the creation.
  let stream: Node | undefined;
  for (let cur: ASTPath<any> | null = created.parent; cur && cur.node !== listener; cur = cur.parent) {
    if (cur.node.type === 'IfStatement' && within(created, cur.get('consequent'))) {
      stream = cur.node;
      break;
    }
  }
  if (!stream || stream.consequent.type !== 'BlockStatement') return undefined;
  // Walk the chain the stream branch belongs to (it may be its head or an `else if`).
  const chainHead = headOf(j, listener, stream);
  let before: Node | undefined;
  let messages: Node | undefined;
  for (let cur: Node = chainHead; cur?.type === 'IfStatement'; cur = cur.alternate) {
    const next = cur.alternate;
    if (next?.type === 'IfStatement' && next !== stream && postsMessages(j, next.consequent)) {
      before = cur;
      messages = next;
      break;
    }
  }
  if (!messages || !before) return undefined;
  return { stream, messages, before, req: reqParam.name, res: resParam.name };
}

/** Rewrites the two branches: the stream branch serves `/mcp` through the handler, the message branch goes. */
export function rewriteRawBranches(ctx: EntryContext, b: RawBranches, handler: string): Node {
  const { j } = ctx;
  const url = j.memberExpression(j.identifier(b.req), j.identifier('url'));
  b.stream.test = j.binaryExpression('===', url, j.stringLiteral('/mcp'));
  const call = j.callExpression(j.identifier(handler), [j.identifier(b.req), j.identifier(b.res)]);
  b.stream.consequent = j.blockStatement([j.expressionStatement(j.awaitExpression(call))]);
  b.before.alternate = b.messages.alternate;
  return b.stream;
}

function postsMessages(j: EntryContext['j'], n: Node): boolean {
  return (
    j(n)
      .find(j.MemberExpression, { property: { name: 'handlePostMessage' } })
      .size() > 0
  );
}

/** The first `if` of the chain `node` is part of (following `else if` links from the listener's statements). */
function headOf(j: EntryContext['j'], listener: Node, node: Node): Node {
  let head = node;
  j(listener)
    .find(j.IfStatement)
    .forEach((p: ASTPath<any>) => {
      for (let cur: Node = p.node; cur?.type === 'IfStatement'; cur = cur.alternate)
        if (cur === node && p.parent.node.type !== 'IfStatement') head = p.node;
    });
  return head;
}
