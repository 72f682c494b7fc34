/**
 * Markers left where a rewrite is recognised but not safe: `// TODO(mcp-migrate/<rule>): …` (someone must act;
 * `check` reports an error) or `// NOTE(mcp-migrate/<rule>): …` (works but deprecated; a warning). Each marker is
 * also a diagnostic. Adding the same marker twice is a no-op, which keeps transforms idempotent.
 */
import type { JSCodeshift } from 'jscodeshift';
import type { TransformDiagnostic, TransformOptions } from './transform.js';
import { columnOf, lineOf } from './ast.js';
import { commentAbove, markedAbove, type TextEdit } from './text-edits.js';

export type MarkerKind = 'TODO' | 'NOTE';

export function markerText(kind: MarkerKind, rule: string, message: string): string {
  return `${kind}(mcp-migrate/${rule}): ${message}`;
}

export function hasMarker(node: any, kind: MarkerKind, rule: string): boolean {
  const all = [...(node.comments ?? []), ...(node.leadingComments ?? [])];
  return all.some((c: any) => String(c.value).includes(`${kind}(mcp-migrate/${rule})`));
}

/** Puts a marker comment above `statement` (a statement node) and reports it; true when the comment is new. */
export function mark(
  j: JSCodeshift,
  statement: any,
  kind: MarkerKind,
  rule: string,
  message: string,
  options: TransformOptions,
  transform: string
): boolean {
  const id = rule.startsWith(`${transform}/`) ? rule : `${transform}/${rule}`;
  report(options, {
    rule: id,
    line: lineOf(statement),
    column: columnOf(statement),
    severity: kind === 'TODO' ? 'error' : 'warning',
    message
  });
  if (hasMarker(statement, kind, id)) return false;
  const comment = j.commentLine(` ${markerText(kind, id, message)}`, true, false);
  statement.comments = [...(statement.comments ?? []), comment];
  return true;
}

/**
 * The text-splicing form of `mark`: reports the diagnostic and returns the comment edit for the line above
 * `statement` (a node whose `start` is an offset in `source`), or nothing when that marker is already there.
 */
export function markerEdit(source: string, statement: any, kind: MarkerKind, id: string, message: string, options: TransformOptions): TextEdit | undefined {
  report(options, { rule: id, line: lineOf(statement), column: columnOf(statement), severity: kind === 'TODO' ? 'error' : 'warning', message });
  return markedAbove(source, statement.start, `(mcp-migrate/${id})`) ? undefined : commentAbove(source, statement.start, markerText(kind, id, message));
}

export function report(options: TransformOptions, d: TransformDiagnostic): void {
  options.report?.(d);
}
