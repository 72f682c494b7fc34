/** Machine-readable migrate report (`--json`): stable field names, paths relative to the working directory. */
import path from 'node:path';
import type { MigrationReport } from '../migrate.js';

export function migrateJson(report: MigrationReport, cwd: string): string {
  const rel = (f: string) => path.relative(cwd, f) || f;
  return JSON.stringify(
    {
      dryRun: report.dryRun,
      interrupted: report.interrupted ?? false,
      files: report.files
        .filter(f => f.changed || f.error || f.diagnostics.length)
        .map(f => ({
          file: rel(f.file),
          changed: f.changed,
          ...(report.dryRun ? {} : { written: f.written ?? false }),
          transforms: f.transforms,
          error: f.error ?? null,
          diagnostics: f.diagnostics.map(d => ({ ...d, file: rel(d.file) }))
        })),
      skipped: report.skipped.map(s => ({ ...s, file: rel(s.file) })),
      manifests: report.manifests.map(m => ({
        file: rel(m.file),
        added: m.added,
        removed: m.removed,
        warnings: m.warnings,
        error: m.error ?? null
      })),
      summary: report.summary
    },
    null,
    2
  );
}
