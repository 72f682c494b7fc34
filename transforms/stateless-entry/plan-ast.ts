/**
 * Reading babel ASTs for the handoffs between modules: the plans over the run walk raw parser output (no jscodeshift
 * paths there), and the rewrites that carry them out see the same node shapes. One walk, one notion of a reference,
 * of a setup statement and of a module-level declaration, for the helper handoff and the exported-instance handoff.
 */
import { rootIdentifier } from '../kit/ast.js';
import { visit } from '../kit/raw-walk.js';

type Node = any;

/** The v1 server transports a serving helper creates per connection. */
export const TRANSPORT_CLASS = /^(?:SSEServerTransport|\w*StreamableHTTPServerTransport)$/;

/** An identifier that names no variable here: a member's property, an object or class key (not a shorthand). */
export function isNonReference(parent: Node, key: string): boolean {
  if (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) return true;
  if ((parent.type === 'ObjectProperty' || parent.type === 'ClassProperty') && key === 'key' && !parent.computed)
    return !parent.shorthand;
  return false;
}

/** `f(server)`, `server.x(…)`, `server.a.b = …` (awaited or not) as a statement: it sets the server up. */
export function setsUp(statement: Node, name: string): boolean {
  if (statement?.type !== 'ExpressionStatement') return false;
  const e = statement.expression.type === 'AwaitExpression' ? statement.expression.argument : statement.expression;
  // `server.connect(transport)` serves; it sets nothing up.
  if (e?.type === 'CallExpression' && e.callee?.property?.name === 'connect' && e.callee.object?.name === name)
    return false;
  if (e?.type === 'CallExpression' && e.arguments.some((a: Node) => a.type === 'Identifier' && a.name === name))
    return true;
  return rootIdentifier(e) === name && (e.type === 'CallExpression' || e.type === 'AssignmentExpression');
}

/**
 * The top-level statements declaring `name` with a variable declaration (`const x = …`, `export const x = …`), each
 * with the declaration itself.
 */
export function moduleDeclarations(body: Node[], name: string): { statement: Node; declaration: Node }[] {
  return body.flatMap(statement => {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    return declaration?.type === 'VariableDeclaration' &&
      declaration.declarations.some((d: Node) => d.id?.name === name)
      ? [{ statement, declaration }]
      : [];
  });
}

/** A function declaring `name` as a parameter: under it, that name is another variable. */
export function takesParameter(n: Node, name: string): boolean {
  return /Function/.test(n?.type ?? '') && (n.params ?? []).some((p: Node) => p.name === name);
}

/**
 * The references to `name` under `body` that sit in a function which itself connects `name` and uses it otherwise too
 * (`app.post('/mcp', async (req, res) => { log(server._registeredTools); await server.connect(t); … await
 * server.sendToolListChanged() })`), the connects included: one server built per call of that function serves all of
 * them, as the one instance did. (A function that only connects it connects a fresh server, no local needed.)
 */
export function besideConnect(body: Node, name: string): Set<Node> {
  const byFunction = new Map<Node, Node[]>();
  const connecting = new Set<Node>();
  const otherwise = new Set<Node>();
  for (const statement of body.body ?? [])
    visit(statement, (n, parent, key, fn) => {
      if (takesParameter(n, name)) return false;
      if (n.type !== 'Identifier' || n.name !== name || !parent || !fn || isNonReference(parent, key)) return;
      byFunction.set(fn, [...(byFunction.get(fn) ?? []), n]);
      const connects =
        parent.type === 'MemberExpression' &&
        key === 'object' &&
        !parent.computed &&
        parent.property?.name === 'connect';
      (connects ? connecting : otherwise).add(fn);
    });
  return new Set([...connecting].filter(fn => otherwise.has(fn)).flatMap(fn => byFunction.get(fn)!));
}
