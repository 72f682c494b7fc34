/**
 * The one definition of the markers a migration leaves in code, how they are written and how they are found again:
 *   // TODO(mcp-migrate/<rule>): <what to do>      the code is not done; `check` reports an error
 *   // NOTE(mcp-migrate/<rule>): <advice>          works, but something deprecated or outside the code remains
 *   /* @mcp-codemod-error <message> *\/            left by the official v1→v2 codemod (older runs of this tool)
 * Rewrites write them through kit/markers.ts; the engine anchors diagnostics to them; `check` finds them.
 */
import type { Severity } from './transform.js';

export type MarkerKind = 'TODO' | 'NOTE';

const NAMESPACE = 'mcp-migrate';
export const CODEMOD_MARKER = '@mcp-codemod-error';

/**
 * `TODO(mcp-migrate/<rule>): <message>`, the comment text without the `//`. A marker is one line: messages that quote
 * code (a callee written over several lines) would otherwise end the line comment early and break the file.
 */
export function markerText(kind: MarkerKind, rule: string, message: string): string {
  return `${kind}(${markerTag(rule)}): ${message.replace(/\s*\n\s*/g, ' ')}`;
}

/** A whole marker comment line, ready to put above a statement at `indent`. */
export function markerLine(kind: MarkerKind, rule: string, message: string, indent = ''): string {
  return `${indent}// ${markerText(kind, rule, message)}\n`;
}

/** `mcp-migrate/<rule>`: how a marker of `rule` is recognised in a comment, whatever its kind. */
export function markerTag(rule: string): string {
  return `${NAMESPACE}/${rule}`;
}

/** Does this comment text carry a marker of `rule` (of `kind`, when given)? */
export function carriesMarker(comment: string, rule: string, kind?: MarkerKind): boolean {
  return comment.includes(kind ? `${kind}(${markerTag(rule)})` : `(${markerTag(rule)})`);
}

/** The rule a marker in this text names (`TODO(mcp-migrate/<rule>)` → `<rule>`), of `kind` when given. */
export function markerRuleOf(text: string, kind?: MarkerKind): string | undefined {
  return new RegExp(`\\b(?:${kind ?? 'TODO|NOTE'})\\(${NAMESPACE}\\/([\\w/-]+)\\)`).exec(text)?.[1];
}

/** Does this comment text carry any marker of ours? (Such comments leave with the code they annotate.) */
export function isOurMarker(comment: string): boolean {
  return comment.includes(`${NAMESPACE}/`);
}

export function severityOf(kind: MarkerKind): Severity {
  return kind === 'TODO' ? 'error' : 'warning';
}

/** Matches each marker in a text, with the rest of its line (global regexes, one per kind). */
export const MARKER_PATTERNS: Record<MarkerKind | 'CODEMOD', RegExp> = {
  TODO: /TODO\(mcp-migrate\/[\w/-]+\):[^\n]*/g,
  NOTE: /NOTE\(mcp-migrate\/[\w/-]+\):[^\n]*/g,
  CODEMOD: /@mcp-codemod-error[^\n]*/g
};

/** Any of the three markers, or a suppression directive: a file with one is worth a look by `check`. */
export const MENTIONS_MARKERS = /mcp-migrate\/|@mcp-codemod-error|mcp-migrate-ignore/;

/** Markers that say the code is not done (TODO and the official codemod's errors), counted in a text. */
export function countOpenMarkers(text: string): number {
  return (text.match(/TODO\(mcp-migrate\/|@mcp-codemod-error/g) ?? []).length;
}

/**
 * The line index of the first whole-line marker comment of `rule` in `lines` not yet in `used`: where a marker's
 * diagnostic is anchored (it points at the line under the comment).
 */
export function findMarkerLine(lines: string[], rule: string, used: Set<number> = new Set()): number {
  const tag = `(${markerTag(rule)}):`;
  return lines.findIndex((l, i) => !used.has(i) && /^\s*\/\/ (TODO|NOTE)\(/.test(l) && l.includes(tag));
}
