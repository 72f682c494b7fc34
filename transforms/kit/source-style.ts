/**
 * How a file is written: its indentation unit, its dominant quote, and the recast print options that reproduce
 * both. Rewrites use it so new code looks like the code around it; the engine's minimal-diff pass uses it to put
 * back what codegen re-indented or re-quoted.
 */
export type Quote = "'" | '"';

export function indentUnit(text: string): string {
  const indents = [...text.matchAll(/^([ \t]+)\S/gm)].map(m => m[1]);
  if (indents.filter(i => i[0] === '\t').length > indents.length / 2) return '\t';
  const widths = indents.filter(i => i[0] === ' ').map(i => i.length);
  return ' '.repeat(widths.length ? Math.min(...widths) : 2);
}

export function dominantQuote(text: string): Quote {
  let single = 0;
  let double = 0;
  for (const m of text.matchAll(/(['"])(?:\\.|(?!\1)[^\\\n])*\1/g)) {
    if (m[1] === "'") single++;
    else double++;
  }
  return double > single ? '"' : "'";
}

export interface PrintOptions {
  quote: 'single' | 'double';
  tabWidth: number;
  useTabs: boolean;
  lineTerminator: string;
  wrapColumn: number;
}

/** recast print options that match the file: its quote style and indentation width. */
export function printOptions(source: string): PrintOptions {
  const indents = [...source.matchAll(/^( +|\t+)\S/gm)].map(m => m[1]);
  const useTabs = indents.filter(i => i[0] === '\t').length > indents.length / 2;
  const widths = indents.filter(i => i[0] === ' ').map(i => i.length);
  const tabWidth = widths.length ? Math.min(...widths.filter(w => w > 0)) || 2 : 2;
  // recast measures tabs as 4 columns when it reads the file; printing with another width re-indents every line.
  // Wrap no earlier than the file's own longest lines: recast otherwise explodes a grown import onto many lines.
  const longest = Math.max(0, ...source.split('\n').map(l => l.length));
  return {
    quote: dominantQuote(source) === '"' ? 'double' : 'single',
    tabWidth: useTabs ? 4 : Math.min(tabWidth, 8),
    useTabs,
    lineTerminator: '\n',
    wrapColumn: Math.max(120, longest)
  };
}

/** TypeScript sources (`.ts`, `.mts`, `.cts`, `.tsx`): type annotations may be written. */
export function isTypeScript(file: string): boolean {
  return /\.[cm]?tsx?$/.test(file);
}
