/** `mcp-migrate [paths...]`: flags → runMigration → diffs, report, exit code. */
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

function parseJobs(value: string | undefined): number {
  if (value === undefined) return defaultJobs();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs takes a whole number of at least 1, got "${value}"`);
  return n;
}

export async function migrateCommand(paths: string[], flags: MigrateFlags): Promise<number> {
  if (flags.list) {
    process.stdout.write(listTransforms() + '\n');
    return 0;
  }
  const cwd = process.cwd();
  const targets = paths.length ? paths : ['.'];
  const { config } = loadConfig(targets, flags.config);
  const interactive = isInteractive(process.stderr);
  let stop = false;
  const onSigint = () => {
    stop = true;
  };
  process.on('SIGINT', onSigint);
  let bar: cliProgress.SingleBar | undefined;
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
      typecheck: !!flags.typecheck,
      onTypecheckProgress: step => {
        if (interactive) process.stderr.write(`mcp-migrate: ${step}…\n`);
      },
      onProgress: (done, total) => {
        if (!interactive || total < 50) return;
        bar ??= new cliProgress.SingleBar(
          { stream: process.stderr, clearOnComplete: true },
          cliProgress.Presets.shades_classic
        );
        if (done === 1) bar.start(total, 0);
        bar.update(done);
      }
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
