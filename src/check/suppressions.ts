/**
 * Inline suppressions, one line at a time, with a required reason:
 *   // mcp-migrate-ignore-next-line <rule-id>[, <rule-id>…] -- <why>
 *   someCall(); // mcp-migrate-ignore <rule-id> -- <why>
 * A suppression without a reason suppresses nothing and is itself reported.
 */
import type { Diagnostic } from '../types.js';

const DIRECTIVE = /mcp-migrate-ignore(-next-line)?\s+([\w-]+(?:\s*,\s*[\w-]+)*)(?:\s+--\s*(\S[^\n]*))?/g;

export function suppressionsOf(
  text: string,
  position: (index: number) => { line: number; column: number }
): { suppressed: (line: number, rule: string) => boolean; problems: Omit<Diagnostic, 'file'>[] } {
  const byLine = new Map<number, Set<string>>();
  const problems: Omit<Diagnostic, 'file'>[] = [];
  if (!text.includes('mcp-migrate-ignore')) return { suppressed: () => false, problems };
  for (const m of text.matchAll(DIRECTIVE)) {
    const { line, column } = position(m.index ?? 0);
    if (!m[3]) {
      problems.push({
        transform: 'check',
        rule: 'invalid-suppression',
        line,
        column,
        severity: 'error',
        message: 'a suppression needs a reason: `mcp-migrate-ignore <rule-id> -- <why>`'
      });
      continue;
    }
    const target = m[1] ? line + 1 : line;
    const rules = byLine.get(target) ?? new Set<string>();
    for (const id of m[2].split(',')) rules.add(id.trim());
    byLine.set(target, rules);
  }
  return { suppressed: (line, rule) => byLine.get(line)?.has(rule) ?? false, problems };
}
