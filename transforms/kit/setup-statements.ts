/**
 * Statements that set a server up and so can move into a factory that builds it: `server.registerTool(…)`,
 * `registerAll(server)`, `const t = server.tool(…)`, and compound statements made only of those, run once where they
 * stand: `if (apiKey) { registerSearch(server) } else { … }`, `for (const t of tools) server.registerTool(…)`,
 * `tools.forEach(t => server.tool(…))`. A server read in a condition, a loop head or a callback that runs later is
 * not setup: the factory could not reproduce it.
 */
import { isFunction, rootIdentifier } from './ast.js';

type Node = any;

/** One statement that only sets the server up. */
export function isSetupStatement(statement: Node, name: string): boolean {
  if (statement.type === 'ExpressionStatement') {
    const e = statement.expression;
    if (rootIdentifier(e) === name && (e.type === 'CallExpression' || e.type === 'AssignmentExpression')) return true;
    if (e.type === 'CallExpression' && e.arguments.some((a: Node) => a.type === 'Identifier' && a.name === name))
      return true;
    if (e.type === 'AwaitExpression' && e.argument?.type === 'CallExpression') {
      return (
        rootIdentifier(e.argument) === name ||
        e.argument.arguments.some((a: Node) => a.type === 'Identifier' && a.name === name)
      );
    }
  }
  if (statement.type === 'VariableDeclaration') {
    // `const tool = server.tool(…)`, `const send = server.notification.bind(server)` (a wrapper about to replace it).
    return statement.declarations.every((d: Node) => rootIdentifier(d.init) === name || handedTo(d.init, name));
  }
  return isCompoundSetup(statement, name);
}

/** `f(server)`, `x.bind(server)`: a call handed the server itself. */
function handedTo(e: Node, name: string): boolean {
  return e?.type === 'CallExpression' && e.arguments.some((a: Node) => a.type === 'Identifier' && a.name === name);
}

const COMPOUND = /^(?:IfStatement|BlockStatement|ForOfStatement|ForInStatement|ForStatement|ExpressionStatement)$/;

/** Every read of `name` inside `statement` sits in a setup statement that runs while `statement` runs. */
function isCompoundSetup(statement: Node, name: string): boolean {
  if (!COMPOUND.test(statement.type)) return false;
  let reads = 0;
  let setupOnly = true;
  const visit = (node: Node, ancestors: Node[]): void => {
    if (!setupOnly || !node || typeof node.type !== 'string') return;
    if (node.type === 'Identifier' && node.name === name && isRead(node, ancestors[ancestors.length - 1])) {
      reads++;
      const own = nearestStatement(ancestors);
      if (!own || own === statement || !isSetupStatement(own, name) || !runsNow(ancestors)) setupOnly = false;
      return;
    }
    // A declaration of the same name inside hides the server from what follows it: not worth following.
    if (declares(node, name)) {
      setupOnly = false;
      return;
    }
    const next = [...ancestors, node];
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'start' || key === 'end' || key === 'comments' || key === 'tokens') continue;
      const value = node[key];
      if (Array.isArray(value)) for (const v of value) visit(v, next);
      else if (value && typeof value.type === 'string') visit(value, next);
    }
  };
  visit(statement, []);
  return setupOnly && reads > 0;
}

function isRead(id: Node, parent: Node): boolean {
  if (!parent) return true;
  if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.property === id)
    return !!parent.computed;
  if ((parent.type === 'ObjectProperty' || parent.type === 'Property') && parent.key === id && !parent.shorthand)
    return !!parent.computed;
  return true;
}

function declares(node: Node, name: string): boolean {
  if (node.type === 'VariableDeclarator') return node.id?.type === 'Identifier' && node.id.name === name;
  if (isFunction(node)) return node.params.some((p: Node) => p.type === 'Identifier' && p.name === name);
  return false;
}

function nearestStatement(ancestors: Node[]): Node | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--)
    if (/Statement$|^VariableDeclaration$/.test(ancestors[i].type) && ancestors[i].type !== 'BlockStatement')
      return ancestors[i];
  return undefined;
}

/** No function between the read and the statement, but the callback of a `.forEach(…)`, which runs at once. */
function runsNow(ancestors: Node[]): boolean {
  return ancestors.every((node, i) => {
    if (!isFunction(node)) return true;
    const call = ancestors[i - 1];
    return (
      call?.type === 'CallExpression' &&
      call.arguments[0] === node &&
      call.callee.type === 'MemberExpression' &&
      !call.callee.computed &&
      call.callee.property?.name === 'forEach'
    );
  });
}
