/**
 * Measures formatting churn in a rewrite: of the lines a change adds, how many differ from a line it removes in
 * the same hunk only by whitespace, or only by quote style. Used by the fixture test (must be zero) and by
 * bench/minimal-diff (to compare with the official codemod alone).
 */
import { diffArrays } from 'diff';

export interface ChurnStats {
  changedLines: number;
  whitespaceOnly: number;
  quoteOnly: number;
}

export function churn(input: string, output: string): ChurnStats {
  const stats: ChurnStats = { changedLines: 0, whitespaceOnly: 0, quoteOnly: 0 };
  const chunks = diffArrays(input.split('\n'), output.split('\n'));
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    if (!c.added && !c.removed) continue;
    const removed = c.removed ? c.value : [];
    const added = c.removed && chunks[i + 1]?.added ? chunks[++i].value : c.added ? c.value : [];
    stats.changedLines += added.length;
    const bare = new Set(removed.map(l => l.replace(/\s+/g, '')));
    const unquoted = new Set(removed.map(l => l.replace(/\s+/g, '').replace(/"/g, "'")));
    for (const line of added) {
      const b = line.replace(/\s+/g, '');
      if (bare.has(b)) stats.whitespaceOnly++;
      else if (unquoted.has(b.replace(/"/g, "'"))) stats.quoteOnly++;
    }
  }
  return stats;
}
