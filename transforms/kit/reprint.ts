import { indentUnit } from './source-style.js';

/** What recast's reprint gets wrong, put right on the printed text (only where the original did not have it). */
export function tidyReprint(original: string, printed: string): string {
  // The original's lines: what the rewrite did not write, which the passes below leave alone.
  const had = new Set(original.split('\n'));
  return tabsKept(
    original,
    had,
    importsTogether(had, withoutDoubleDirectiveSemicolons(original, oneLineRequires(original, printed)))
  );
}

/**
 * recast reprinting a block of a tab-indented file whose statements changed keeps the block's own tabs and indents
 * its statements with spaces (`\t    serveStdio(…)` under `\t\t`-indented neighbours, `    const handler = …` in a
 * function body it added a statement to). A line the rewrite wrote (not one of the original's) gets each four spaces
 * of its indentation, after any tabs, as a tab again.
 */
function tabsKept(original: string, had: Set<string>, printed: string): string {
  if (indentUnit(original) !== '\t') return printed;
  return printed
    .split('\n')
    .map(line => {
      if (had.has(line)) return line;
      const m = /^(\t*)((?: {4})+)(?=\S)/.exec(line);
      return m ? m[1] + '\t'.repeat(m[2]!.length / 4) + line.slice(m[0].length) : line;
    })
    .join('\n');
}

/**
 * recast sets an import (or a require) it inserts after the last one apart with a blank line; an added import line
 * joins the block it follows (a blank line the original had between two of its own imports stays).
 */
function importsTogether(had: Set<string>, printed: string): string {
  const lines = printed.split('\n');
  // A CommonJS module's requires are its imports (`const { createMcpHandler } = require('…');`).
  const isImport = (line: string | undefined) =>
    !!line &&
    (/^import\s/.test(line) || /^(?:const|let|var)\s.*=\s*require\(\s*['"][^'"]+['"]\s*\)/.test(line)) &&
    /;\s*$/.test(line);
  return lines
    .filter((line, i) => !(line === '' && isImport(lines[i - 1]) && isImport(lines[i + 1]) && !had.has(lines[i + 1]!)))
    .join('\n');
}

/**
 * recast prints every destructuring it builds over several lines (`const {\n  a\n} = require('x');`); the requires
 * a rewrite wrote (text the original does not have) go on one line, as a person writes them.
 */
function oneLineRequires(original: string, printed: string): string {
  return printed.replace(
    /const \{\n([^{}]*?)\n\} = require\((['"])([^'"]+)\2\);/g,
    (whole, names: string, q, source) => {
      if (original.includes(whole)) return whole;
      const list = names
        .split(',')
        .map(n => n.trim())
        .filter(Boolean)
        .join(', ');
      return list.length > 80 ? whole : `const { ${list} } = require(${q}${source}${q});`;
    }
  );
}

/** recast ends a directive (`'use strict';`) with a second `;` once a statement of the program is removed. */
function withoutDoubleDirectiveSemicolons(original: string, printed: string): string {
  return printed.replace(/^(\s*(['"])use strict\2;);(?=\s*\n)/, (whole, kept: string) =>
    original.startsWith(whole) ? whole : kept
  );
}
