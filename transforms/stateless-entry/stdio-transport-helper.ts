/**
 * `const transport = createStdioTransport()`, where the project's `createStdioTransport` does nothing but return a new
 * `StdioServerTransport` (in this module or in one it imports): the transport is a stdio one, and serveStdio serves
 * over it as it is (the helper keeps whatever options it passes).
 */
import type { EntryContext } from './entry-context.js';
import { importSourceOf } from '../kit/imports.js';
import { readProjectModule } from '../kit/project-modules.js';

type Node = any;

/** The helper's call (`createStdioTransport()`, awaited or not) when `init` is one, else undefined. */
export function stdioHelperCall(
  ctx: EntryContext,
  init: Node,
  isStdioClass: (callee: Node) => boolean
): Node | undefined {
  const call = init?.type === 'AwaitExpression' ? init.argument : init;
  if (call?.type !== 'CallExpression' || call.callee.type !== 'Identifier') return undefined;
  return buildsOnlyStdio(ctx, call.callee.name, isStdioClass) ? call : undefined;
}

function buildsOnlyStdio(ctx: EntryContext, name: string, isStdioClass: (callee: Node) => boolean): boolean {
  const { j, root } = ctx;
  const local = root.find(j.FunctionDeclaration, { id: { name } }).nodes()[0];
  if (local) {
    const body: Node[] = local.body.body;
    const only = body.length === 1 && body[0].type === 'ReturnStatement' ? body[0].argument : undefined;
    return only?.type === 'NewExpression' && isStdioClass(only.callee);
  }
  const source = importSourceOf(j, root, name);
  const text = source ? readProjectModule(ctx.file, source)?.text : undefined;
  if (!text || !/@modelcontextprotocol\/[\w/.-]*stdio/.test(text)) return false;
  const id = name.replace(/\$/g, '\\$');
  const returnsNew = new RegExp(
    `\\bfunction\\s+${id}\\s*\\([^)]*\\)[^{]*\\{\\s*return\\s+new\\s+StdioServerTransport\\s*\\([^)]*\\)\\s*;?\\s*\\}` +
      `|\\b${id}\\s*=\\s*\\([^)]*\\)[^=]*=>\\s*new\\s+StdioServerTransport\\s*\\(`
  );
  return returnsNew.test(text);
}
