/**
 * How a file is written: its indentation unit, its dominant quote, and the recast print options that reproduce
 * both. Rewrites use it so new code looks like the code around it; the engine's minimal-diff pass uses it to put
 * back what codegen re-indented or re-quoted.
 */
export type Quote = "'" | '"';

/**
 * The file's indentation unit: a tab, or the most common step between the indentation of consecutive code lines
 * (block-comment continuation lines, ` * …`, are not code and would otherwise read as a 1-space unit).
 */
export function indentUnit(text: string): string {
  const lines = text.split('\n').filter(l => /\S/.test(l) && !/^\s*\*/.test(l));
  const indents = lines.map(l => /^[ \t]*/.exec(l)![0]).filter(i => i.length > 0);
  if (indents.filter(i => i[0] === '\t').length > indents.length / 2) return '\t';
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of lines) {
    const width = /^ */.exec(line)![0].length;
    if (width > previous) steps.set(width - previous, (steps.get(width - previous) ?? 0) + 1);
    previous = width;
  }
  let best = 0;
  let count = 0;
  for (const [step, n] of steps) if (n > count || (n === count && step < best)) [best, count] = [step, n];
  return ' '.repeat(best || 2);
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
  const unit = indentUnit(source);
  const useTabs = unit === '\t';
  const tabWidth = unit.length;
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
