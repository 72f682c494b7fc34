/**
 * logging-to-otel: MCP logging into OpenTelemetry (SEP-2577 deprecates MCP logging; SEP-414 carries W3C trace
 * context in the request `_meta`). On 2026-07-28 requests v1-style logs silently vanish.
 *
 * - Each request handler that logs (tool, prompt and resource callbacks, low-level `setRequestHandler('<method>')`)
 *   is wrapped in `withMcpSpan(method, name, handler)`: a SERVER span parented on the caller's trace context.
 * - `sendLoggingMessage(...)`, `ctx.mcpReq.log(...)`, `notify/sendNotification/notification({ method:
 *   'notifications/message', params })` become `mcpLog(level, data, logger)`: a span event with the level as an
 *   attribute (stderr when no span is active). Logging helpers keep working and make their callers traced.
 *   Calls outside any function a handler could call (top level, timers) become `console.error('[level]', data)`.
 * - In stdio servers `console.log` becomes `console.error` (stdout is the protocol).
 * - `logging: {}` capabilities and `logging/setLevel` handlers (and level state only they used) are removed;
 *   client `setLoggingLevel` calls get a TODO marker.
 * - The span wrapper lives in one generated module per package, `mcp-tracing.ts` (emitted once; imported
 *   relatively), and `@opentelemetry/api` is added to the manifest.
 *
 * Skips with a TODO marker: log parameters that are neither an object literal nor a variable. JavaScript packages
 * get the module transpiled (`mcp-tracing.js`). Edits are spliced into the text.
 */
import { isCommonJs } from '../kit/commonjs.js';
import type { API, ASTPath } from 'jscodeshift';
import { dominantQuote, isTypeScript } from '../kit/source-style.js';
import { callableName, isFunction, propertyKey, registersSetLevel, statementPathOf } from '../kit/ast.js';
import { defineTransform, type RewriteContext, type TransformMeta } from '../kit/transform.js';
import { importLineEdit } from '../kit/import-edits.js';
import { markerEdit } from '../kit/markers.js';
import { useSupportModule } from '../kit/support-module.js';
import { applyEdits, wholeLines, type TextEdit } from '../kit/text-edits.js';
import { codeOf, parseForEdits } from '../kit/parse.js';
import { TRACING_EXPORTS } from '../kit/tool-registrations.js';
import { inHttpServingBlock, printsInsteadOfServing } from './output-before-serving.js';
import { servesStdio } from './serving-code.js';
import { promiseUse } from './promise-use.js';
import { callsName, handedLoggingPatterns } from './handed-loggers.js';
import { TRACING_MODULE_NAME, TRACING_MODULE_SOURCE, tracingModuleJs } from './mcp-tracing.source.js';

const meta: TransformMeta = {
  id: 'logging-to-otel',
  title: 'Logging to OpenTelemetry',
  summary:
    'MCP log messages → span events in per-request SERVER spans (W3C context from _meta); stdio console.log → stderr',
  spec: ['SEP-2577', 'SEP-414'],
  safety: 'review',
  prefilter: new RegExp(
    String.raw`sendLoggingMessage|mcpReq\.log\s*\(|notifications\/message|logging\s*:\s*\{|logging\/setLevel|` +
      String.raw`SetLevelRequestSchema|setLoggingLevel|console\.(?:log|info|debug)\s*\(`
  )
};

type Node = any;
const ID = meta.id;
const REGISTRATIONS: Record<string, string> = {
  registerTool: 'tools/call',
  tool: 'tools/call',
  registerPrompt: 'prompts/get',
  prompt: 'prompts/get',
  registerResource: 'resources/read',
  resource: 'resources/read'
};
/** Node's console methods that write to stdout (`warn` and `error` write to stderr). */
const STDOUT_CONSOLE = new Set(['log', 'info', 'debug']);

interface LogCall {
  path: ASTPath<any>;
  level: string;
  data: string;
  logger?: string;
  /** The parameters as one expression (not an object literal): logged through mcpLogMessage. */
  params?: string;
}

function loggingToOtel({ file, j, options }: RewriteContext<undefined>): string | undefined {
  const src = file.source;
  const root = parseForEdits(j, file.path, src);
  const q = dominantQuote(src);
  const edits: TextEdit[] = [];
  const text = (n: Node) => src.slice(n.start, n.end);
  const statementOf = (p: ASTPath<any>) => statementPathOf(p).node;
  const mark = (p: ASTPath<any>, rule: string, message: string) => {
    const marker = markerEdit(src, statementOf(p), 'TODO', `${ID}/${rule}`, message, options);
    if (marker) edits.push(marker);
  };
  const typed = isTypeScript(file.path);

  // 1. the log calls, in their three shapes, optionally chained too (`mcp?.notification(…)`, a logger module's server
  // set once one is attached)
  const logs: LogCall[] = [];
  const memberCalls = [
    ...root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).paths(),
    ...root
      .find(j.OptionalCallExpression)
      .filter((p: ASTPath<any>) => /MemberExpression$/.test(p.node.callee.type))
      .paths()
  ];
  memberCalls.forEach((p: ASTPath<any>) => {
    const name = p.node.callee.property?.name;
    const args = p.node.arguments;
    if (name === 'log' && p.node.callee.object?.property?.name === 'mcpReq') {
      if (args.length >= 2)
        logs.push({ path: p, level: text(args[0]), data: text(args[1]), logger: args[2] && text(args[2]) });
      return;
    }
    let params: Node;
    if (name === 'sendLoggingMessage') params = args[0];
    else if (/^(notify|sendNotification|notification)$/.test(name) && args[0]?.type === 'ObjectExpression') {
      const method = prop(args[0], 'method');
      if (method?.value !== 'notifications/message') return;
      params = prop(args[0], 'params');
    } else return;
    if (params?.type === 'ObjectExpression') {
      const level = prop(params, 'level');
      const data = prop(params, 'data');
      const logger = prop(params, 'logger');
      logs.push({
        path: p,
        level: level ? text(level) : `${q}info${q}`,
        data: data ? text(data) : 'undefined',
        logger: logger && text(logger)
      });
    } else if (params) {
      // `msg`, `msg as Params`, `messages[pick()]`: one value holding level, data and logger, read once.
      logs.push({ path: p, level: '', data: '', params: text(params) });
    } else {
      mark(
        p,
        'log-params',
        'a log call without parameters: turn this into mcpLog(level, data) from the tracing module by hand'
      );
    }
  });
  // Logs inside a logging/setLevel handler leave with the handler (step 5): nothing to convert or import for them.
  const setLevelHandlers: ASTPath<any>[] = root
    .find(j.CallExpression, { callee: { property: { name: 'setRequestHandler' } } })
    .filter((p: ASTPath<any>) => registersSetLevel(p.node) && p.parent.node.type === 'ExpressionStatement')
    .paths();
  const insideSetLevel = (l: LogCall) =>
    setLevelHandlers.some(h => l.path.node.start >= h.node.start && l.path.node.end <= h.node.end);
  logs.splice(0, logs.length, ...logs.filter(l => !insideSetLevel(l)));

  // 2. each call becomes a span event, or stderr where no request can be active
  const helpers = new Set<string>();
  const traceHandlers = new Set<Node>();
  let needLog = false;
  let needLogMessage = false;
  for (const l of logs) {
    const handler = enclosingHandler(l.path);
    const fn = enclosingFunction(l.path);
    const helper = !handler && fn ? callableName(fn) : undefined;
    let replacement: string;
    if (l.params !== undefined) {
      // Outside a span mcpLog writes to stderr itself.
      replacement = `mcpLogMessage(${l.params})`;
      needLogMessage = true;
      if (handler) traceHandlers.add(handler.callback);
      if (helper) helpers.add(helper);
    } else if (handler || helper) {
      replacement = `mcpLog(${l.level}, ${l.data}${l.logger ? `, ${l.logger}` : ''})`;
      needLog = true;
      if (handler) traceHandlers.add(handler.callback);
      if (helper) helpers.add(helper);
    } else {
      replacement = `console.error(${stderrLabel(l.level, l.logger, q)}, ${l.data})`;
    }
    // The v1 call returned a promise; code that used it must still get one.
    const use = promiseUse(j, l.path);
    const start = l.path.node.start;
    if (use.kind === 'caught') edits.push({ start, end: use.end, text: replacement });
    else if (use.kind === 'value') edits.push({ start, end: l.path.node.end, text: `Promise.resolve(${replacement})` });
    else edits.push({ start, end: l.path.node.end, text: replacement });
  }

  // 3. handlers that log, directly or through a helper, run inside a span
  let needSpan = false;
  const handedLogging = handedLoggingPatterns(j, root, file.path);
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const method = registrationMethod(p.node);
    if (!method) return;
    const cb = p.node.arguments[p.node.arguments.length - 1];
    if (!cb || !(isFunction(cb) || cb.type === 'Identifier')) return;
    const body = text(cb);
    const calls =
      traceHandlers.has(cb) ||
      [...helpers].some(h => callsName(h).test(body)) ||
      handedLogging.some(pattern => pattern.test(body));
    if (!calls) return;
    const first = p.node.arguments[0];
    const target = p.node.callee.property.name === 'setRequestHandler' ? 'undefined' : text(first);
    edits.push(
      { start: cb.start, end: cb.start, text: `withMcpSpan(${q}${method}${q}, ${target}, ` },
      { start: cb.end, end: cb.end, text: ')' }
    );
    needSpan = true;
  });

  // 4. stdout is the protocol on stdio
  const code = codeOf(root, src);
  if (servesStdio(code)) {
    root
      .find(j.MemberExpression, { object: { name: 'console' } })
      .filter((p: ASTPath<any>) => STDOUT_CONSOLE.has(p.node.property?.name))
      .forEach((p: ASTPath<any>) => {
        if (printsInsteadOfServing(j, p) || inHttpServingBlock(p, code)) return;
        edits.push({ start: p.node.property.start, end: p.node.property.end, text: 'error' });
      });
  }

  // 5. logging/setLevel handlers and the logging capability go
  for (const p of setLevelHandlers) {
    edits.push(wholeLines(src, p.parent.node, true));
    for (const state of levelState(j, root, p)) edits.push(wholeLines(src, state, true));
  }
  // What the removed setLevel handlers log leaves with them.
  let kept = code;
  for (const p of setLevelHandlers)
    kept = kept.slice(0, p.node.start) + ' '.repeat(p.node.end - p.node.start) + kept.slice(p.node.end);
  const remainingLogApi = logs.length === 0 && /sendLoggingMessage|mcpReq\.log\s*\(|notifications\/message/.test(kept);
  if (!remainingLogApi) {
    root
      .find(j.ObjectProperty)
      .filter(
        (p: ASTPath<any>) =>
          propertyKey(p.node) === 'logging' &&
          p.parent.parent?.node.type === 'ObjectProperty' &&
          (p.parent.parent.node.key?.name ?? p.parent.parent.node.key?.value) === 'capabilities'
      )
      .forEach((p: ASTPath<any>) => {
        edits.push(propertyRemoval(src, p.parent.node, p.node));
      });
  }
  root
    .find(j.CallExpression, { callee: { property: { name: 'setLoggingLevel' } } })
    .forEach((p: ASTPath<any>) =>
      mark(
        p,
        'set-logging-level',
        'logging/setLevel is gone from the 2026-07-28 wire (the client throws on a modern connection); ' +
          "remove this call and read the server's OpenTelemetry data instead"
      )
    );

  // 6. one import of the one tracing module
  if (needLog || needLogMessage || needSpan) {
    // A JavaScript package has no build step to strip the module's types: it gets the transpiled form.
    const rel = typed
      ? useSupportModule(file.path, options, TRACING_MODULE_NAME, TRACING_MODULE_SOURCE)
      : useSupportModule(file.path, options, TRACING_MODULE_NAME, tracingModuleJs(isCommonJs(root)), 'js');
    const names = [
      ...(needLog ? [TRACING_EXPORTS.log] : []),
      ...(needLogMessage ? [TRACING_EXPORTS.logMessage] : []),
      ...(needSpan ? [TRACING_EXPORTS.span] : [])
    ].join(', ');
    edits.push(importLineEdit(j, root, `import { ${names} } from ${q}${rel}${q};`));
    options.needDependency?.('@opentelemetry/api');
  }
  const out = edits.length ? applyEdits(src, dedupe(edits)) : undefined;
  return out === src ? undefined : out;
}

function prop(obj: Node, key: string): Node | undefined {
  return obj.properties?.find((p: Node) => propertyKey(p) === key)?.value;
}

function registrationMethod(call: Node): string | undefined {
  const name = call.callee.property?.name;
  if (name === 'setRequestHandler') {
    const first = call.arguments[0];
    return typeof first?.value === 'string' ? first.value : undefined;
  }
  return REGISTRATIONS[name] && typeof call.arguments[0] !== 'undefined' ? REGISTRATIONS[name] : undefined;
}

/** The registration callback (and its call) the path sits in, if any. */
function enclosingHandler(p: ASTPath<any>): { callback: Node } | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    if (!isFunction(cur.node)) continue;
    const call = cur.parent?.node;
    if (
      call?.type === 'CallExpression' &&
      call.callee?.type === 'MemberExpression' &&
      registrationMethod(call) &&
      call.arguments[call.arguments.length - 1] === cur.node
    ) {
      return { callback: cur.node };
    }
  }
  return undefined;
}

function enclosingFunction(p: ASTPath<any>): ASTPath<any> | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) if (isFunction(cur.node)) return cur;
  return undefined;
}

/** Module-level variables assigned only by the removed setLevel handler and read nowhere else. */
function levelState(j: API['jscodeshift'], root: any, handler: ASTPath<any>): Node[] {
  const assigned = new Set<string>();
  j(handler)
    .find(j.AssignmentExpression, { left: { type: 'Identifier' } })
    .forEach((a: ASTPath<any>) => assigned.add(a.node.left.name));
  const out: Node[] = [];
  for (const name of assigned) {
    const declarators = root
      .find(j.VariableDeclarator, { id: { name } })
      .filter((d: ASTPath<any>) => d.parent.parent.node.type === 'Program' && d.parent.node.declarations.length === 1);
    if (!declarators.size()) continue;
    const elsewhere = root.find(j.Identifier, { name }).filter((i: ASTPath<any>) => {
      for (let cur: ASTPath<any> | null = i; cur; cur = cur.parent)
        if (cur.node === handler.node || cur.node === declarators.get().node) return false;
      return true;
    });
    if (elsewhere.size() === 0) out.push(declarators.get().parent.node);
  }
  return out;
}

/** Removes one property of an object literal with its separating comma. */
function propertyRemoval(src: string, obj: Node, property: Node): TextEdit {
  const i = obj.properties.indexOf(property);
  const next = obj.properties[i + 1];
  const prev = obj.properties[i - 1];
  if (next) return { start: property.start, end: next.start, text: '' };
  if (prev) return { start: prev.end, end: property.end, text: '' };
  return { start: obj.start, end: obj.end, text: '{}' };
}

/** Identical edits (the same range and text) can come from two passes; apply them once. */
function dedupe(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter(e => {
    const k = `${e.start}:${e.end}:${e.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export default defineTransform({ meta, rewrite: loggingToOtel });

/**
 * The prefix of a log line written to stderr: `'[info]'`, or with the v1 logger name `mcpLog` would print
 * (`[info] jobs:`), so a constant naming the logger is still read.
 */
function stderrLabel(level: string, logger: string | undefined, q: string): string {
  const literal = (t: string) => /^['"`][\w.:-]*['"`]$/.test(t);
  const levelPart = literal(level) ? level.slice(1, -1) : `\${${level}}`;
  if (!logger) return literal(level) ? `${q}[${levelPart}]${q}` : `\`[${levelPart}]\``;
  const loggerPart = literal(logger) ? logger.slice(1, -1) : `\${${logger}}`;
  return `\`[${levelPart}] ${loggerPart}:\``;
}
