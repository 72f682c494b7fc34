/**
 * What an error's message says, read from its literal text: shared by the rewrite that gives a call of an unknown
 * tool its 2026 code (surface) and the one that turns argument failures into isError results (validators), which
 * must not take an unknown tool for bad arguments.
 */
import { isStringLiteral } from './ast.js';

type Node = any;

/** The text a string or template literal says, its substitutions left out. */
export function staticText(n: Node): string | undefined {
  if (isStringLiteral(n)) return n.value;
  if (n?.type === 'TemplateLiteral') return n.quasis.map((q: Node) => q.value.cooked ?? q.value.raw).join(' ');
  return undefined;
}

const UNKNOWN_TOOL = /\bunknown tool\b|\bno such tool\b|\btool\b.*\bnot found\b/i;

/** `Unknown tool: ${name}`, `Tool ${name} not found`: a call of a tool the server does not have. */
export function saysUnknownTool(message: Node): boolean {
  return UNKNOWN_TOOL.test(staticText(message) ?? '');
}
