/**
 * Throws in a `tools/call` handler that report bad arguments become `isError` results (SEP-1303: invalid input is a
 * tool execution error the model can read and fix, not a JSON-RPC error). Two kinds are recognised, both only in
 * the handler's own code (not nested functions): `throw new ProtocolError(ProtocolErrorCode.InvalidParams, msg)`
 * (or v1's McpError / ErrorCode), and any `new Error(msg)` / `new ProtocolError(code, msg)` thrown where a zod
 * `safeParse` of the arguments failed (`if (!parsed.success) throw …`). A throw inside a `try` with a catch is left
 * to that catch.
 *
 * `const data = Schema.parse(args)` (zod) throws a ZodError, a JSON-RPC error from the low-level Server: it becomes a
 * `safeParse` whose failure answers isError with each issue's path and message, and `data` its parsed data.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isFunction } from '../kit/ast.js';
import { saysUnknownTool } from '../kit/error-messages.js';
import { indentUnit } from '../kit/source-style.js';
import type { TextEdit } from '../kit/text-edits.js';

type Node = any;

const INVALID_PARAMS = /^(ProtocolErrorCode|ErrorCode)\.InvalidParams$/;

export interface ArgumentFailure {
  statement: Node;
  message: Node;
}

export function argumentFailureThrows(j: JSCodeshift, handler: Node, removed: Node[]): ArgumentFailure[] {
  const parses = safeParseResults(j, handler);
  const out: ArgumentFailure[] = [];
  j(handler.body)
    .find(j.ThrowStatement)
    .forEach((p: ASTPath<any>) => {
      if (removed.some(r => r.start <= p.node.start && p.node.end <= r.end)) return;
      const message = failureMessage(p, parses);
      if (message && returnsFrom(j, p, handler)) out.push({ statement: p.node, message });
    });
  return out;
}

export function argumentFailureReturns(
  j: JSCodeshift,
  src: string,
  handler: Node,
  removed: Node[],
  q: string
): TextEdit[] {
  return argumentFailureThrows(j, handler, removed).map(({ statement, message }) => ({
    start: statement.start,
    end: statement.end,
    text: `return { content: [{ type: ${q}text${q}, text: ${src.slice(message.start, message.end)} }], isError: true };`
  }));
}

/** The message of a thrown argument error, if this throw reports one. */
function failureMessage(p: ASTPath<any>, parses: Set<string>): Node | undefined {
  const arg = p.node.argument;
  if (arg?.type !== 'NewExpression' || arg.callee.type !== 'Identifier') return undefined;
  const protocol = /^(ProtocolError|McpError)$/.test(arg.callee.name);
  const code = arg.arguments[0];
  // A call of a tool the server does not have is a protocol error (2026-07-28), not bad arguments of one it has.
  if (protocol && saysUnknownTool(arg.arguments[1])) return undefined;
  if (
    protocol &&
    arg.arguments.length >= 2 &&
    code?.type === 'MemberExpression' &&
    INVALID_PARAMS.test(`${code.object?.name}.${code.property?.name}`)
  )
    return arg.arguments[1];
  if (!afterFailedParse(p, parses)) return undefined;
  if (arg.callee.name === 'Error' && arg.arguments.length === 1) return arg.arguments[0];
  if (protocol && arg.arguments.length >= 2) return arg.arguments[1];
  return undefined;
}

/** `const parsed = X.safeParse(…)` names in the handler. */
function safeParseResults(j: JSCodeshift, handler: Node): Set<string> {
  const names = new Set<string>();
  j(handler.body)
    .find(j.VariableDeclarator)
    .forEach((p: ASTPath<any>) => {
      const init = p.node.init;
      if (
        p.node.id.type === 'Identifier' &&
        init?.type === 'CallExpression' &&
        init.callee.type === 'MemberExpression' &&
        init.callee.property?.name === 'safeParse'
      )
        names.add(p.node.id.name);
    });
  return names;
}

/** Is the throw the consequent of `if (!parsed.success)` (or `parsed.success === false`)? */
function afterFailedParse(p: ASTPath<any>, parses: Set<string>): boolean {
  let cur = p.parent;
  if (cur?.node.type === 'BlockStatement') cur = cur.parent;
  const test = cur?.node.type === 'IfStatement' ? cur.node.test : undefined;
  const success = (n: Node) =>
    n?.type === 'MemberExpression' &&
    n.property?.name === 'success' &&
    n.object?.type === 'Identifier' &&
    parses.has(n.object.name);
  if (test?.type === 'UnaryExpression' && test.operator === '!') return success(test.argument);
  return (
    test?.type === 'BinaryExpression' && test.operator === '===' && success(test.left) && test.right.value === false
  );
}

/**
 * Does this throw leave the handler as a JSON-RPC error that a `return` would make an isError result? Not from a
 * nested function, and not from inside a `try`: its catch decides (one answering isError is SEP-1303 already, with
 * its own wording; any other would be skipped by a return).
 */
function returnsFrom(j: JSCodeshift, p: ASTPath<any>, handler: Node): boolean {
  let child = p.node;
  for (let cur = p.parent; cur && cur.node !== handler; child = cur.node, cur = cur.parent) {
    if (isFunction(cur.node)) return false;
    if (cur.node.type === 'TryStatement' && cur.node.block === child && cur.node.handler) return false;
  }
  return true;
}

/**
 * `const x = S.parse(ARGS);` / `S.parse(ARGS);` statements of the handler itself (ARGS: what `isArgs` accepts) →
 * safeParse, an isError return naming each issue's path, then the same binding from `.data`.
 */
export function parseCallRewrites(
  j: JSCodeshift,
  src: string,
  handler: Node,
  isArgs: (n: Node) => boolean,
  name: (i: number) => string,
  q: string
): TextEdit[] {
  const edits: TextEdit[] = [];
  const unit = indentUnit(src);
  j(handler.body)
    .find(j.Statement)
    .forEach((p: ASTPath<any>) => {
      const s = p.node;
      const call =
        s.type === 'ExpressionStatement'
          ? s.expression
          : s.type === 'VariableDeclaration' && s.declarations.length === 1
            ? s.declarations[0].init
            : undefined;
      const parse = call?.type === 'AwaitExpression' ? undefined : call;
      if (
        parse?.type !== 'CallExpression' ||
        parse.callee.type !== 'MemberExpression' ||
        parse.callee.property?.name !== 'parse' ||
        parse.arguments.length !== 1 ||
        !isArgs(parse.arguments[0])
      )
        return;
      if (!/^(Identifier|MemberExpression)$/.test(parse.callee.object.type) || !returnsFrom(j, p, handler)) return;
      if (!/^(BlockStatement|SwitchCase|Program)$/.test(p.parent?.node.type)) return;
      const result = name(edits.length);
      const indent = /[ \t]*$/.exec(src.slice(0, s.start))![0];
      const schema = src.slice(parse.callee.object.start, parse.callee.object.end);
      const args = src.slice(parse.arguments[0].start, parse.arguments[0].end);
      const inner = `${indent}${unit}`;
      const text = [
        `const ${result} = ${schema}.safeParse(${args});`,
        `if (!${result}.success) {`,
        `${unit}const reasons = ${result}.error.issues.map(issue => ` +
          `(issue.path.length ? \`\${issue.path.join(${q}.${q})}: \${issue.message}\` : issue.message));`,
        `${unit}return { content: [{ type: ${q}text${q}, text: \`Invalid arguments: \${reasons.join(${q}, ${q})}\` }], isError: true };`,
        '}',
        ...(s.type === 'VariableDeclaration'
          ? [`${s.kind} ${src.slice(s.declarations[0].id.start, s.declarations[0].id.end)} = ${result}.data;`]
          : [])
      ]
        .map((line, i) =>
          i === 0 ? line : line.startsWith(unit) ? `${inner}${line.slice(unit.length)}` : `${indent}${line}`
        )
        .join('\n');
      edits.push({ start: s.start, end: s.end, text });
    });
  return edits;
}
