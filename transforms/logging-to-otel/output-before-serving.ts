/**
 * On stdio, stdout carries the protocol, so a `console.log` that can run while the server is serving becomes
 * `console.error`. One that runs instead of serving does not: a CLI's `--version` / `--help` branch prints to stdout
 * and returns (or exits) before the server is connected, and scripts read that output from stdout. Such a call sits
 * in a block that ends the function (a bare `return`, `process.exit(…)`) ahead of the serve call of that same
 * function, or in a top-level block that exits the process — or in a helper of the module (`function printHelp()`,
 * not exported) that is only ever called from such blocks (`case '--help': printHelp(); process.exit(0);`).
 * (check's `stdio-console-log` exempts the same code, read from the text: see exitBranchAt.)
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isFunction, isValueReference, RUNS_CALLBACK_IN_PLACE } from '../kit/ast.js';
import { servesHttp, servesHttpOnly } from './serving-code.js';

type Node = any;

const SERVE = /^(connect|serveStdio)$/;

export function printsInsteadOfServing(j: JSCodeshift, consoleLog: ASTPath<any>, depth = 0): boolean {
  if (inExitBranch(j, consoleLog)) return true;
  // `tools.forEach(t => console.log(t.name))` prints where the forEach runs: judged as that call.
  const iteration = iterationCallAround(consoleLog);
  if (iteration) return printsInsteadOfServing(j, iteration, depth);
  // A CLI's printHelp(): judged by its callers (two levels: printUsage() calling printHelp() is as common).
  const helper = depth < 2 ? moduleHelperAround(consoleLog) : undefined;
  if (!helper) return false;
  const calls = j(helper.program)
    .find(j.Identifier, { name: helper.name })
    .filter((p: ASTPath<any>) => p.node !== helper.id && isValueReference(p))
    .paths();
  return (
    calls.length > 0 &&
    calls.every(
      (p: ASTPath<any>) =>
        p.parent?.node.type === 'CallExpression' &&
        p.parent.node.callee === p.node &&
        printsInsteadOfServing(j, p.parent, depth + 1)
    )
  );
}

function inExitBranch(j: JSCodeshift, call: ASTPath<any>): boolean {
  let statement: ASTPath<any> = call;
  while (statement.parent && statement.node.type !== 'ExpressionStatement') {
    if (isFunction(statement.node)) return false;
    statement = statement.parent;
  }
  const holder = statement.parent?.node;
  // `case '--help': printHelp(); process.exit(0);` ends its case as a block would.
  const body =
    holder?.type === 'BlockStatement' ? holder.body : holder?.type === 'SwitchCase' ? holder.consequent : undefined;
  if (!body) return false;
  const last = body[body.length - 1];
  const exits = exitsProcess(last);
  if (!exits && !(last?.type === 'ReturnStatement' && !last.argument)) return false;
  const owner = enclosingFunctionBody(statement.parent);
  if (!owner) return exits; // module top level: the process ends here
  // `process.exit(0)` (or no code) ends a CLI's informational branch wherever it sits: `parseArgs()`'s `--help` case.
  if (exits && (last.expression.arguments.length === 0 || isZero(last.expression.arguments[0]))) return true;
  return servesAfter(j, owner, holder.end);
}

const ITERATES = new RegExp(`^(?:${RUNS_CALLBACK_IN_PLACE.join('|')})$`);

/** The `list.forEach(…)` call whose callback (the function nearest the path) the path runs in. */
function iterationCallAround(path: ASTPath<any>): ASTPath<any> | undefined {
  let fn: ASTPath<any> | null = path.parent;
  while (fn && !isFunction(fn.node)) fn = fn.parent;
  const call = fn?.parent;
  if (!fn || call?.node.type !== 'CallExpression' || !call.node.arguments.includes(fn.node)) return undefined;
  const callee = call.node.callee;
  return callee.type === 'MemberExpression' && ITERATES.test(callee.property?.name ?? '') ? call : undefined;
}

function exitsProcess(statement: Node): boolean {
  const call = statement?.type === 'ExpressionStatement' ? statement.expression : undefined;
  return (
    call?.type === 'CallExpression' &&
    call.callee.type === 'MemberExpression' &&
    call.callee.object.name === 'process' &&
    call.callee.property.name === 'exit'
  );
}

/**
 * The function the path runs in, when it is a helper of this module: a `function name()` declaration or a `const name =`
 * function at the top level, not exported (another module could call it while serving).
 */
function moduleHelperAround(path: ASTPath<any>): { name: string; id: Node; program: Node } | undefined {
  let cur: ASTPath<any> | null = path.parent;
  while (cur && !isFunction(cur.node)) cur = cur.parent;
  if (!cur) return undefined;
  let named: ASTPath<any> | null = cur;
  let id: Node = cur.node.type === 'FunctionDeclaration' ? cur.node.id : undefined;
  if (!id && cur.parent?.node.type === 'VariableDeclarator' && cur.parent.node.init === cur.node) {
    id = cur.parent.node.id;
    named = cur.parent.parent;
  }
  if (id?.type !== 'Identifier') return undefined;
  const top = named?.parent?.node;
  if (top?.type !== 'Program') return undefined;
  return { name: id.name, id, program: top };
}

function isZero(n: Node): boolean {
  return (n.type === 'NumericLiteral' || n.type === 'Literal') && n.value === 0;
}

/** The body of the nearest function around the path; undefined at module level. */
function enclosingFunctionBody(path: ASTPath<any>): Node | undefined {
  for (let cur: ASTPath<any> | null = path; cur; cur = cur.parent) if (isFunction(cur.node)) return cur.node.body;
  return undefined;
}

/** Does the function's own code (not a nested function's) serve the server after `offset`? */
function servesAfter(j: JSCodeshift, body: Node, offset: number): boolean {
  return j(body)
    .find(j.CallExpression)
    .some((p: ASTPath<any>) => {
      if (p.node.start < offset) return false;
      const callee = p.node.callee;
      const name = callee.type === 'Identifier' ? callee.name : callee.property?.name;
      if (!SERVE.test(name ?? '')) return false;
      for (let cur: ASTPath<any> | null = p.parent; cur && cur.node !== body; cur = cur.parent)
        if (isFunction(cur.node)) return false;
      return true;
    });
}

/**
 * In a block (up to eight out: a function's body, an `if` branch) that serves HTTP and not stdio, where stdout is not
 * the protocol channel: an HTTP entry's request log in a file that also has a stdio entry keeps writing where it did.
 * (check's `stdio-console-log` exempts the same code: see inHttpServingBlock in src/check/matcher.ts.)
 */
export function inHttpServingBlock(consoleLog: ASTPath<any>, code: string): boolean {
  if (!servesHttp(code)) return false;
  let levels = 0;
  for (let p: ASTPath<any> | null = consoleLog.parent; p && levels < 8; p = p.parent) {
    // Blocks, as check walks braces: the `if (remote) { …app.listen… } else { serveStdio… }` branch counts.
    if (p.node.type !== 'BlockStatement') continue;
    levels++;
    const serves = servesHttpOnly(code.slice(p.node.start, p.node.end));
    if (serves !== undefined) return serves;
  }
  return false;
}
