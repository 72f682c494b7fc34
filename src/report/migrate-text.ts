/** Human report for the migrate command: diagnostics as file:line:col lines, then one summary line. */
import path from 'node:path';
import pc from 'picocolors';
import type { MigrationReport } from '../migrate.js';

export function migrateText(report: MigrationReport, cwd: string, color: boolean): string {
  const c = pc.createColors(color);
  const rel = (f: string) => path.relative(cwd, f) || f;
  const out: string[] = [];
  const sev = { error: c.red('error'), warning: c.yellow('warning'), info: c.dim('info') };
  for (const f of report.files) {
    if (f.changed)
      out.push(`${report.dryRun ? 'would change' : 'changed'} ${rel(f.file)} (${f.transforms.join(', ')})`);
    if (f.error) out.push(`${c.red('failed')} ${rel(f.file)}: ${f.error}`);
    for (const d of f.diagnostics) {
      if (d.rule === 'parse-error' && f.error) continue;
      out.push(`  ${rel(d.file)}:${d.line}:${d.column} ${sev[d.severity]} ${d.rule} ${d.message}`);
    }
  }
  for (const s of report.skipped) out.push(`skipped ${rel(s.file)}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`);
  for (const m of report.manifests) {
    const parts = [...m.added.map(a => `+${a}`), ...m.removed.map(r => `-${r}`)];
    out.push(`${report.dryRun ? 'would update' : 'updated'} ${rel(m.file)}: ${parts.join(' ')}`);
    for (const w of m.warnings) out.push(`  ${rel(m.file)}: ${sev.warning} ${w}`);
  }
  const s = report.summary;
  if (s.typeErrors !== undefined) {
    const already = s.typeErrorsBefore ? ` (${s.typeErrorsBefore} already in the original files, not counted)` : '';
    const verdict = s.typeErrors
      ? c.red(`${s.typeErrors} type error(s) introduced by the migration`)
      : 'no type errors introduced';
    out.push(`typecheck: ${verdict}${already}`);
  }
  if (report.interrupted) out.push(c.yellow(`interrupted: ${s.written} file(s) written, the rest left as they were`));
  out.push(
    `${s.scanned} file(s) scanned, ${s.candidates} use MCP, ${s.changed} ${report.dryRun ? 'would change' : 'changed'}, ` +
      `${s.failed} failed, ${s.skipped} skipped; ${s.diagnostics.error} error(s), ${s.diagnostics.warning} warning(s) ` +
      `in ${(s.durationMs / 1000).toFixed(2)}s`
  );
  return out.join('\n');
}
