/**
 * A marker and the finding it explains are one leftover, so `check` reports them once. A rewrite that cannot finish
 * a site leaves `// TODO(mcp-migrate/<rule>): …` above the code the rule flags; counting the comment and the code
 * as two errors made a migrated tree look worse than the original and buried the markers nothing else explains.
 * The finding on the code stays (its rule id is what suppressions, SARIF and `--explain` key on) and carries the
 * marker's text; the TODO or codemod marker it carries is not reported again. A marker with no finding under it
 * (a step `check` cannot see) is still an error of its own, and a NOTE, a warning, is never folded into an error.
 */
import type { Diagnostic } from '../types.js';

export type Finding = Diagnostic & {
  /** The marker on the finding's line or the three above that tells the user what to do there. */
  marker?: string;
};

const ERROR_MARKERS = new Set(['todo-marker', 'codemod-marker']);
const MARKERS = new Set([...ERROR_MARKERS, 'note-marker']);
/** How far above its finding a marker may sit: a marker goes above the statement, which may start a few lines up. */
const REACH = 3;

export function carryMarkers(findings: Finding[]): Finding[] {
  const markers = findings.filter(f => MARKERS.has(f.rule));
  if (markers.length === 0) return findings;
  const carried = new Set<Finding>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (MARKERS.has(f.rule) || f.severity !== 'error') {
      out.push(f);
      continue;
    }
    // The nearest marker above wins; an error marker over a NOTE on the same reach.
    const near = markers
      .filter(m => m.line <= f.line && m.line >= f.line - REACH)
      .sort((a, b) => b.line - a.line || Number(ERROR_MARKERS.has(b.rule)) - Number(ERROR_MARKERS.has(a.rule)))[0];
    if (!near) {
      out.push(f);
      continue;
    }
    if (ERROR_MARKERS.has(near.rule)) carried.add(near);
    out.push({ ...f, marker: near.message });
  }
  return out.filter(f => !carried.has(f));
}
