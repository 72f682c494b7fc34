/**
 * On stdio, stdout carries the protocol, so a `console.log` that can run while the server is serving becomes
 * `console.error`. One that runs instead of serving does not: a CLI's `--version` / `--help` branch prints to stdout
 * and returns (or exits) before the server is connected, and scripts read that output from stdout. Such a call sits
 * in a block that ends the function (a bare `return`, `process.exit(…)`) ahead of the serve call of that same
 * function, or in a top-level block that exits the process. (check's `stdio-console-log` exempts the same blocks,
 * read from the text: see exitBranchAt.)
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isFunction } from '../kit/ast.js';

type Node = any;

const SERVE = /^(connect|serveStdio)$/;

export function printsInsteadOfServing(j: JSCodeshift, consoleLog: ASTPath<any>): boolean {
  let statement: ASTPath<any> = consoleLog;
  while (statement.parent && statement.node.type !== 'ExpressionStatement') {
    if (isFunction(statement.node)) return false;
    statement = statement.parent;
  }
  const block = statement.parent?.node;
  if (block?.type !== 'BlockStatement') return false;
  const last = block.body[block.body.length - 1];
  const exits = exitsProcess(last);
  if (!exits && !(last?.type === 'ReturnStatement' && !last.argument)) return false;
  const owner = enclosingFunctionBody(statement.parent);
  if (!owner) return exits; // module top level: the process ends here
  return servesAfter(j, owner, block.end);
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
