/**
 * `let server = null; … async function start() { server = new McpServer(…); register(server); …
 * await server.connect(t); return server; }` with a shutdown that closes `server`: a module-level variable that a start
 * function fills once. The server statements become a factory the 2026 entries serve; the variable keeps an instance
 * built by that factory for what only holds it (the start function's result, the shutdown's close, a "started?" guard).
 * Anything that changes the instance after it is built (registers a tool later, sets a handler) would no longer reach
 * the servers requests see, so it keeps the v1 code.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isEmptyValue, statementIn } from './ast.js';

type Node = any;

export interface KeptInstance {
  /** The one statement `server = new McpServer(…)` (or `= await build()`), a statement of a block holding the connect. */
  assignment: ASTPath<any>;
  /** What the factory builds the server from: the assignment's right-hand side. */
  init: Node;
}

const BUILT = /^(?:NewExpression|CallExpression|AwaitExpression)$/;

/**
 * The assignment that fills `name`, when `declarator` is a lone `let`/`var` with no value of its own (or null), not
 * exported, and `name` is given a server exactly once, by a statement of a block that holds `connect` after it
 * (other assignments may only reset it to null).
 */
export function keptInstanceOf(
  j: JSCodeshift,
  declarator: ASTPath<any>,
  name: string,
  scope: any,
  connect: ASTPath<any>
): KeptInstance | undefined {
  const declaration = declarator.parent;
  if (declaration.node.kind === 'const' || declaration.node.declarations.length !== 1) return undefined;
  if (declaration.parent.node.type === 'ExportNamedDeclaration' || !isEmptyValue(declarator.node.init))
    return undefined;
  const fills = j(scope.path)
    .find(j.AssignmentExpression, { left: { type: 'Identifier', name } })
    .filter((p: ASTPath<any>) => p.scope?.lookup(name) === scope && !isEmptyValue(p.node.right))
    .paths();
  if (fills.length !== 1) return undefined;
  const fill = fills[0]!;
  const statement = fill.parent;
  if (fill.node.operator !== '=' || statement?.node.type !== 'ExpressionStatement') return undefined;
  if (!BUILT.test(fill.node.right.type)) return undefined;
  if (fill.node.right.type === 'AwaitExpression' && fill.node.right.argument?.type !== 'CallExpression')
    return undefined;
  const block = statement.parent?.node;
  if (!Array.isArray(block?.body)) return undefined;
  const connectStatement = statementIn(block, connect);
  if (!connectStatement || Number(connectStatement.name) <= Number(statement.name)) return undefined;
  return { assignment: statement, init: fill.node.right };
}

/**
 * A use that only holds the instance: `return server`, `server.close()`, `if (server)` / `server && …` / `!server`,
 * `typeof server.close`, `'close' in server`, `server = null`. None of them changes what a request's server does.
 */
export function onlyHoldsInstance(use: ASTPath<any>): boolean {
  const parent = use.parent?.node;
  if (!parent) return false;
  switch (parent.type) {
    case 'ReturnStatement':
      return parent.argument === use.node;
    case 'LogicalExpression':
      // `server && typeof server.close === 'function'`: a guard, not `const s = server || other` handing it on.
      return parent.operator === '&&' && parent.left === use.node;
    case 'IfStatement':
    case 'ConditionalExpression':
      return parent.test === use.node;
    case 'UnaryExpression':
      return parent.operator === '!';
    case 'BinaryExpression':
      return parent.operator === 'in' && parent.right === use.node;
    case 'AssignmentExpression':
      return parent.left === use.node && isEmptyValue(parent.right);
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      if (parent.object !== use.node || parent.computed || parent.property?.name !== 'close') return false;
      const outer = use.parent.parent?.node;
      const called = /CallExpression$/.test(outer?.type) && outer.callee === parent && outer.arguments.length === 0;
      return called || (outer?.type === 'UnaryExpression' && outer.operator === 'typeof');
    }
    default:
      return false;
  }
}

/** `server = createServer()`: the assignment now fills the variable from the factory. */
export function fillFromFactory(j: JSCodeshift, kept: KeptInstance, call: Node, isAsync: boolean): void {
  kept.assignment.node.expression.right = isAsync ? j.awaitExpression(call) : call;
}

/** The statement `const server = <what the assignment built>` the factory opens with. */
export function factoryDeclaration(j: JSCodeshift, name: string, kept: KeptInstance): Node {
  return j.variableDeclaration('const', [j.variableDeclarator(j.identifier(name), kept.init)]);
}
