/**
 * One place that knows which grammar a file uses. Used to reject input that does not parse (it is reported and
 * left untouched), to verify every output before it can be written, and by jscodeshift transforms.
 */
import { parse, type ParserPlugin } from '@babel/parser';

export type Grammar = 'ts' | 'tsx' | 'babel';

export function grammarOf(file: string): Grammar {
  if (/\.tsx$/.test(file)) return 'tsx';
  if (/\.[cm]?ts$/.test(file)) return 'ts';
  return 'babel';
}

const COMMON: ParserPlugin[] = [
  'decorators-legacy', 'classProperties', 'classPrivateProperties', 'classPrivateMethods', 'importAttributes',
  'explicitResourceManagement', 'topLevelAwait'
];

const PLUGINS: Record<Grammar, ParserPlugin[]> = {
  ts: [...COMMON, 'typescript'],
  tsx: [...COMMON, 'typescript', 'jsx'],
  babel: [...COMMON, 'jsx']
};

export interface Token {
  type: string;
  start: number;
  end: number;
  line: number;
}

export type ParseOutcome =
  | { ok: true; tokens: Token[] }
  | { ok: false; line: number; column: number; message: string };

function babelOptions(file: string, extra: { tokens?: boolean; errorRecovery?: boolean }) {
  return {
    sourceType: 'unambiguous' as const,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    plugins: PLUGINS[grammarOf(file)],
    ...extra
  };
}

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

/** The babel AST with tokens, or undefined when the text does not parse. */
export function parseAst(file: string, text: string): any | undefined {
  try {
    return parse(text, babelOptions(file, { tokens: true, errorRecovery: false }));
  } catch {
    return undefined;
  }
}
