/**
 * v1's streaming request helpers on the experimental tasks API, drained for their one result. v1 let a server send
 * an elicitation or a sampling request as a task and read the client's progress as a stream
 * (`X.experimental.tasks.elicitInputStream(params)`, `createMessageStream(params)`); a server that only waits for
 * the result writes the same loop each time:
 *
 *     const stream = server.server.experimental.tasks.elicitInputStream(params);
 *     for await (const message of stream) {
 *       if (message.type === 'result') answer = message.result;
 *       else if (message.type === 'error') throw message.error;
 *     }
 *
 * That loop is the plain request it wraps (`answer = await server.server.elicitInput(params)`: the result, or the
 * error thrown), which v2 still has and the push-to-input-required rewrite turns into a round of the tool. So, on
 * the v1 text before the other surface passes read it, a loop of that shape becomes the request. A loop that reacts
 * to the task's progress (taskCreated, taskStatus), reads the stream elsewhere or passes request options other than
 * a timeout or signal stays as it was, for the surface passes to mark.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isValueReference, onlyStatement, propertyKey, statementRemoval } from '../kit/ast.js';
import { parseForEdits } from '../kit/parse.js';
import { applyEdits, type TextEdit } from '../kit/text-edits.js';

type Node = any;

/** The streaming helper → the request it streams. */
const REQUEST_OF_STREAM: Record<string, string> = {
  elicitInputStream: 'elicitInput',
  createMessageStream: 'createMessage'
};
/** What each stream's result is (v1's ResponseMessage<T> of a `result` message). */
const RESULT_OF_STREAM: Record<string, string> = {
  elicitInputStream: 'ElicitResult',
  createMessageStream: 'CreateMessageResult'
};
/** Request options a plain request takes as the stream did (a task-augmented request's would change what it asks). */
const PLAIN_OPTIONS = new Set(['timeout', 'signal', 'resetTimeoutOnProgress', 'maxTotalTimeout', 'onprogress']);

/** The v1 text with each drained task stream read as its request, or `src` as it was. */
export function rewriteDrainedTaskStreams(j: JSCodeshift, file: string, src: string): string {
  if (!/\b(?:elicitInputStream|createMessageStream)\b/.test(src)) return src;
  const root = parseForEdits(j, file, src);
  const edits: TextEdit[] = [];
  root.find(j.ForOfStatement, { await: true }).forEach((p: ASTPath<any>) => {
    const drained = drainedStream(j, root, p);
    if (!drained) return;
    const { call, declaration, target, cast } = drained;
    const callee = call.callee;
    const receiver = callee.object.object.object;
    const method: string = callee.property.name;
    const request =
      `await ${src.slice(receiver.start, receiver.end)}.${REQUEST_OF_STREAM[method]}` +
      `(${call.arguments.map((a: Node) => src.slice(a.start, a.end)).join(', ')})`;
    // A cast to what the request answers anyway goes: the request then stands whole, as the rounds rewrite reads it.
    const needed = cast && !(cast.type === 'TSTypeReference' && cast.typeName.name === RESULT_OF_STREAM[method]);
    const value = needed ? `(${request}) as ${src.slice(cast.start, cast.end)}` : request;
    edits.push({ start: p.node.start, end: p.node.end, text: `${src.slice(target.start, target.end)} = ${value};` });
    // The comments above the stream's declaration, which say what the code does, stay.
    if (declaration) edits.push(statementRemoval(src, declaration, true));
  });
  return edits.length ? applyEdits(src, edits) : src;
}

interface Drained {
  call: Node;
  /** `const stream = …` the loop reads, when the call is not written in the loop itself. */
  declaration?: Node;
  /** What the loop assigns the result to. */
  target: Node;
  /** The type the result is cast to (`message.result as ElicitResult`). */
  cast?: Node;
}

function drainedStream(j: JSCodeshift, root: any, p: ASTPath<any>): Drained | undefined {
  const loop = p.node;
  const message = loopVariable(loop.left);
  if (!message) return undefined;
  let call = loop.right;
  let declaration: Node | undefined;
  if (call.type === 'Identifier') {
    const found = streamDeclaration(j, root, p, call.name);
    if (!found) return undefined;
    ({ call, declaration } = found);
  }
  if (!isStreamCall(call)) return undefined;
  const branches = typeBranches(loop.body, message);
  const result = branches?.get('result');
  if (!branches || !result || !isRethrow(branches.get('error'), message)) return undefined;
  if ([...branches.keys()].some(k => k !== 'result' && k !== 'error')) return undefined;
  const assigned = resultAssignment(result, message);
  return assigned && { call, declaration, ...assigned };
}

/** `const message` / `let message` of `for await (const message of …)`. */
function loopVariable(left: Node): string | undefined {
  if (left.type !== 'VariableDeclaration' || left.declarations.length !== 1) return undefined;
  const id = left.declarations[0].id;
  return id.type === 'Identifier' ? id.name : undefined;
}

/** `X.experimental.tasks.elicitInputStream(params[, plain options])`. */
function isStreamCall(call: Node): boolean {
  const callee = call?.type === 'CallExpression' ? call.callee : undefined;
  if (callee?.type !== 'MemberExpression' || callee.computed) return false;
  if (!Object.hasOwn(REQUEST_OF_STREAM, callee.property?.name)) return false;
  const tasks = callee.object;
  if (tasks?.type !== 'MemberExpression' || tasks.property?.name !== 'tasks') return false;
  if (tasks.object?.type !== 'MemberExpression' || tasks.object.property?.name !== 'experimental') return false;
  const [params, options, ...rest] = call.arguments;
  if (!params || params.type === 'SpreadElement' || rest.length) return false;
  if (!options) return true;
  return (
    options.type === 'ObjectExpression' &&
    options.properties.every((x: Node) => PLAIN_OPTIONS.has(propertyKey(x) ?? ''))
  );
}

/** `const stream = <call>;` in the loop's own block, before it, and read by nothing but the loop. */
function streamDeclaration(j: JSCodeshift, root: any, p: ASTPath<any>, name: string) {
  const body: Node[] | undefined = p.parent?.node.body;
  if (!Array.isArray(body)) return undefined;
  const at = body.indexOf(p.node);
  const declaration = body
    .slice(0, at)
    .find(
      (s: Node) =>
        s.type === 'VariableDeclaration' &&
        s.declarations.length === 1 &&
        s.declarations[0].id.type === 'Identifier' &&
        s.declarations[0].id.name === name
    );
  if (!declaration || declaration.kind !== 'const') return undefined;
  const scope = p.parent.node;
  const reads = j(scope)
    .find(j.Identifier, { name })
    .filter((x: ASTPath<any>) => x.node !== declaration.declarations[0].id && isValueReference(x));
  if (reads.size() !== 1 || reads.get().node !== p.node.right) return undefined;
  return { call: declaration.declarations[0].init, declaration };
}

/** The loop body as `message.type` → branch: an if / else-if chain testing the message's type, and nothing else. */
function typeBranches(body: Node, message: string): Map<string, Node> | undefined {
  const statements = body.type === 'BlockStatement' ? body.body : [body];
  const branches = new Map<string, Node>();
  for (const statement of statements) {
    let s: Node = statement;
    while (s) {
      if (s.type !== 'IfStatement') return undefined;
      const type = testedType(s.test, message);
      if (!type || branches.has(type)) return undefined;
      branches.set(type, s.consequent);
      s = s.alternate;
    }
  }
  return branches;
}

/** `message.type === 'result'` (either side, == or ===) → 'result'. */
function testedType(test: Node, message: string): string | undefined {
  if (test?.type !== 'BinaryExpression' || !['===', '=='].includes(test.operator)) return undefined;
  const sides = [test.left, test.right];
  const member = sides.find(
    x => x.type === 'MemberExpression' && !x.computed && x.object.name === message && x.property.name === 'type'
  );
  const literal = sides.find(x => (x.type === 'StringLiteral' || x.type === 'Literal') && typeof x.value === 'string');
  return member && literal ? literal.value : undefined;
}

/** `throw message.error` (alone, or alone in a block). */
function isRethrow(branch: Node, message: string): boolean {
  const s = onlyStatement(branch);
  const error = s?.type === 'ThrowStatement' ? s.argument : undefined;
  return (
    error?.type === 'MemberExpression' &&
    !error.computed &&
    error.object.name === message &&
    error.property.name === 'error'
  );
}

/** `target = message.result [as T]` (and an optional `break`) → the target and the cast. */
function resultAssignment(branch: Node, message: string): { target: Node; cast?: Node } | undefined {
  const statements = branch.type === 'BlockStatement' ? [...branch.body] : [branch];
  if (statements.length === 2 && statements[1].type === 'BreakStatement' && !statements[1].label) statements.pop();
  const s = statements.length === 1 ? statements[0] : undefined;
  const assignment = s?.type === 'ExpressionStatement' ? s.expression : undefined;
  if (assignment?.type !== 'AssignmentExpression' || assignment.operator !== '=') return undefined;
  let value = assignment.right;
  let cast: Node | undefined;
  if (value.type === 'TSAsExpression') {
    cast = value.typeAnnotation;
    value = value.expression;
  }
  const isResult =
    value.type === 'MemberExpression' &&
    !value.computed &&
    value.object.name === message &&
    value.property.name === 'result';
  return isResult ? { target: assignment.left, cast } : undefined;
}
