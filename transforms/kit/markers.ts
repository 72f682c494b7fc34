/**
 * Markers left where a rewrite is recognised but not safe: `// TODO(mcp-migrate/<rule>): …` (someone must act;
 * `check` reports an error) or `// NOTE(mcp-migrate/<rule>): …` (works but deprecated; a warning). Each marker is
 * also a diagnostic. Adding the same marker twice is a no-op, which keeps transforms idempotent.
 */
import type { JSCodeshift } from 'jscodeshift';
import type { TransformDiagnostic, TransformOptions } from './transform.js';
import { columnOf, lineOf } from './ast.js';
import { carriesMarker, markerLine, markerTag, markerText, severityOf, type MarkerKind } from './marker-vocabulary.js';
import { commentAbove, markedAbove, type TextEdit } from './text-edits.js';

export { markerText, type MarkerKind } from './marker-vocabulary.js';

export function hasMarker(node: any, kind: MarkerKind, rule: string): boolean {
  const all = [...(node.comments ?? []), ...(node.leadingComments ?? [])];
  return all.some((c: any) => carriesMarker(String(c.value), rule, kind));
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
  reportMarker(options, statement, kind, id, message);
  if (hasMarker(statement, kind, id)) return false;
  const comment = j.commentLine(` ${markerText(kind, id, message)}`, true, false);
  statement.comments = [...(statement.comments ?? []), comment];
  return true;
}

/**
 * The text-splicing form of `mark`: reports the diagnostic and returns the comment edit for the line above
 * `statement` (a node whose `start` is an offset in `source`), or nothing when that marker is already there.
 */
export function markerEdit(
  source: string,
  statement: any,
  kind: MarkerKind,
  id: string,
  message: string,
  options: TransformOptions
): TextEdit | undefined {
  reportMarker(options, statement, kind, id, message);
  return markedAbove(source, statement.start, `(${markerTag(id)})`)
    ? undefined
    : commentAbove(source, statement.start, markerText(kind, id, message));
}

export function report(options: TransformOptions, d: TransformDiagnostic): void {
  options.report?.(d);
}

/** The diagnostic of a marker placed on `statement`: where it starts, at the marker's severity. */
function reportMarker(options: TransformOptions, statement: any, kind: MarkerKind, id: string, message: string): void {
  report(options, {
    rule: id,
    line: lineOf(statement),
    column: columnOf(statement),
    severity: severityOf(kind),
    message,
    marked: true
  });
}

/**
 * The marker line for code a rewrite is generating (it has no node yet to put a comment on): reports the
 * diagnostic and returns `// TODO(mcp-migrate/<id>): …\n` to write above that code.
 */
export function markerForNewCode(
  options: TransformOptions,
  kind: MarkerKind,
  id: string,
  message: string,
  line: number
): string {
  report(options, { rule: id, line, column: 1, severity: severityOf(kind), message, marked: true });
  return markerLine(kind, id, message);
}
