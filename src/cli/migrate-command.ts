/** `mcp-migrate [paths...]`: flags → runMigration → diffs, report, exit code. */
import path from 'node:path';
import cliProgress from 'cli-progress';
import { TRANSFORMS } from '../../transforms/index.js';
import { unifiedDiff } from '../diff-print.js';
import { loadConfig } from '../config.js';
import { UsageError } from '../discover.js';
import { DirtyTreeError, runMigration, type MigrationReport } from '../migrate.js';
import { defaultJobs } from '../pool.js';
import { migrateJson } from '../report/migrate-json.js';
import { migrateText } from '../report/migrate-text.js';
import { isInteractive } from './terminal.js';

export interface MigrateFlags {
  dryRun?: boolean;
  exitCode?: boolean;
  transforms?: string;
  list?: boolean;
  json?: boolean;
  jobs?: string;
  ignore?: string[];
  force?: boolean;
  config?: string;
  typecheck?: boolean;
  timeout?: string;
}

export const ALL_IDS = TRANSFORMS.map(t => t.meta.id);

export function listTransforms(): string {
  const rows = TRANSFORMS.map(t => [t.meta.id, `${t.meta.summary} [${t.meta.safety}]`]);
  const width = Math.max(...rows.map(r => r[0].length));
  return rows.map(([id, s]) => `${id.padEnd(width)}  ${s}`).join('\n');
}

function parseIds(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  const unknown = ids.filter(id => !ALL_IDS.includes(id));
  if (unknown.length || ids.length === 0) {
    throw new UsageError(
      `unknown transform id(s): ${unknown.join(', ') || '(none given)'} (known: ${ALL_IDS.join(', ')})`
    );
  }
  return ALL_IDS.filter(id => ids.includes(id)); // pipeline order, whatever order was typed
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--timeout takes a number of seconds above 0, got "${value}"`);
  }
  return seconds * 1000;
}

function parseJobs(value: string | undefined): number {
  if (value === undefined) return defaultJobs();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs takes a whole number of at least 1, got "${value}"`);
  return n;
}

export async function migrateCommand(paths: string[], flags: MigrateFlags): Promise<number> {
  if (flags.list) {
    const list = TRANSFORMS.map(t => ({ id: t.meta.id, summary: t.meta.summary, safety: t.meta.safety }));
    process.stdout.write((flags.json ? JSON.stringify(list, null, 2) : listTransforms()) + '\n');
    return 0;
  }
  if (flags.exitCode && !flags.dryRun) {
    throw new UsageError('--exit-code only works with --dry-run (a write run already exits 1 when a file fails)');
  }
  const cwd = process.cwd();
  const targets = paths.length ? paths : ['.'];
  const { config } = loadConfig(targets, flags.config);
  const interactive = isInteractive(process.stderr);
  let stop = false;
  // First Ctrl-C: start nothing new, let the file being written finish, report. Second: leave now (every write is
  // atomic, so even that leaves each file fully old or fully new).
  const stopping = new AbortController();
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    stopping.abort();
    if (interactive) process.stderr.write('\nmcp-migrate: stopping (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSigint);
  let bar: cliProgress.SingleBar | undefined;
  /** The progress bar on a terminal, started on first use; it names the file in progress. */
  const progress = (total: number) => {
    if (!interactive) return undefined;
    if (!bar) {
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, clearOnComplete: true, format: '{bar} {value}/{total} {file}' },
        cliProgress.Presets.shades_classic
      );
      bar.start(total, 0, { file: '' });
    }
    return bar;
  };
  let report: MigrationReport;
  try {
    report = await runMigration({
      paths: targets,
      config,
      dryRun: !!flags.dryRun,
      force: !!flags.force,
      jobs: parseJobs(flags.jobs),
      ignore: flags.ignore ?? [],
      transforms: parseIds(flags.transforms),
      shouldStop: () => stop,
      stopSignal: stopping.signal,
      timeoutMs: parseTimeout(flags.timeout),
      onStart: (file, total) => progress(total)?.update({ file: path.relative(cwd, file) }),
      typecheck: !!flags.typecheck,
      onTypecheckProgress: step => {
        if (interactive) process.stderr.write(`mcp-migrate: ${step}…\n`);
      },
      onProgress: (done, total) => progress(total)?.update(done)
    });
  } catch (err) {
    if (err instanceof DirtyTreeError) {
      const t = err.trees[0];
      const list = t.files.slice(0, 5).join(', ') + (t.files.length > 5 ? `, … (${t.files.length} in all)` : '');
      process.stderr.write(
        `mcp-migrate: refusing to write: the git work tree ${t.root} has uncommitted changes (${list}). ` +
          `Commit or stash them so the migration can be reviewed and reverted on its own, preview with --dry-run, or pass --force.\n`
      );
      return 2;
    }
    throw err;
  } finally {
    bar?.stop();
    process.off('SIGINT', onSigint);
  }
  const color = isInteractive(process.stdout);
  if (flags.json) {
    process.stdout.write(migrateJson(report, cwd) + '\n');
  } else {
    if (flags.dryRun) {
      for (const f of report.files)
        if (f.changed) process.stdout.write(unifiedDiff(f.file, f.input!, f.output!, cwd, color) + '\n');
      for (const m of report.manifests) process.stdout.write(unifiedDiff(m.file, m.input, m.output, cwd, color) + '\n');
    }
    process.stdout.write(migrateText(report, cwd, color) + '\n');
  }
  if (report.summary.failed > 0 || report.interrupted || (report.summary.typeErrors ?? 0) > 0) return 1;
  if (flags.dryRun && flags.exitCode && (report.summary.changed > 0 || report.manifests.length > 0)) return 1;
  return 0;
}
