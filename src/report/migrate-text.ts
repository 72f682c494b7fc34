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
    const verb = report.dryRun ? 'would change' : f.written ? 'changed' : f.changed && !f.error ? 'not written' : '';
    if (f.changed && verb) out.push(`${verb} ${rel(f.file)} (${f.transforms.join(', ')})`);
    const parse = f.diagnostics.find(d => d.rule === 'parse-error');
    if (f.error)
      out.push(`${c.red('failed')} ${rel(f.file)}${parse ? `:${parse.line}:${parse.column}` : ''}: ${f.error}`);
    for (const d of f.diagnostics) {
      if (d.rule === 'parse-error' && f.error) continue;
      out.push(`  ${rel(d.file)}:${d.line}:${d.column} ${sev[d.severity]} ${d.rule} ${d.message}`);
    }
  }
  for (const s of report.skipped) out.push(`skipped ${rel(s.file)}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`);
  for (const m of report.manifests) {
    const parts = [...m.added.map(a => `+${a}`), ...m.removed.map(r => `-${r}`)];
    if (m.error) out.push(`${c.red('failed')} ${rel(m.file)}: ${m.error}`);
    else out.push(`${report.dryRun ? 'would update' : 'updated'} ${rel(m.file)}: ${parts.join(' ')}`);
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
  // A write run counts what is on disk, so an interrupted or failed write never reads as done.
  const changed = report.dryRun ? s.changed : report.files.filter(f => f.written).length;
  out.push(
    `${s.scanned} file(s) scanned, ${s.candidates} use MCP, ${changed} ${report.dryRun ? 'would change' : 'changed'}, ` +
      `${s.failed} failed, ${s.skipped} skipped; ${s.check.error} error(s), ${s.check.warning} warning(s) ` +
      `${report.dryRun ? 'would be' : 'are'} left for \`mcp-migrate check\` (${(s.durationMs / 1000).toFixed(2)}s)`
  );
  return out.join('\n');
}
