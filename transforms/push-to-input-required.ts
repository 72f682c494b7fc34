/**
 * Rewrite 6 (first slice): server→client requests become multi-round-trip results (SEP-2322). 2026-07-28 has no
 * server→client requests, so `elicitInput()` / `createMessage()` / `listRoots()` (and `ctx.mcpReq.send()` of
 * those methods) fail on every 2026 request. A tool handler that awaits ONE such request as a top-level
 * statement, after code that is safe to run again, becomes two phases:
 *
 *   const answerInput = inputResponse(ctx.mcpReq.inputResponses, 'elicitation');
 *   if (answerInput.kind !== 'elicit') return inputRequired({ inputRequests: { elicitation: inputRequired.elicit(params) } });
 *   const answer = answerInput;              // { action, content } as before
 *
 * The first call returns `inputRequired`; the client fulfils the request and retries the same call with the
 * response, and the handler runs on from where it awaited. Everything else (several requests in sequence, a
 * request nested in a branch or a helper, URL elicitation, a request outside any handler) gets a TODO marker.
 * Sampling and roots still work this way but are deprecated (SEP-2577): a NOTE says what replaces them.
 */
import type { API, ASTPath, FileInfo, JSCodeshift } from 'jscodeshift';
import { dominantQuote } from '../src/minimal-diff.js';
import { isFunction, statementPathOf, uniqueName } from './lib/ast.js';
import type { TransformMeta, TransformOptions } from './lib/contract.js';
import { namedImportsEdit } from './lib/import-edits.js';
import { markerEdit } from './lib/markers.js';
import { applyEdits, lineIndent, type TextEdit, useSourceOffsets } from './lib/text-edits.js';
import { contextParameter, property, toolRegistrations, type ToolRegistration } from './lib/tool-registrations.js';

export const meta: TransformMeta = {
  id: 'push-to-input-required',
  title: 'Push requests → inputRequired',
  summary: 'elicitInput / createMessage / listRoots awaited in a tool → inputRequired(...) result and re-entry (SEP-2322)',
  spec: ['SEP-2322', 'SEP-2260', 'SEP-2577'],
  safety: 'review',
  prefilter: /elicitInput|createMessage|listRoots|requestSampling|elicitation\/create|sampling\/createMessage|roots\/list/
};

type Node = any;

interface PushKind {
  key: string;
  view: 'elicit' | 'sampling' | 'roots';
  builder: 'elicit' | 'createMessage' | 'listRoots';
  /** The value the awaited call used to produce, from the input response view. */
  value: (view: string) => string;
  /** Type imports the value needs in TypeScript. */
  types?: string[];
  note?: string;
}

const KINDS: Record<string, PushKind> = {
  elicit: { key: 'elicitation', view: 'elicit', builder: 'elicit', value: v => v },
  sampling: {
    // A request without `tools` gets a single-content result, which is what the v1 code was written against.
    key: 'sampling', view: 'sampling', builder: 'createMessage', value: v => `${v}.result as CreateMessageResult`, types: ['type CreateMessageResult'],
    note: 'sampling is deprecated (SEP-2577); it still works through inputRequired, but calling your LLM provider\'s API directly is the lasting replacement'
  },
  roots: {
    key: 'roots', view: 'roots', builder: 'listRoots', value: v => `{ roots: ${v}.roots }`,
    note: 'roots are deprecated (SEP-2577); they still work through inputRequired, but take the directory as a tool argument or server configuration instead'
  }
};

const METHOD_KINDS: Record<string, string> = { elicitInput: 'elicit', createMessage: 'sampling', requestSampling: 'sampling', listRoots: 'roots' };
const WIRE_KINDS: Record<string, string> = { 'elicitation/create': 'elicit', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };

/** A server→client request call and what it asks for; `params` is the node of its parameters (if any). */
interface PushCall {
  path: ASTPath<any>;
  kind: string;
  params?: Node;
  /** URL-mode elicitation: carries an elicitationId and completes out of band. */
  url: boolean;
}

export default function pushToInputRequired(file: FileInfo, api: API, options: TransformOptions): string | undefined {
  const j = api.jscodeshift;
  const src = file.source;
  const root = j(src);
  useSourceOffsets(src, root.get().node);
  const q = dominantQuote(src);
  const typed = /\.[cm]?tsx?$/.test(file.path);
  const edits: TextEdit[] = [];
  const mark = (p: ASTPath<any>, kind: 'TODO' | 'NOTE', rule: string, message: string) => {
    const e = markerEdit(src, statementPathOf(p).node, kind, `${meta.id}/${rule}`, message, options);
    if (e) edits.push(e);
  };
  const calls = pushCalls(j, root);
  if (calls.length === 0) return undefined;
  const tools = toolRegistrations(j, root, src);
  const needed = new Set<string>();

  for (const call of calls) {
    const handler = enclosingHandler(call.path, tools);
    if (!handler) {
      if (!insideAnyRequestHandler(call.path)) {
        mark(call.path, 'TODO', 'outside-request', 'a server→client request outside a client request is forbidden on 2026-07-28 (SEP-2260); ask from inside a tool call by returning inputRequired(...), or drop it');
      } else {
        mark(call.path, 'TODO', 'manual', 'this handler awaits a server→client request, which 2026-07-28 removes: return inputRequired(...) and read ctx.mcpReq.inputResponses on the retry (see docs/push-to-input-required.md)');
      }
      continue;
    }
    const siblings = calls.filter(c => c !== call && enclosingHandler(c.path, tools) === handler);
    const reason = unsupported(call, handler, siblings.length);
    if (reason) {
      mark(call.path, 'TODO', reason.rule, reason.message);
      continue;
    }
    const kind = KINDS[call.kind]!;
    const ctx = contextParameter(src, handler);
    if (typeof ctx === 'string') {
      mark(call.path, 'TODO', 'manual', `this handler awaits a server→client request but ${ctx}; return inputRequired(...) by hand`);
      continue;
    }
    edits.push(...ctx.edits);
    const statement = statementPathOf(call.path).node;
    const declarator = statement.type === 'VariableDeclaration' ? statement.declarations[0] : undefined;
    const indent = lineIndent(src, statement.start);
    const base = declarator?.id.type === 'Identifier' ? declarator.id.name : kind.key;
    const view = uniqueName(j, root, `${base}Input`);
    // The request is built in its own declaration so its (often multi-line) parameters keep their layout.
    const lines: string[] = [];
    let request = `inputRequired.${kind.builder}()`;
    if (kind.builder !== 'listRoots') {
      request = uniqueName(j, root, `${base}Request`);
      lines.push(`const ${request} = inputRequired.${kind.builder}(${src.slice(call.params.start, call.params.end)});`);
    }
    lines.push(
      `const ${view} = inputResponse(${ctx.name}.mcpReq.inputResponses, ${q}${kind.key}${q});`,
      `if (${view}.kind !== ${q}${kind.view}${q}) return inputRequired({ inputRequests: { ${kind.key}: ${request} } });`
    );
    if (declarator) {
      const kw = statement.kind;
      const value = typed ? kind.value(view) : kind.value(view).replace(/ as \w+$/, '');
      lines.push(`${kw} ${src.slice(declarator.id.start, declarator.id.end)} = ${value};`);
    }
    edits.push({ start: statement.start, end: statement.end, text: lines.join(`\n${indent}`) });
    needed.add('inputRequired').add('inputResponse');
    if (typed) for (const t of kind.types ?? []) needed.add(t);
    if (kind.note) mark(call.path, 'NOTE', call.kind === 'sampling' ? 'sampling-deprecated' : 'roots-deprecated', kind.note);
  }
  const e = namedImportsEdit(j, root, src, '@modelcontextprotocol/server', [...needed], q);
  if (e) edits.push(e);
  const out = edits.length ? applyEdits(src, edits) : undefined;
  return out === src ? undefined : out;
}

function pushCalls(j: JSCodeshift, root: any): PushCall[] {
  const found: PushCall[] = [];
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const name = p.node.callee.property?.name;
    const [first] = p.node.arguments;
    if (METHOD_KINDS[name]) {
      // `client.listRoots()` style calls on a Client are the client side: only server-side receivers count.
      const receiver = p.node.callee.object;
      const text = receiver.type === 'MemberExpression' ? receiver.property?.name : receiver.name;
      if (!/^(server|mcpReq|extra|ctx|context|_server|mcpServer)$/i.test(text ?? '') && !/server/i.test(text ?? '')) return;
      found.push({ path: p, kind: METHOD_KINDS[name]!, params: first, url: isUrlMode(first) });
      return;
    }
    if ((name === 'send' || name === 'sendRequest') && first?.type === 'ObjectExpression') {
      const method = property(first, 'method')?.value;
      const kind = method && typeof method.value === 'string' ? WIRE_KINDS[method.value] : undefined;
      if (!kind) return;
      const params = property(first, 'params')?.value;
      found.push({ path: p, kind, params, url: isUrlMode(params) });
    }
  });
  return found;
}

function isUrlMode(params: Node): boolean {
  const mode = params?.type === 'ObjectExpression' ? property(params, 'mode')?.value : undefined;
  return !!mode && mode.value === 'url';
}

function enclosingHandler(p: ASTPath<any>, tools: ToolRegistration[]): ToolRegistration | undefined {
  return tools
    .filter(t => p.node.start >= t.callback.start && p.node.end <= t.callback.end)
    .sort((a, b) => b.callback.start - a.callback.start)[0];
}

/** Inside some callback passed to a register* / setRequestHandler call (a prompt, resource, low-level handler). */
function insideAnyRequestHandler(p: ASTPath<any>): boolean {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && /^(register(Tool|Prompt|Resource)|tool|prompt|resource|setRequestHandler)$/.test(n.callee.property?.name ?? '')) return true;
  }
  return false;
}

/**
 * Why this call cannot become two phases automatically, or nothing. The handler re-runs from the top on the
 * retry, so everything before the request must be safe to run twice: only declarations and early returns that
 * call nothing and assign nothing outside themselves.
 */
function unsupported(call: PushCall, tool: ToolRegistration, others: number): { rule: string; message: string } | undefined {
  const manual = (why: string) => ({ rule: 'manual', message: `${why}; return inputRequired(...) and read ctx.mcpReq.inputResponses on the retry by hand (see docs/push-to-input-required.md)` });
  if (call.url) return { rule: 'url-elicitation', message: 'URL elicitation completes out of band: return inputRequired({ inputRequests: { key: inputRequired.elicitUrl({ message, url }) }, requestState }) and check completion on the retry; correlate through requestState, not an elicitationId' };
  if (others > 0) return { rule: 'sequential', message: 'this handler makes several server→client requests in sequence; on 2026-07-28 each becomes a round of inputRequired(...), with what earlier rounds learned carried in a sealed requestState (createRequestStateCodec)' };
  if (call.kind !== 'roots' && !call.params) return manual('the request parameters are not written at the call');
  const body = tool.callback.body;
  if (body.type !== 'BlockStatement') return manual('the request is in an expression-bodied handler');
  const await_ = call.path.parent?.node;
  if (await_?.type !== 'AwaitExpression') return manual('the request is not awaited where it is made');
  const statement = statementPathOf(call.path).node;
  const index = body.body.indexOf(statement);
  if (index < 0) return manual('the request is nested inside a branch, loop or callback');
  const direct =
    (statement.type === 'VariableDeclaration' && statement.declarations.length === 1 && statement.declarations[0].init === await_) ||
    (statement.type === 'ExpressionStatement' && statement.expression === await_);
  if (!direct) return manual('the awaited result is used inside a larger expression');
  for (const before of body.body.slice(0, index)) if (!replayable(before)) return manual('code before the request does work that would run again on the retry');
  return undefined;
}

const EFFECTS = new Set(['CallExpression', 'NewExpression', 'AwaitExpression', 'AssignmentExpression', 'UpdateExpression', 'YieldExpression', 'OptionalCallExpression', 'TaggedTemplateExpression', 'DeleteExpression']);

/** Calls that only read: the client-identity accessors and common side-effect-free string/collection reads. */
const PURE_METHODS = /^(getClientCapabilities|getClientVersion|getNegotiatedProtocolVersion|has|includes|startsWith|endsWith|slice|trim|toLowerCase|toUpperCase|toString|indexOf)$/;

function isPureCall(n: Node): boolean {
  return (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') && /MemberExpression$/.test(n.callee.type) && !n.callee.computed && PURE_METHODS.test(n.callee.property?.name ?? '');
}

function replayable(statement: Node): boolean {
  // An early exit (`if (!caps?.sampling) return fallback(…)`) runs its branch only on calls that never reach the
  // request: only its test runs on both rounds.
  if (statement.type === 'IfStatement' && !statement.alternate && exits(statement.consequent)) return effectFree(statement.test);
  if (statement.type !== 'VariableDeclaration') return false;
  return effectFree(statement);
}

function exits(s: Node): boolean {
  if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return true;
  return s.type === 'BlockStatement' && s.body.length > 0 && exits(s.body[s.body.length - 1]);
}

function effectFree(node: Node): boolean {
  let clean = true;
  const visit = (n: Node) => {
    if (!clean || !n || typeof n.type !== 'string') return;
    if (isPureCall(n)) {
      visit(n.callee.object);
      n.arguments.forEach(visit);
      return;
    }
    if (EFFECTS.has(n.type) || isFunction(n)) {
      clean = false;
      return;
    }
    for (const key of Object.keys(n)) {
      if (key === 'loc' || key === 'comments' || key === 'leadingComments' || key === 'trailingComments' || key === 'tokens') continue;
      const v = n[key];
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object' && typeof v.type === 'string') visit(v);
    }
  };
  visit(node);
  return clean;
}
