/**
 * v1's task tools on 2026-07-28. Tasks left the core protocol for the io.modelcontextprotocol/tasks extension
 * (SEP-2663), which the v2 SDK has no runtime for, and a server without the extension answers a task tool in the
 * tools/call itself (as v1's McpServer already did for a client that sent no `task` parameter). So, on the v1 text
 * before the other surface passes read it:
 * - `X.experimental.tasks.registerToolTask(name, config, { createTask, getTask, getTaskResult })` becomes
 *   `X.registerTool(name, config, runTaskToCompletion({ … }))` (config without `execution`), under a NOTE: the
 *   handlers keep their code and their context keeps `taskStore` (mcp-task-calls.ts);
 * - a v1 `InMemoryTaskStore` whose every use that module's store can serve (a store method called, the server option,
 *   an argument to the project's own code) becomes a `CallTaskStore`, and the server options that handed it (and
 *   the message queue) to the v1 runtime go, with the `tasks` capability.
 * Anything else on the tasks API (low-level task handlers, a store handed to other code, client-side tasks) stays
 * as it was for the surface passes to mark.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import {
  leadingStart,
  propertyFunction,
  propertyKey,
  propertyNamed,
  statementPathOf,
  statementRemoval
} from '../kit/ast.js';
import { isCommonJs } from '../kit/commonjs.js';
import { importLineEdit } from '../kit/import-edits.js';
import { markerEdit } from '../kit/markers.js';
import { parseForEdits } from '../kit/parse.js';
import { dominantQuote, isTypeScript } from '../kit/source-style.js';
import { useSupportModule } from '../kit/support-module.js';
import { applyEdits, listItemsRemoval, type TextEdit } from '../kit/text-edits.js';
import type { TransformOptions } from '../kit/transform.js';
import { TASK_CALLS_MODULE_NAME, TASK_CALLS_MODULE_SOURCE, taskCallsModuleJs } from './mcp-task-calls.source.js';
import { sdkModulePath } from './specifiers.js';
import { SURFACE } from './surface-context.js';

type Node = any;

export const RUN_TO_COMPLETION = 'runTaskToCompletion';
/** The same for a tool without an input schema, whose createTask v1 handed only the context. */
export const RUN_ARGUMENTLESS_TO_COMPLETION = 'runArgumentlessTaskToCompletion';
const STORE = 'CallTaskStore';
const V1_STORE = 'InMemoryTaskStore';
const V1_QUEUE = 'InMemoryTaskMessageQueue';
const TASK_OPTIONS = new Set(['taskStore', 'taskMessageQueue']);
/** What a CallTaskStore answers (v1's InMemoryTaskStore methods a server's own code calls). */
const STORE_METHODS = new Set([
  'createTask',
  'getTask',
  'storeTaskResult',
  'getTaskResult',
  'updateTaskStatus',
  'cleanup'
]);
/** Types of the experimental tasks module the support module declares too, by v1 name: its name there. */
const PROVIDED_TYPES = new Map([
  ['CreateTaskResult', 'CreateTaskResult'],
  ['CreateTaskOptions', 'CreateTaskOptions'],
  // The handler contexts a task tool's handlers are annotated with: the v2 context runTaskToCompletion hands them.
  ['CreateTaskRequestHandlerExtra', 'CreateTaskContext'],
  ['TaskRequestHandlerExtra', 'TaskContext'],
  // A helper handed the context's store (`finish(taskStore: TaskStore, …)`): the support module's store has v1's
  // methods. Not where the file implements a store of its own (a class cannot implement one with private members).
  ['TaskStore', 'CallTaskStore']
]);
/** The SDK's experimental tasks modules (by module path: a vendored copy counts too). */
const TASKS_MODULE = /^experimental(?:\/tasks(?:\/index|\/stores\/in-memory|\/types|\/interfaces)?)?$/;
const SERVES_TASK_METHODS =
  /\b(?:GetTask|GetTaskPayload|ListTasks|CancelTask)RequestSchema\b|['"]tasks\/(?:get|result|list|cancel)['"]/;
const NOTE =
  'this task tool now answers in its tools/call, once its work stores a result: 2026-07-28 moved tasks to the ' +
  'io.modelcontextprotocol/tasks extension (SEP-2663), which the v2 SDK has no runtime for, and a server without it ' +
  'answers a task tool synchronously. Clients no longer get a task to poll (tasks/get, tasks/result)';

/** The v1 text with its task tools and task store rewritten, or `src` as it was. */
export function rewriteTaskTools(j: JSCodeshift, file: string, src: string, options: TransformOptions): string {
  if (!/\bregisterToolTask\b|\bInMemoryTask(?:Store|MessageQueue)\b/.test(src)) return src;
  const root = parseForEdits(j, file, src);
  const commonjs = isCommonJs(root);
  const edits: TextEdit[] = [];
  const used = new Set<string>();
  root.find(j.CallExpression).forEach((p: ASTPath<any>) => {
    const helper = taskToolCall(src, p, edits, options);
    if (helper) used.add(helper);
  });
  // A CommonJS module's task tools take the support module by require; its stores, reached through the compiled
  // module's namespace objects, stay for the surface passes to mark.
  const handled: HandledStores = commonjs
    ? { store: false, names: new Set() }
    : rewriteStores(j, root, src, edits, options);
  if (handled.store) used.add(STORE);
  const imports = commonjs
    ? { moved: [], gone: [], edits: [] }
    : movedImports(j, root, options, handled, used.size > 0);
  for (const name of imports.moved) used.add(name);
  if (!used.size && !imports.gone.length) return src;
  let line = '';
  if (used.size) {
    const specifier = isTypeScript(file)
      ? useSupportModule(file, options, TASK_CALLS_MODULE_NAME, TASK_CALLS_MODULE_SOURCE)
      : useSupportModule(file, options, TASK_CALLS_MODULE_NAME, taskCallsModuleJs(commonjs), 'js');
    const quote = dominantQuote(src);
    line = `import { ${[...used].join(', ')} } from ${quote}${specifier}${quote};`;
  }
  edits.push(...imports.edits);
  // The support import takes the place of a tasks import that went whole (an insertion after it would fall inside
  // its removal), else it follows the file's imports.
  const [first, ...rest] = imports.gone;
  if (first) edits.push(line ? { start: first.start, end: first.end, text: line } : statementRemoval(src, first));
  else if (line) edits.push(importLineEdit(j, root, line));
  for (const node of rest) edits.push(statementRemoval(src, node));
  return applyEdits(src, edits);
}

/** `X.experimental.tasks.registerToolTask(name, config, handlers)` → `X.registerTool(name, config, run…(handlers))`. */
function taskToolCall(src: string, p: ASTPath<any>, edits: TextEdit[], options: TransformOptions): string | undefined {
  const call = p.node;
  const callee = call.callee;
  if (!isMember(callee, 'registerToolTask') || !isMember(callee.object, 'tasks')) return undefined;
  if (!isMember(callee.object.object, 'experimental') || call.arguments.length !== 3) return undefined;
  const [, config, handlers] = call.arguments;
  if (handlers.type !== 'ObjectExpression' || !handlersOnly(handlers)) return undefined;
  // A tool without an input schema hands createTask only the context (v1 and v2 alike): which one it is, only a
  // config written in place says.
  const create = propertyFunction(propertyNamed(handlers, 'createTask'));
  const argumentless = config.type === 'ObjectExpression' && !propertyNamed(config, 'inputSchema');
  if (!create || (argumentless ? create.params.length > 1 : create.params.length < 2)) return undefined;
  const helper = argumentless ? RUN_ARGUMENTLESS_TO_COMPLETION : RUN_TO_COMPLETION;
  const server = callee.object.object.object;
  edits.push({ start: callee.start, end: callee.end, text: `${src.slice(server.start, server.end)}.registerTool` });
  if (config.type === 'ObjectExpression') {
    const i = config.properties.findIndex((x: Node) => propertyKey(x) === 'execution');
    if (i >= 0) edits.push(...listItemsRemoval(items(config.properties), new Set([i])));
  }
  edits.push({ start: handlers.start, end: handlers.start, text: `${helper}(` });
  edits.push({ start: handlers.end, end: handlers.end, text: ')' });
  const note = markerEdit(src, statementPathOf(p).node, 'NOTE', `${SURFACE}/task-run-to-completion`, NOTE, options);
  if (note) edits.push(note);
  return helper;
}

/** The handlers object holds v1's three task handlers and nothing the rewrite would have to reason about. */
function handlersOnly(handlers: Node): boolean {
  return handlers.properties.every(
    (x: Node) => ['createTask', 'getTask', 'getTaskResult'].includes(propertyKey(x) ?? '') && propertyFunction(x)
  );
}

interface HandledStores {
  store: boolean;
  /** v1 task names whose every reference the rewrite took care of (their import specifiers go). */
  names: Set<string>;
}

/**
 * `new InMemoryTaskStore()` → `new CallTaskStore()` where the store is only handed to the server's options and
 * called with a store method; those options go (with the queue and the `tasks` capability). Other stores stay.
 */
function rewriteStores(
  j: JSCodeshift,
  root: Node,
  src: string,
  edits: TextEdit[],
  options: TransformOptions
): HandledStores {
  const locals = v1TaskLocals(j, root, options);
  const storeLocal = [...locals].find(([, v1]) => v1 === V1_STORE)?.[0];
  const queueLocal = [...locals].find(([, v1]) => v1 === V1_QUEUE)?.[0];
  const handled: HandledStores = { store: false, names: new Set() };
  // A server that answers tasks/* itself reads its store there: that is the extension's work, not a tool call's.
  if (!storeLocal || SERVES_TASK_METHODS.test(src)) return handled;
  const serverOptions = serverOptionsWithStore(j, root);
  const optionValues = new Set<Node>();
  for (const { options: o } of serverOptions)
    for (const x of o.properties) if (TASK_OPTIONS.has(propertyKey(x) ?? '')) optionValues.add(x.value);
  // Variables holding a new store or queue, and whether each use is one this rewrite serves.
  const holders = new Map<string, { declarator: ASTPath<any>; kind: string }>();
  root.find(j.VariableDeclarator).forEach((p: ASTPath<any>) => {
    const init = p.node.init;
    if (p.node.id.type !== 'Identifier' || init?.type !== 'NewExpression' || init.callee.type !== 'Identifier') return;
    if (init.callee.name === storeLocal || init.callee.name === queueLocal)
      holders.set(p.node.id.name, { declarator: p, kind: init.callee.name });
  });
  // Where each tracked name is declared: a handler's own `taskStore` parameter is another variable.
  const declared = new Map<string, unknown>();
  for (const [name, holder] of holders) declared.set(name, holder.declarator.scope?.lookup(name));
  root.find(j.ImportSpecifier).forEach((p: ASTPath<any>) => {
    if (locals.has(p.node.local?.name)) declared.set(p.node.local.name, p.scope?.lookup(p.node.local.name));
  });
  const references = new Map<string, Node[]>();
  root.find(j.Identifier).forEach((p: ASTPath<any>) => {
    const parent = p.parent.node;
    const name = p.node.name;
    if (!declared.has(name) || /Specifier$/.test(parent.type)) return;
    if (/MemberExpression$/.test(parent.type) && parent.property === p.node && !parent.computed) return;
    if (/Property$/.test(parent.type) && parent.key === p.node && parent.value !== p.node && !parent.computed) return;
    if (p.scope?.lookup(name) !== declared.get(name)) return;
    references.set(name, [...(references.get(name) ?? []), p]);
  });
  const servedUse = (p: ASTPath<any>, holder: { declarator: ASTPath<any>; kind: string }): boolean => {
    if (p.node === holder.declarator.node.id) return true;
    const parent = p.parent.node;
    if (/Property$/.test(parent.type) && parent.value === p.node && optionValues.has(p.node)) return true;
    // Handed to the project's own code that finishes tasks (`startJob(task.taskId, store)`): it calls the same
    // methods, and a parameter typed with v1's store class keeps that class marked in its own file.
    if (holder.kind === storeLocal && parent.type === 'CallExpression' && parent.arguments.includes(p.node))
      return true;
    const call = p.parent.parent?.node;
    return (
      holder.kind === storeLocal &&
      /MemberExpression$/.test(parent.type) &&
      parent.object === p.node &&
      STORE_METHODS.has(parent.property?.name) &&
      call?.type === 'CallExpression' &&
      call.callee === parent
    );
  };
  const served = new Set<string>();
  for (const [name, holder] of holders)
    if ((references.get(name) ?? []).every(p => servedUse(p, holder))) served.add(name);
  // A class reference is served when it is `new X()` held by a served variable or written as the option value.
  const constructions = (local: string) =>
    (references.get(local) ?? []).every((p: ASTPath<any>) => {
      const n = p.parent.node;
      if (n.type !== 'NewExpression' || n.callee !== p.node) return false;
      const holder = p.parent.parent?.node;
      return (holder?.type === 'VariableDeclarator' && served.has(holder.id.name)) || optionValues.has(n);
    });
  const storeServed = constructions(storeLocal);
  if (!storeServed || (queueLocal && !constructions(queueLocal))) return handled;
  // Every option a store or queue went through goes; so does the server's promise of the v1 task runtime.
  for (const { call, options: o } of serverOptions) {
    const remove = new Set<number>();
    o.properties.forEach((x: Node, i: number) => {
      if (TASK_OPTIONS.has(propertyKey(x) ?? '')) remove.add(i);
    });
    const capabilities = propertyNamed(o, 'capabilities')?.value;
    const tasks =
      capabilities?.type === 'ObjectExpression'
        ? capabilities.properties.findIndex((x: Node) => propertyKey(x) === 'tasks')
        : -1;
    if (tasks >= 0) edits.push(...listItemsRemoval(items(capabilities.properties), new Set([tasks])));
    // Options that held nothing else go as an argument: `new McpServer(info)`.
    if (remove.size === o.properties.length && call.arguments.length === 2)
      edits.push({ start: call.arguments[0].end, end: o.end, text: '' });
    else edits.push(...listItemsRemoval(items(o.properties), remove));
  }
  // A served variable read anywhere but its declaration and the options stays, holding a CallTaskStore; else it goes.
  const kept = new Set<string>();
  for (const [name, holder] of holders) {
    if (!served.has(name)) continue;
    const stillUsed = (references.get(name) ?? []).some(
      p => p.node !== holder.declarator.node.id && !optionValues.has(p.node)
    );
    if (stillUsed) kept.add(name);
    else edits.push(declarationRemoval(src, holder.declarator));
  }
  for (const p of references.get(storeLocal) ?? []) {
    const holder = p.parent.parent?.node;
    if (holder?.type === 'VariableDeclarator' && kept.has(holder.id.name)) {
      edits.push({ start: p.node.start, end: p.node.end, text: STORE });
      handled.store = true;
    }
  }
  handled.names.add(storeLocal);
  if (queueLocal) handled.names.add(queueLocal);
  return handled;
}

/**
 * The import specifiers of the tasks module this rewrite made unnecessary go; the types the support module declares
 * too move to its import (`moved`). Imports left with no specifier are returned whole (`gone`), not removed here.
 */
function movedImports(
  j: JSCodeshift,
  root: Node,
  options: TransformOptions,
  handled: HandledStores,
  supported: boolean
): { edits: TextEdit[]; moved: string[]; gone: Node[] } {
  const out = { edits: [] as TextEdit[], moved: [] as string[], gone: [] as Node[] };
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    if (!isTasksModule(p.node, options)) return;
    const specs: Node[] = p.node.specifiers ?? [];
    const remove = new Set<number>();
    specs.forEach((s: Node, i: number) => {
      if (s.type !== 'ImportSpecifier') return;
      const name = s.imported.name ?? s.imported.value;
      const local = s.local?.name ?? name;
      if (handled.names.has(local)) remove.add(i);
      else if (supported && PROVIDED_TYPES.has(name) && !(name === 'TaskStore' && implemented(j, root, local))) {
        const provided = PROVIDED_TYPES.get(name)!;
        remove.add(i);
        out.moved.push(provided === local ? `type ${local}` : `type ${provided} as ${local}`);
      }
    });
    if (remove.size === specs.length && specs.length) out.gone.push(p.node);
    else if (remove.size) out.edits.push(...listItemsRemoval(items(specs), remove));
  });
  return out;
}

/** `class RedisStore implements TaskStore`: the file implements the interface itself. */
function implemented(j: JSCodeshift, root: Node, local: string): boolean {
  return root
    .find(j.TSExpressionWithTypeArguments)
    .some((p: ASTPath<any>) => p.node.expression?.type === 'Identifier' && p.node.expression.name === local);
}

/** Local name → v1 name of the store and queue classes imported from the SDK's tasks module. */
function v1TaskLocals(j: JSCodeshift, root: Node, options: TransformOptions): Map<string, string> {
  const locals = new Map<string, string>();
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    if (!isTasksModule(p.node, options)) return;
    for (const s of p.node.specifiers ?? []) {
      const name = s.imported?.name ?? s.imported?.value;
      if (s.type === 'ImportSpecifier' && (name === V1_STORE || name === V1_QUEUE))
        locals.set(s.local?.name ?? name, name);
    }
  });
  return locals;
}

/** Option objects of `new X(info, { …, taskStore, … })`: what a v1 server (or client) took a task store through. */
function serverOptionsWithStore(j: JSCodeshift, root: Node): { call: Node; options: Node }[] {
  const found: { call: Node; options: Node }[] = [];
  root.find(j.NewExpression).forEach((p: ASTPath<any>) => {
    const o = p.node.arguments[1];
    if (o?.type === 'ObjectExpression' && propertyNamed(o, 'taskStore')) found.push({ call: p.node, options: o });
  });
  return found;
}

function declarationRemoval(src: string, declarator: ASTPath<any>): TextEdit {
  const declaration = declarator.parent.node;
  if (declaration.declarations.length === 1) return statementRemoval(src, declaration);
  const i = declaration.declarations.indexOf(declarator.node);
  return listItemsRemoval(items(declaration.declarations), new Set([i]))[0]!;
}

/** List items as they sit in the text, each with the comments written above it. */
function items(nodes: Node[]): { start: number; end: number }[] {
  return nodes.map(n => ({ start: leadingStart(n), end: n.end }));
}

function isTasksModule(declaration: Node, options: TransformOptions): boolean {
  return TASKS_MODULE.test(sdkModulePath(String(declaration.source.value), options) ?? '');
}

function isMember(node: Node, name: string): boolean {
  return /MemberExpression$/.test(node?.type) && !node.computed && node.property?.name === name;
}
