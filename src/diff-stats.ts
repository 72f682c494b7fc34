/**
 * Measures formatting churn in a rewrite: of the lines a change adds, how many differ from a line it removes in
 * the same hunk only by whitespace, or only by quote style (a block the rewrite moved one level deeper, or a line it
 * took out of a block it removed, does not count: that indentation is meant, and the minimal-diff pass keeps it).
 * Used by the fixture test (must be zero) and by bench/minimal-diff.
 */
import { align, keepNesting, movedBlockLines } from './minimal-diff.js';
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
  // Lines taken out of a block the rewrite removed: kept as printed only by the file-unit rule of keepNesting (what
  // any other nesting reason keeps is still churn, as the official codemod's re-indented lines are).
  const outOfBlock = keepNesting(printed, restored, indentUnit(input));
  const anyway = keepNesting(printed, restored);
  const takenOut = (i: number) => outOfBlock[i] === printed[i] && anyway[i] !== printed[i];
  lines.forEach((l, i) => {
    if (l.original === l.text) return;
    stats.changedLines++;
    if (l.original === undefined || moved.has(i) || takenOut(i)) return;
    if (l.original.replace(/\s+/g, '') === l.text.replace(/\s+/g, '')) stats.whitespaceOnly++;
    else stats.quoteOnly++;
  });
  return stats;
}
