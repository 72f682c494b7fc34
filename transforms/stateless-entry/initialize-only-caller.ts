/**
 * A function that serves only a new session's first request: its callers reach it behind a test for an initialize
 * request (`if (!isInitializationRequest) return reject(…); await this.handleInitializePost(…)`), and every other
 * request is routed by its session id somewhere else. Turning this function's transport into createMcpHandler would
 * serve initialize alone, while the dispatch still answers 2026 requests (which carry no session and never
 * initialize) with "no valid session": the entry is marked instead, naming the function that dispatches.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { callableName } from '../kit/ast.js';

type Node = any;

const INITIALIZE = /initiali[sz]/i;

/** The name of the function that calls `fn` behind an initialize test, if any. */
export function initializeOnlyCaller(j: JSCodeshift, root: any, fn: ASTPath<any>): string | undefined {
  const name = callableName(fn);
  if (!name) return undefined;
  let caller: string | undefined;
  root
    .find(j.CallExpression)
    .filter((p: ASTPath<any>) => {
      const c = p.node.callee;
      const called = c.type === 'Identifier' ? c.name : /MemberExpression$/.test(c.type) ? c.property?.name : undefined;
      return called === name && !(p.node.start >= fn.node.start && p.node.end <= fn.node.end);
    })
    .forEach((p: ASTPath<any>) => {
      if (!caller && behindInitializeTest(j, p)) caller = enclosingName(p) ?? 'its caller';
    });
  return caller;
}

function behindInitializeTest(j: JSCodeshift, p: ASTPath<any>): boolean {
  for (let child: ASTPath<any> = p, cur = p.parent; cur; child = cur, cur = cur.parent) {
    const n = cur.node;
    if (/Function|ClassMethod/.test(n.type)) return false;
    if (n.type === 'IfStatement' && child.node !== n.test && INITIALIZE.test(j(n.test).toSource())) return true;
    // An earlier statement of the block sends anything that is not an initialize request away.
    if (n.type === 'BlockStatement') {
      const before = n.body.slice(0, n.body.indexOf(child.node));
      if (before.some((s: Node) => s.type === 'IfStatement' && INITIALIZE.test(j(s.test).toSource()) && leaves(s)))
        return true;
    }
  }
  return false;
}

/** `if (…) { …; return x; }`: the branch ends the function. */
function leaves(s: Node): boolean {
  const c = s.consequent;
  const last = c?.type === 'BlockStatement' ? c.body[c.body.length - 1] : c;
  return last?.type === 'ReturnStatement' || last?.type === 'ThrowStatement';
}

function enclosingName(p: ASTPath<any>): string | undefined {
  for (let cur = p.parent; cur; cur = cur.parent)
    if (/Function|ClassMethod/.test(cur.node.type)) return callableName(cur);
  return undefined;
}
