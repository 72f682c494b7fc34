/**
 * Measures formatting churn in a rewrite: of the lines a change adds, how many differ from a line it removes in
 * the same hunk only by whitespace, or only by quote style (a block the rewrite moved one level deeper does not
 * count: that indentation is meant). Used by the fixture test (must be zero) and by bench/minimal-diff.
 */
import { align, movedBlockLines } from './minimal-diff.js';
import { indentUnit } from '../transforms/kit/source-style.js';

export interface ChurnStats {
  changedLines: number;
  whitespaceOnly: number;
  quoteOnly: number;
}

export function churn(input: string, output: string): ChurnStats {
  const stats: ChurnStats = { changedLines: 0, whitespaceOnly: 0, quoteOnly: 0 };
  const lines = align(input, output);
  const moved = movedBlockLines(lines, indentUnit(input));
  lines.forEach((l, i) => {
    if (l.original === l.text) return;
    stats.changedLines++;
    if (l.original === undefined || moved.has(i)) return;
    if (l.original.replace(/\s+/g, '') === l.text.replace(/\s+/g, '')) stats.whitespaceOnly++;
    else stats.quoteOnly++;
  });
  return stats;
}
