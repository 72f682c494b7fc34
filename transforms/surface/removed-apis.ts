/**
 * v1 APIs v2 removed without a replacement stay as they are, with a TODO marker that says what to do: the
 * experimental tasks API (server options, `server.experimental.tasks`, `registerToolTask`, `callToolStream`, task
 * store members) and `StreamableHTTPError` constructions (v2's `SdkHttpError` takes a code and data instead).
 */
import type { ASTPath } from 'jscodeshift';
import { propertyKey } from '../kit/ast.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

const TASKS =
  'the experimental tasks API is gone from v2 (SEP-2663 moved tasks to an extension v2 ships no runtime for): ' +
  'run the work inside the tool call, or split it into inputRequired rounds';
const TASK_OPTIONS = new Set(['taskStore', 'taskMessageQueue']);
const TASK_METHODS = new Set([
  'registerToolTask',
  'callToolStream',
  'getTask',
  'getTaskResult',
  'listTasks',
  'cancelTask'
]);

export function markRemovedApis(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  const servers = new Set(['McpServer', 'Server', 'Client']);
  root.find(j.NewExpression, { callee: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    const v1 = ctx.imported.get(p.node.callee.name);
    if (!v1 || !servers.has(v1)) return;
    const options = p.node.arguments[1];
    if (options?.type !== 'ObjectExpression') return;
    const found = options.properties
      .map((x: Node) => propertyKey(x))
      .filter((k: string | undefined) => k && TASK_OPTIONS.has(k));
    if (found.length) ctx.mark(p, 'TODO', 'experimental-tasks', `remove ${found.join(' and ')}: ${TASKS}`);
  });
  root.find(j.MemberExpression).forEach((p: ASTPath<any>) => {
    const name = p.node.property?.name;
    if (
      name === 'experimental' &&
      p.parent?.node.type === 'MemberExpression' &&
      p.parent.node.property?.name === 'tasks'
    ) {
      ctx.mark(p, 'TODO', 'experimental-tasks', TASKS);
    } else if (TASK_METHODS.has(name) && p.parent?.node.type === 'CallExpression' && p.parent.node.callee === p.node) {
      const onTasks =
        /experimental|tasks/.test(ctx.src.slice(p.node.object.start, p.node.object.end)) ||
        name === 'registerToolTask' ||
        name === 'callToolStream';
      if (onTasks) ctx.mark(p, 'TODO', 'experimental-tasks', TASKS);
    }
  });
  root.find(j.NewExpression, { callee: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    if (ctx.imported.get(p.node.callee.name) !== 'StreamableHTTPError') return;
    ctx.mark(
      p,
      'TODO',
      'sdk-http-error',
      'v2 throws SdkHttpError(code, message, data) with an SdkErrorCode and { status, statusText, body } instead of (status, message)'
    );
  });
}
