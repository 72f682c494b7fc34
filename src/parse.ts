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
    const e = err as Error & { loc?: { line: number; column: number } };
    return {
      ok: false,
      line: e.loc?.line ?? 1,
      column: (e.loc?.column ?? 0) + 1,
      message: e.message.replace(/\s*\(\d+:\d+\)$/, '')
    };
  }
}

/** [start, end) offsets of every comment, or undefined when the text does not parse. */
export function commentRanges(file: string, text: string): [number, number][] | undefined {
  try {
    const ast = parse(text, babelOptions(file, { errorRecovery: true }));
    return (ast.comments ?? []).map(c => [c.start!, c.end!]);
  } catch {
    return undefined;
  }
}
