/**
 * Measures formatting churn in a rewrite: of the lines a change adds, how many differ from a line it removes in
 * the same hunk only by whitespace, or only by quote style (a block the rewrite moved one level deeper, or a line it
 * took out of a block it removed, does not count: that indentation is meant, and the minimal-diff pass keeps it).
 * Used by the fixture test (must be zero) and by bench/minimal-diff.
 */
import { align, indentOf, keepNesting, movedBlockLines } from './minimal-diff.js';
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
  const printed = lines.map(l => l.text);
  const restored = lines.map(l => l.original ?? l.text);
  // Lines taken out of a block the rewrite removed: the minimal-diff pass keeps them as printed, one step in from their
  // new opener (keepNesting), and they stand shallower than they did. A line kept deeper is still churn.
  const nested = keepNesting(printed, restored, indentUnit(input));
  const takenOut = (i: number) =>
    nested[i] === printed[i] &&
    lines[i]!.original !== undefined &&
    indentOf(printed[i]!).length < indentOf(lines[i]!.original!).length;
  lines.forEach((l, i) => {
    if (l.original === l.text) return;
    stats.changedLines++;
    if (l.original === undefined || moved.has(i) || takenOut(i)) return;
    if (l.original.replace(/\s+/g, '') === l.text.replace(/\s+/g, '')) stats.whitespaceOnly++;
    else stats.quoteOnly++;
  });
  return stats;
}
