/**
 * Parsing for rewrites that edit text by offsets (most of them): the very parser jscodeshift uses for the file's
 * grammar, so node shapes are the same, but without recast's bookkeeping for reprinting (token lists, a shadow copy
 * of the tree, tab expansion), which costs more than the parse itself. Node offsets are then exact offsets into the
 * source as written. Rewrites that reprint through recast (`root.toSource()`) keep `j(source)`.
 */
import { createRequire } from 'node:module';
import type { Collection, JSCodeshift, Parser } from 'jscodeshift';
import { grammarOf, LENIENT_SYNTAX, type Grammar } from './grammar.js';

const require = createRequire(import.meta.url);
const babel = require('@babel/parser') as typeof import('@babel/parser');
const JSCODESHIFT_TS = require('jscodeshift/parser/tsOptions.js') as import('@babel/parser').ParserOptions;
const TS_OPTIONS = { ...JSCODESHIFT_TS, plugins: [...LENIENT_SYNTAX, ...(JSCODESHIFT_TS.plugins ?? [])] };

/**
 * jscodeshift's own parser options per grammar, without the token list (a third of the parse time, which only
 * recast's reprinting reads). JavaScript is read in babel's own shapes, not jscodeshift's estree ones, so one
 * rewrite sees `ObjectProperty`, `StringLiteral` and `OptionalMemberExpression` in a .js file as in a .ts file
 * (with estree shapes, a `capabilities: { logging: {} }` or a `req.body?.method` in JavaScript went unseen).
 */
const OPTIONS: Record<Grammar, import('@babel/parser').ParserOptions> = {
  ts: { ...TS_OPTIONS, tokens: false },
  tsx: { ...TS_OPTIONS, tokens: false, plugins: ['jsx', ...(TS_OPTIONS.plugins ?? [])] },
  babel: {
    sourceType: 'module',
    allowImportExportEverywhere: true,
    allowReturnOutsideFunction: true,
    startLine: 1,
    tokens: false,
    plugins: [
      ...LENIENT_SYNTAX,
      'jsx',
      'asyncGenerators',
      'classProperties',
      'doExpressions',
      'exportExtensions' as any,
      'functionBind',
      'functionSent',
      'objectRestSpread',
      'dynamicImport',
      'nullishCoalescingOperator',
      'optionalChaining',
      ['decorators', { decoratorsBeforeExport: false }]
    ]
  }
};

/** Marks a tree whose offsets need no mapping back to the source (see text-edits.ts `useSourceOffsets`). */
export const EXACT_OFFSETS = Symbol.for('mcp-migrate.exact-offsets');

let last: { file: string; source: string; root: Collection<any> } | undefined;

/**
 * The tree of `source`. Rewrites run one after another on the same text whenever the previous one changed
 * nothing, so the last tree (with its search index) is handed out again for the same file and text.
 */
export function parseForEdits(j: JSCodeshift, file: string, source: string): Collection<any> {
  if (last && last.file === file && last.source === source) return last.root;
  const root = parseFresh(j, file, source);
  last = { file, source, root };
  return root;
}

/** The parser for recast-printing rewrites (`j(source)`): the same shapes, with the tokens recast reads. */
export function recastParser(grammar: Grammar): Parser {
  return { parse: (source: string) => babel.parse(source, { ...OPTIONS[grammar], tokens: true }) as never };
}

export function parseFresh(j: JSCodeshift, file: string, source: string): Collection<any> {
  const ast: any = babel.parse(source, OPTIONS[grammarOf(file)]);
  Object.defineProperty(ast, EXACT_OFFSETS, { value: true });
  return j(ast);
}

/**
 * `source` with its comments blanked out (same length, same offsets): context tests read the code, so a marker or a
 * comment that names an API does not count as using it.
 */
export function codeOf(root: Collection<any>, source: string): string {
  const comments: { start: number; end: number }[] = root.get().node.comments ?? [];
  if (comments.length === 0) return source;
  const parts: string[] = [];
  let cursor = 0;
  for (const c of comments) {
    if (c.start < cursor) continue;
    parts.push(source.slice(cursor, c.start), source.slice(c.start, c.end).replace(/[^\n]/g, ' '));
    cursor = c.end;
  }
  parts.push(source.slice(cursor));
  return parts.join('');
}
