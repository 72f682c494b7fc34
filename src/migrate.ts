/**
 * The migrate command's engine: discover → prefilter → pipeline (worker pool) → manifest plan → write or not.
 * Returns a report; printing and exit codes belong to the CLI.
 */
import { discover } from './discover.js';
import { dirtyWorkTrees, type DirtyTree } from './git-guard.js';
import { planManifestEdits, type ManifestEdit } from './manifest.js';
import { migrateText } from './pipeline.js';
import { createRunner } from './pool.js';
import { readCandidate } from './read-candidate.js';
import type { Diagnostic, FileResult, PipelineOptions, SkipReason } from './types.js';
import { writeAtomically } from './write.js';

export interface MigrateOptions extends PipelineOptions {
  paths: string[];
  dryRun: boolean;
  force: boolean;
  jobs: number;
  ignore: string[];
  onProgress?: (done: number, total: number, file: string) => void;
  /** Set by the CLI on SIGINT: no new write starts after it. */
  shouldStop?: () => boolean;
}

export interface MigrationReport {
  dryRun: boolean;
  files: FileResult[];
  skipped: { file: string; reason: SkipReason; detail?: string }[];
  manifests: ManifestEdit[];
  refused?: DirtyTree[];
  interrupted?: boolean;
  summary: {
    scanned: number;
    candidates: number;
    changed: number;
    failed: number;
    skipped: number;
    written: number;
    diagnostics: Record<Diagnostic['severity'], number>;
    durationMs: number;
  };
}

export class DirtyTreeError extends Error {
  constructor(readonly trees: DirtyTree[]) {
    super('uncommitted changes');
  }
}

export async function runMigration(options: MigrateOptions): Promise<MigrationReport> {
  const started = performance.now();
  const found = await discover(options.paths, options.ignore);
  if (!options.dryRun && !options.force) {
    const dirty = dirtyWorkTrees(options.paths);
    if (dirty.length) throw new DirtyTreeError(dirty);
  }
  const skipped: MigrationReport['skipped'] = found.skipped.map(s => ({ file: s.file, reason: s.reason }));
  const tasks: { file: string; text: string; options: PipelineOptions }[] = [];
  for (const file of found.files) {
    const c = readCandidate(file);
    if ('skipped' in c) {
      if (c.skipped !== 'not-mcp') skipped.push({ file, reason: c.skipped, detail: c.detail });
    } else tasks.push({ file, text: c.text, options: { transforms: options.transforms, config: options.config } });
  }
  const runner = await createRunner(
    new URL('./worker.js', import.meta.url),
    (t: (typeof tasks)[number]) => migrateText(t.file, t.text, t.options),
    tasks.length,
    options.jobs
  );
  let done = 0;
  const results = await Promise.all(
    tasks.map(t =>
      runner.run(t).then(
        r => (options.onProgress?.(++done, tasks.length, t.file), r),
        (err: Error): FileResult => ({ file: t.file, changed: false, transforms: [], diagnostics: [], error: err.message })
      )
    )
  ).finally(() => runner.close());
  const manifests = await planManifestEdits(results);
  let written = 0;
  let interrupted = false;
  if (!options.dryRun) {
    for (const w of [...results.filter(r => r.changed).map(r => ({ file: r.file, output: r.output! })), ...manifests]) {
      if (options.shouldStop?.()) {
        interrupted = true;
        break;
      }
      writeAtomically(w.file, w.output);
      written++;
    }
  }
  const diagnostics = { error: 0, warning: 0, info: 0 };
  for (const r of results) for (const d of r.diagnostics) diagnostics[d.severity]++;
  return {
    dryRun: options.dryRun,
    files: results,
    skipped,
    manifests,
    interrupted,
    summary: {
      scanned: found.files.length,
      candidates: tasks.length,
      changed: results.filter(r => r.changed).length,
      failed: results.filter(r => r.error).length,
      skipped: skipped.length,
      written,
      diagnostics,
      durationMs: Math.round(performance.now() - started)
    }
  };
}
