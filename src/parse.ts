/**
 * Parse checks for the engine: input that does not parse is reported and left untouched, and every output is
 * verified before it can be written. The grammar choice itself lives in the kit (transforms/kit/grammar.ts).
 */
import { parse } from '@babel/parser';
import { babelOptions } from '../transforms/kit/grammar.js';

export { grammarOf, parseAst, type Grammar } from '../transforms/kit/grammar.js';

export interface Token {
  type: string;
  start: number;
  end: number;
  line: number;
}

export type ParseOutcome = { ok: true; tokens: Token[] } | { ok: false; line: number; column: number; message: string };

export function parseSource(file: string, text: string, withTokens = false): ParseOutcome {
  try {
    const ast = parse(text, babelOptions(file, { tokens: withTokens, errorRecovery: false }));
    const tokens = withTokens
      ? (ast.tokens ?? []).map((t: any) => ({
          type: typeof t.type === 'string' ? t.type : t.type.label,
          start: t.start,
          end: t.end,
          line: t.loc.start.line
        }))
      : [];
    return { ok: true, tokens };
  } catch (err) {
    return { ok: false, ...problemOf(err as Error & { loc?: { line: number; column: number } }) };
  }
}

/**
 * [start, end) offsets of every comment, and the first syntax error when the text does not parse cleanly
 * (comments are still found where the parser could recover; `ranges` is undefined where it could not).
 */
export function commentRanges(
  file: string,
  text: string
): {
  ranges?: [number, number][];
  /** String literals and template text (not their interpolations). */
  strings?: [number, number][];
  /** Where each run of template text starts (its first character, not a delimiter). */
  templateStarts?: Set<number>;
  problem?: { line: number; column: number; message: string };
} {
  try {
    const ast = parse(text, babelOptions(file, { errorRecovery: true, tokens: true }));
    const ranges = (ast.comments ?? []).map(c => [c.start!, c.end!] as [number, number]);
    const tokens = ((ast.tokens ?? []) as { type: string | { label: string }; start: number; end: number }[]).filter(
      t => /^(string|template)$/.test(labelOf(t.type))
    );
    const strings = tokens.map(t => [t.start, t.end] as [number, number]);
    // A string token starts at its quote; a template's text right after the backtick (or the `}` of an
    // interpolation), so its first character is text too.
    const templateStarts = new Set(
      tokens.filter(t => labelOf(t.type) === 'template' && t.end > t.start).map(t => t.start)
    );
    const first = (ast.errors ?? [])[0] as (Error & { loc?: { line: number; column: number } }) | undefined;
    return first ? { ranges, strings, templateStarts, problem: problemOf(first) } : { ranges, strings, templateStarts };
  } catch (err) {
    return { problem: problemOf(err as Error & { loc?: { line: number; column: number } }) };
  }
}

function problemOf(e: Error & { loc?: { line: number; column: number } }) {
  return {
    line: e.loc?.line ?? 1,
    column: (e.loc?.column ?? 0) + 1,
    message: e.message.replace(/\s*\(\d+:\d+\)$/, '')
  };
}

/** `text` with the given ranges blanked to spaces (offsets and lines keep their places). */
export function blankRanges(text: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let cursor = 0;
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (s < cursor) continue;
    parts.push(text.slice(cursor, s), ' '.repeat(e - s));
    cursor = e;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

/** Fallback for files that do not parse: line and block comments found by a simple scan. */
export function roughCommentRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/\/\*[\s\S]*?\*\/|(?<![:'"\\])\/\/[^\n]*/g))
    out.push([m.index!, m.index! + m[0].length]);
  return out;
}

/** The code of a file, its comments blanked: what a text search for an API should read (not prose, not markers). */
export function codeWithoutComments(file: string, text: string): string {
  return blankRanges(text, commentRanges(file, text).ranges ?? roughCommentRanges(text));
}

function labelOf(type: string | { label: string }): string {
  return typeof type === 'string' ? type : type.label;
}
