/**
 * v1 typed a server's info loosely (its schema let unknown keys through), so `new McpServer({ name, version,
 * capabilities: { tools: {} } })` compiled — and the capabilities written there were never read: v1 took them from
 * the options only. v2 types the info strictly, so the same line no longer compiles (TS2353). The capabilities move
 * to the options, the second argument, where the SDK reads them. Where the options declare capabilities already,
 * those were the ones in force, and the info's copy (never read) goes.
 */
import type { ASTPath } from 'jscodeshift';
import { propertyNamed } from '../kit/ast.js';
import { listItemsRemoval } from '../kit/text-edits.js';
import { insertProperty } from '../kit/tool-registrations.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

const SERVER_CLASSES = new Set(['McpServer', 'Server']);

export function moveInfoCapabilities(ctx: SurfaceContext): void {
  const { j, root, src } = ctx;
  root.find(j.NewExpression, { callee: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    const callee = p.node.callee.name;
    if (!SERVER_CLASSES.has(ctx.imported.get(callee) ?? '')) return;
    const [info, options] = p.node.arguments;
    if (info?.type !== 'ObjectExpression') return;
    const capabilities = propertyNamed(info, 'capabilities');
    if (!capabilities || capabilities.computed || capabilities.type === 'SpreadElement') return;
    if (options && options.type !== 'ObjectExpression') return;
    const index = info.properties.indexOf(capabilities);
    const text = src.slice(capabilities.start, capabilities.end);
    ctx.edits.push(...listItemsRemoval(info.properties, new Set([index])));
    if (options && propertyNamed(options, 'capabilities')) return;
    if (options) ctx.edits.push(insertProperty(src, options, text));
    else ctx.edits.push({ start: info.end, end: info.end, text: `, ${optionsWith(src, info, capabilities, text)}` });
  });
}

/** `{ capabilities: … }`, laid out as the info was: one property per line when the info's are. */
function optionsWith(src: string, info: Node, property: Node, text: string): string {
  const lineStart = src.lastIndexOf('\n', property.start - 1) + 1;
  const indent = src.slice(lineStart, property.start);
  if (!/^[ \t]*$/.test(indent)) return `{ ${text} }`;
  const closeLine = src.lastIndexOf('\n', info.end - 1) + 1;
  const closeIndent = /^[ \t]*/.exec(src.slice(closeLine))![0];
  return `{\n${indent}${text},\n${closeIndent}}`;
}
