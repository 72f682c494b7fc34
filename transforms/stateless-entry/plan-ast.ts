/**
 * Reading babel ASTs for the handoffs between modules: the plans over the run walk raw parser output (no jscodeshift
 * paths there), and the rewrites that carry them out see the same node shapes. One walk, one notion of a reference,
 * of a setup statement and of a module-level declaration, for the helper handoff and the exported-instance handoff.
 */
import { rootIdentifier } from '../kit/ast.js';

type Node = any;

/** The v1 server transports a serving helper creates per connection. */
export const TRANSPORT_CLASS = /^(?:SSEServerTransport|\w*StreamableHTTPServerTransport)$/;

/** Every node under `node` with its parent, the key it sits under, and whether a function encloses it below `node`. */
export function visit(
  node: Node,
  fn: (n: Node, parent: Node | undefined, key: string, inFunction: boolean) => void
): void {
  const walk = (n: Node, parent: Node | undefined, key: string, inFunction: boolean) => {
    if (!n || typeof n.type !== 'string') return;
    fn(n, parent, key, inFunction);
    const inside = inFunction || /Function/.test(n.type);
    for (const k of Object.keys(n)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments' || k === 'innerComments') continue;
      const v = n[k];
      if (Array.isArray(v)) for (const c of v) walk(c, n, k, inside);
      else if (v && typeof v.type === 'string') walk(v, n, k, inside);
    }
  };
  walk(node, undefined, '', false);
}

export function someNode(node: Node, test: (n: Node) => boolean): boolean {
  let found = false;
  visit(node, n => {
    if (!found && test(n)) found = true;
  });
  return found;
}

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
