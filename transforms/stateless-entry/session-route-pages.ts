/**
 * What a GET / DELETE session route does besides serving sessions decides whether it may go. One that also answers
 * requests without a session (`GET /mcp` opens a session's SSE stream when the request names one, and shows a status
 * page, `c.json({ status: 'ok' })`, when it does not) keeps the page as its whole body: the session half goes with the
 * sessions. An answer that only refuses the missing session (`res.status(400).send('Invalid or missing session ID')`)
 * is session plumbing, and the route goes whole, unless it does work of its own (sessionRouteWork).
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isStringLiteral, mentions, statementsOf } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';
import { routeKey } from './handler-placement.js';
import { sessionIdDeclared } from './session-header-reads.js';
import { namedCalls, userWorkIn } from './session-statements.js';

type Node = any;

/** The statements the route keeps (the page branch, and what ran before it without the session), or undefined. */
export function noSessionPage(j: JSCodeshift, fn: Node): Node[] | undefined {
  const body = fn.body;
  if (body?.type !== 'BlockStatement') return undefined;
  const statements: Node[] = body.body;
  const sid = sessionIdDeclared(j, statements);
  if (!sid) return undefined;
  const at = statements.findIndex(s => testsMissing(s, sid.name));
  if (at < 0) return undefined;
  const page = statementsOf(statements[at].consequent);
  if (!endsInReturn(page) || !answersPage(j, page)) return undefined;
  const before = statements.slice(0, at).filter(s => s !== sid.statement);
  if (before.some(s => mentions(j, s, new Set([sid.name])))) return undefined;
  // `res.send(page); return;`: at the end of the route, the return has nothing left to skip.
  const last = page[page.length - 1];
  const kept = page.length > 1 && !last.argument ? page.slice(0, -1) : page;
  // `// No session = the status page` above the `if` describes what stays.
  const described = (statements[at].comments ?? []).filter((c: Node) => c.leading);
  if (described.length) kept[0].comments = [...described, ...(kept[0].comments ?? [])];
  return [...before, ...kept];
}

/** `if (!sessionId) …` with no else. */
function testsMissing(s: Node, name: string): boolean {
  if (s.type !== 'IfStatement' || s.alternate) return false;
  const t = s.test;
  return (
    t.type === 'UnaryExpression' && t.operator === '!' && t.argument.type === 'Identifier' && t.argument.name === name
  );
}

function endsInReturn(statements: Node[]): boolean {
  return statements.length > 0 && statements[statements.length - 1].type === 'ReturnStatement';
}

/** No error status (a number from 400 up) and no word of a session in what it answers. */
function answersPage(j: JSCodeshift, statements: Node[]): boolean {
  return statements.every(
    s =>
      !j(s)
        .find(j.Node)
        .some((p: ASTPath<any>) => {
          const n = p.node;
          if ((n.type === 'NumericLiteral' || (n.type === 'Literal' && typeof n.value === 'number')) && n.value >= 400)
            return true;
          if (isStringLiteral(n)) return /session/i.test(n.value);
          return n.type === 'TemplateElement' && /session/i.test(n.value.raw);
        })
  );
}

/** Nowhere in the file: a session route has no connect of its own to leave out of the reading. */
const NO_CONNECT = { start: -1, end: -1 };

/**
 * The calls of the route's own (`analytics.track('session_closed')`) among the statements removing it would drop:
 * the route's request and response, the session maps, the session id it reads and what is handed them are not.
 */
export function sessionRouteWork(ctx: EntryContext, fn: Node, dropped: Node[], maps: Set<string>): string[] {
  const { j } = ctx;
  const exchange = new Set<string>(fn.params.filter((q: Node) => q.type === 'Identifier').map((q: Node) => q.name));
  const sessionCode = new Set(maps);
  const sid = fn.body?.type === 'BlockStatement' ? sessionIdDeclared(j, fn.body.body) : undefined;
  if (sid) sessionCode.add(sid.name);
  // `const transport = transports.get(sessionId)`, `const found = lookup(sessionId)`: what is read off the sessions is
  // theirs too, and so is what is read off that.
  const locals: Node[] = j(fn)
    .find(j.VariableDeclarator, { id: { type: 'Identifier' } })
    .nodes();
  for (let grew = true; grew;) {
    grew = false;
    for (const d of locals)
      if (d.init && !sessionCode.has(d.id.name) && mentions(j, d.init, sessionCode)) {
        sessionCode.add(d.id.name);
        grew = true;
      }
  }
  return userWorkIn(ctx, dropped, sessionCode, NO_CONNECT, { exchange, sessionCode, fn }).work;
}

export function sessionRouteWorkMessage(method: string, work: string[]): string {
  return (
    `this ${method.toUpperCase()} route served sessions and also does work of its own (${namedCalls(work)}), which ` +
    'removing it would drop: move that work where it still runs (a tool, a route of its own), then remove the route'
  );
}

/** Is the same path served through the handler (`app.all(path, …)`) by a statement above this one? */
export function servedAbove(ctx: EntryContext, statement: ASTPath<any>, path: string): boolean {
  const { j } = ctx;
  const siblings: Node[] = statement.parent?.node.body ?? [];
  return siblings.slice(0, siblings.indexOf(statement.node)).some((s: Node) => {
    const e = s.type === 'ExpressionStatement' ? s.expression : undefined;
    return (
      e?.type === 'CallExpression' &&
      e.callee.type === 'MemberExpression' &&
      e.callee.property?.name === 'all' &&
      routeKey(j, e.arguments[0]) === path
    );
  });
}
