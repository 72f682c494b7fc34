/**
 * One place that knows which grammar a file uses and how babel is set up for it. The engine uses it to reject
 * input that does not parse and to verify every output; rewrites use it to choose jscodeshift's parser and to
 * re-read their own output.
 */
import { parse, type ParserOptions, type ParserPlugin } from '@babel/parser';

export type Grammar = 'ts' | 'tsx' | 'babel';

export function grammarOf(file: string): Grammar {
  if (/\.tsx$/.test(file)) return 'tsx';
  if (/\.[cm]?ts$/.test(file)) return 'ts';
  return 'babel';
}

/**
 * Syntax TypeScript and Node accept that babel reads only when asked: `import pkg from './package.json' assert {
 * type: 'json' }` (the import assertions Node 18–20 servers used for their version) and `accessor` class fields
 * (TypeScript 4.9). Without them such a file was refused as not parsing, though tsc and node run it.
 */
export const LENIENT_SYNTAX: ParserPlugin[] = ['deprecatedImportAssert', 'decoratorAutoAccessors'];

const COMMON: ParserPlugin[] = [
  ...LENIENT_SYNTAX,
  'decorators-legacy',
  'classProperties',
  'classPrivateProperties',
  'classPrivateMethods',
  'importAttributes',
  'explicitResourceManagement',
  'topLevelAwait'
];

const PLUGINS: Record<Grammar, ParserPlugin[]> = {
  ts: [...COMMON, 'typescript'],
  tsx: [...COMMON, 'typescript', 'jsx'],
  babel: [...COMMON, 'jsx']
};

export function babelOptions(file: string, extra: { tokens?: boolean; errorRecovery?: boolean }): ParserOptions {
  return {
    sourceType: 'unambiguous',
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    plugins: PLUGINS[grammarOf(file)],
    ...extra
  };
}

/** The babel AST (with tokens unless asked not to), or undefined when the text does not parse. */
export function parseAst(file: string, text: string, { tokens = true } = {}): ReturnType<typeof parse> | undefined {
  try {
    return parse(text, babelOptions(file, { tokens, errorRecovery: false }));
  } catch {
    return undefined;
  }
}
