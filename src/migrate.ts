/**
 * The migrate command's engine: discover → prefilter → pipeline (worker pool) → manifest plan → write or not.
 * Returns a report; printing and exit codes belong to the CLI.
 */
import {
  brokenAgreements,
  entangledWith,
  filesOf,
  filesWithParts,
  MAX_REPLANS,
  partsFor,
  filesOfWoken,
  planAgreements,
  withoutAgreements
} from './agreements.js';
import { barrelImporters } from './barrels.js';
import { commonDir } from './common-dir.js';
import { discover } from './discover.js';
import { dirtyWorkTrees, type DirtyTree } from './git-guard.js';
import fs from 'node:fs';
import path from 'node:path';
import { planManifestEdits, type ManifestEdit } from './manifest.js';
import { moduleTypeScope } from './nearest-manifest.js';
import { inQuoteStyleOf } from './minimal-diff.js';
import { withoutAddedSemicolons } from './semicolon-style.js';
import { leftoversOnly, untouched } from './pipeline.js';
import { threadCpuMs } from './thread-cpu.js';
import migrateTask from './worker.js';
import { createRunner } from './pool.js';
import { readCandidate } from './read-candidate.js';
import { mayNeedMigration } from './prefilter.js';
import { v1LibrariesDeclaredFor } from './v1-libraries-declared.js';
import { uncheckedReason } from './check/unchecked.js';
import { uncheckedFileMarked } from './unchecked-file-marker.js';
import type { Diagnostic, FileResult, PipelineOptions, SkipReason } from './types.js';
import { importersOf } from './typecheck/importers.js';
import { runTypecheck, type TypecheckResult } from './typecheck/run-typecheck.js';
import { vendoredSdkModuleRoot, vendoredSdkSpecifiers } from './vendored-sdk.js';
import { writeOrExplain } from './write.js';
import { markZod3Servers } from './zod-3-markers.js';
import { ownConnectClassesOf } from './check/own-connect.js';
import { addPortedFiles } from './zod-3-ports.js';

export interface MigrateOptions extends PipelineOptions {
  paths: string[];
  dryRun: boolean;
  force: boolean;
  jobs: number;
  ignore: string[];
  onProgress?: (done: number, total: number, file: string) => void;
  /** Set by the CLI on SIGINT: no new write starts after it. */
  shouldStop?: () => boolean;
  /** Aborted on Ctrl-C: files still being rewritten in a worker are stopped and left as they were. */
  stopSignal?: AbortSignal;
  /** Called when a file starts (for a progress bar that names the file in progress). */
  onStart?: (file: string, total: number) => void;
  /** Per-file time budget in ms (default 30 s); a file over it fails with the reason and is left as it was. */
  timeoutMs?: number;
  /** Type-check the changed files before (v1 types) and after (v2 types) and report the errors the run introduced. */
  typecheck?: boolean;
  onTypecheckProgress?: (step: string) => void;
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
    /** What `mcp-migrate check` will report on the files this run read, as they are after it. */
    check: { error: number; warning: number };
    /** With --typecheck: type errors the migration introduced (reported), and those the originals already had. */
    typeErrors?: number;
    typeErrorsBefore?: number;
    durationMs: number;
  };
}

export class DirtyTreeError extends Error {
  constructor(readonly trees: DirtyTree[]) {
    super('uncommitted changes');
  }
}

/**
 * Where each package's generated support modules go (a package here being the scope of one module type: a dual
 * build's `dist/esm` and `dist/commonjs` each get their own): the source root its tsconfig.json declares (`rootDir`), else its
 * src/, when candidate files of the package lie there — files elsewhere (tests) import from it, as tests import
 * sources; a module put above `rootDir` would stop the project's build (TS6059). Else the folder all candidates share,
 * so a package gets one mcp-tracing.ts (not one per folder).
 */
function supportDirs(files: string[]): (file: string) => string {
  const byPackage = new Map<string, string[]>();
  for (const f of files) {
    const key = moduleTypeScope(f) ?? '';
    byPackage.set(key, [...(byPackage.get(key) ?? []), f]);
  }
  const dirOf = new Map<string, string>();
  for (const [manifest, members] of byPackage) {
    const root = manifest ? sourceRoot(path.dirname(manifest), members) : undefined;
    const dir = root ?? commonDir(members);
    for (const f of members) dirOf.set(f, dir);
  }
  return file => dirOf.get(file) ?? path.dirname(file);
}

function sourceRoot(packageDir: string, members: string[]): string | undefined {
  const declared = declaredRootDir(packageDir);
  for (const dir of [declared, path.join(packageDir, 'src')])
    if (dir && dir !== packageDir && members.some(f => f.startsWith(dir + path.sep))) return dir;
  return undefined;
}

/** `compilerOptions.rootDir` of the package's tsconfig.json, read from its text (no compiler is loaded for this). */
function declaredRootDir(packageDir: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(packageDir, 'tsconfig.json'), 'utf8');
  } catch {
    return undefined;
  }
  const rootDir = /"rootDir"\s*:\s*"([^"]+)"/.exec(text.replace(/^\s*\/\/.*$/gm, ''))?.[1];
  return rootDir ? path.resolve(packageDir, rootDir) : undefined;
}

/**
 * Support modules the rewrites asked for, once each. One that already exists with the same text is not
 * rewritten (that is what makes a second run a no-op); one that exists with other text is left alone and reported.
 */
function createdFiles(results: FileResult[]): FileResult[] {
  const wanted = new Map<string, { content: string; by: string }>();
  for (const r of results)
    for (const [file, content] of Object.entries(r.created ?? {}))
      // In the quote and semicolon style of the file that asked for it, as new lines in that file are.
      if (!wanted.has(file)) {
        const styled = withoutAddedSemicolons(file, r.input ?? '', inQuoteStyleOf(file, r.input ?? '', content));
        wanted.set(file, { content: styled, by: r.file });
      }
  const out: FileResult[] = [];
  for (const [file, { content, by }] of wanted) {
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (existing === content) continue;
    if (existing !== undefined) {
      const message =
        `${path.basename(file)} exists and differs from the module the rewrite needs; it was left as it is: ` +
        'compare it with docs/logging-to-otel.md';
      out.push({
        file,
        changed: false,
        transforms: [],
        diagnostics: [
          { transform: 'engine', rule: 'support-module', file, line: 1, column: 1, severity: 'warning', message }
        ]
      });
      continue;
    }
    out.push({
      file,
      changed: true,
      created: { [file]: content },
      transforms: ['created for ' + path.basename(by)],
      diagnostics: [],
      input: '',
      output: content,
      imports: []
    });
  }
  return out;
}

/** MCP_MIGRATE_TIMINGS=1: how long each phase of a run took, on stderr (for bench/ and profiling). */
function phase(name: string, since: number): number {
  const now = performance.now();
  if (process.env.MCP_MIGRATE_TIMINGS) process.stderr.write(`phase ${name}: ${Math.round(now - since)} ms\n`);
  return now;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** How far past its CPU budget a file may run by the wall clock (waiting for a core) before it is stopped. */
const WALL_STOP_FACTOR = 3;
const BIG_FILE_CHARS = 100_000;

function overBudget(ms: number): string {
  return (
    `took longer than ${ms / 1000} s: its code was left as it was, with what \`check\` finds in it marked ` +
    '(raise the limit with --timeout <seconds> to migrate it)'
  );
}

/**
 * Runs `items` `width` at a time, starting none once `stop()` says so: the results of the ones never started are
 * undefined. Scheduling everything at once would leave a Ctrl-C waiting for the whole queue.
 */
async function inLanes<T, R>(items: T[], width: number, run: (t: T) => Promise<R>, stop: () => boolean) {
  const out: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) {
      const i = next++;
      out[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, lane));
  return out;
}

export async function runMigration(options: MigrateOptions): Promise<MigrationReport> {
  const started = performance.now();
  const found = await discover(options.paths, options.ignore);
  let mark = phase('discover', started);
  if (!options.dryRun && !options.force) {
    const dirty = dirtyWorkTrees(options.paths);
    if (dirty.length) throw new DirtyTreeError(dirty);
  }
  const skipped: MigrationReport['skipped'] = found.skipped.map(s => ({ file: s.file, reason: s.reason }));
  const tasks: { file: string; text: string; options: PipelineOptions }[] = [];
  const notMcp: string[] = [];
  // A file that uses MCP only through a library on the v1 SDK gets the marker check would report (v1-library).
  const libraries = [...v1LibrariesDeclaredFor(found.files)];
  const libraryOnly = new Set<string>();
  const needsMigration = libraries.length
    ? (text: string) => mayNeedMigration(text) || libraries.some(name => text.includes(name))
    : mayNeedMigration;
  for (const file of found.files) {
    if (vendoredSdkModuleRoot(file)) {
      skipped.push({ file, reason: 'vendored-sdk' });
      continue;
    }
    const c = readCandidate(file, needsMigration);
    if ('text' in c && !mayNeedMigration(c.text)) libraryOnly.add(file);
    if ('skipped' in c) {
      if (c.skipped !== 'not-mcp') skipped.push({ file, reason: c.skipped, detail: c.detail });
      else notMcp.push(file);
    } else {
      const vendoredSdk = vendoredSdkSpecifiers(file, c.text);
      tasks.push({
        file,
        text: c.text,
        options: {
          transforms: options.transforms,
          config: options.config,
          ...(Object.keys(vendoredSdk).length ? { vendoredSdk } : {})
        }
      });
    }
  }
  // Files that reach the SDK only through a module of the project re-exporting it.
  for (const file of barrelImporters(tasks, notMcp)) {
    const c = readCandidate(file, () => true);
    if ('text' in c)
      tasks.push({ file, text: c.text, options: { transforms: options.transforms, config: options.config } });
  }
  // Where generated support modules go is decided by the files that use the SDK, not by those that only name a
  // library on the v1 SDK (a root-level test script of a fastmcp server would move them out of src/).
  const supportDirOf = supportDirs(tasks.filter(t => !libraryOnly.has(t.file)).map(t => t.file));
  for (const t of tasks) t.options.supportDir = supportDirOf(t.file);
  const ownConnect = ownConnectClassesOf(tasks);
  if (ownConnect.length) for (const t of tasks) t.options.ownConnect = ownConnect;
  mark = phase('read', mark);
  let plans = planAgreements(tasks, found.files, options.transforms);
  // A file a plan gives a part to is rewritten too, MCP or not (the tool module a handler delegates to); the summary
  // still counts the files that use MCP.
  const usingMcp = tasks.length;
  for (const file of filesWithParts(plans)) {
    if (tasks.some(t => t.file === file) || !notMcp.includes(file)) continue;
    const c = readCandidate(file, () => true);
    if ('text' in c)
      tasks.push({
        file,
        text: c.text,
        options: { transforms: options.transforms, config: options.config, supportDir: supportDirOf(file) }
      });
  }
  const planTasks = () => {
    for (const t of tasks) {
      const parts = partsFor(plans, t.file);
      if (parts) t.options.planned = parts;
      else delete t.options.planned;
    }
  };
  planTasks();
  mark = phase('plan', mark);
  const budgetMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The budget is CPU time where a thread's can be read, so a busy machine does not change what a run writes; the
  // wall clock then only stops a file far past it (a worker's thread is replaced, in-process work runs to its end).
  const cpuMeasured = threadCpuMs() !== undefined;
  const wallStopMs = cpuMeasured ? budgetMs * WALL_STOP_FACTOR : budgetMs;
  // Big files are the ones that can take long: they run in a worker, where a file over its budget can be stopped.
  const runner = await createRunner(
    new URL('./worker.js', import.meta.url),
    migrateTask,
    tasks.length,
    options.jobs,
    tasks.some(t => t.text.length > BIG_FILE_CHARS)
  );
  let done = 0;
  const stop = () => !!options.shouldStop?.() || !!options.stopSignal?.aborted;
  const runTasks = (list: typeof tasks) =>
    inLanes(
      list,
      // One file per thread at a time, so a file's time budget never includes waiting behind another.
      runner.width,
      async t => {
        options.onStart?.(t.file, tasks.length);
        const started = performance.now();
        const overdue = AbortSignal.timeout(wallStopMs);
        // Ctrl-C also stops the files in flight (in a worker), so the run ends in moments, not after its slowest file.
        const signal = options.stopSignal ? AbortSignal.any([overdue, options.stopSignal]) : overdue;
        const outcome = await runner
          .run(t, signal)
          .catch((err: Error): { result: FileResult; cpuMs?: number } | undefined =>
            options.stopSignal?.aborted
              ? undefined
              : {
                  result: overdue.aborted
                    ? leftoversOnly(t.file, t.text, overBudget(budgetMs), t.options)
                    : untouched(t.file, err.message)
                }
          );
        if (!outcome) return undefined;
        const { result: r, cpuMs } = outcome;
        options.onProgress?.(++done, tasks.length, t.file);
        // In-process work cannot be stopped midway, but a result past the budget is still not trusted to be written.
        return (cpuMs ?? performance.now() - started) > budgetMs && !r.error
          ? leftoversOnly(t.file, t.text, overBudget(budgetMs), t.options)
          : r;
      },
      stop
    );
  const outcomes = await runTasks(tasks)
    .then(async first => {
      // A cross-file change one of its files could not make is dropped, and its files are rewritten without it.
      for (let round = 0; plans.size && round <= MAX_REPLANS && !stop(); round++) {
        const broken = brokenAgreements(
          plans,
          first.filter((r): r is FileResult => r !== undefined)
        );
        if (broken.keys.size === 0) break;
        // The last round gives up the broken agreements with all they are entangled with (sharing a file, standing in
        // for one): each file that had a part of them is rewritten without any, and no stand-in comes in.
        const last = round === MAX_REPLANS;
        const given = last ? entangledWith(plans, broken.keys) : broken.keys;
        const involved = filesOf(plans, given);
        const before = plans;
        plans = withoutAgreements(plans, given);
        // Agreements that stood in for the dropped ones come in: their files are rewritten with them.
        const woken = filesOfWoken(before, plans);
        planTasks();
        const again = tasks.filter(t => (last ? involved : broken.files).has(t.file) || woken.has(t.file));
        done -= again.length;
        const redone = await runTasks(again);
        again.forEach((t, i) => (first[tasks.indexOf(t)] = redone[i]));
      }
      return first;
    })
    .finally(() => runner.close());
  const results = outcomes.filter((r): r is FileResult => r !== undefined);
  let interrupted = outcomes.length > results.length;
  // With every rewrite run, a file left unread as code says why at its end, as any other leftover does.
  if (!options.transforms) results.push(...uncheckedFileMarkers(skipped));
  mark = phase('rewrite', mark);
  results.push(...createdFiles(results));
  const typed =
    options.typecheck && !interrupted
      ? await typecheckResults(results, found.files, options.onTypecheckProgress)
      : undefined;
  mark = phase('typecheck', mark);
  const manifests = await planManifestEdits(results, {}, skipped);
  addPortedFiles(
    results,
    manifests.flatMap(m => m.ported ?? [])
  );
  markZod3Servers(results, manifests, new Set(ownConnect));
  phase('manifests', mark);
  let written = 0;
  if (!options.dryRun && !interrupted) {
    for (const w of [...results.filter(r => r.changed), ...manifests]) {
      if (options.shouldStop?.()) {
        interrupted = true;
        break;
      }
      const problem = writeOrExplain(w.file, w.output!, options.force);
      if (problem) w.error = `not written: ${problem}`;
      else {
        written++;
        if ('changed' in w) w.written = true;
      }
    }
  }
  const diagnostics = { error: 0, warning: 0, info: 0 };
  for (const r of results) for (const d of r.diagnostics) diagnostics[d.severity]++;
  const check = { error: 0, warning: 0 };
  for (const r of results) {
    check.error += r.check?.error ?? 0;
    check.warning += r.check?.warning ?? 0;
  }
  // A file the run could not read as code (a bundle of the v1 SDK, one over the size limit that uses MCP) is an
  // unchecked-file error for `check`: counted here too, so "0 errors left" is never followed by check's two.
  // A file given its marker this run was judged so already: an oversized one is not read a third time.
  const marked = new Set(results.filter(r => r.skipped).map(r => r.file));
  for (const s of skipped) if (marked.has(s.file) || uncheckedReason(s.file, s.reason, s.detail)) check.error++;
  return {
    dryRun: options.dryRun,
    files: results,
    skipped,
    manifests,
    interrupted,
    summary: {
      scanned: found.files.length,
      candidates: usingMcp,
      changed: results.filter(r => r.changed).length,
      failed: results.filter(r => r.error).length + manifests.filter(m => m.error).length,
      skipped: skipped.length,
      written,
      diagnostics,
      check,
      ...(typed ? { typeErrors: typed.introduced.length, typeErrorsBefore: typed.before } : {}),
      durationMs: Math.round(performance.now() - started)
    }
  };
}

/** The changed files (and created support modules) type-checked; each introduced error joins its file's diagnostics. */
async function typecheckResults(
  results: FileResult[],
  discovered: string[],
  onProgress?: (step: string) => void
): Promise<TypecheckResult> {
  const inputs = results
    .filter(r => r.changed && r.output !== undefined)
    .map(r => ({ file: r.file, before: r.created?.[r.file] === undefined ? r.input : undefined, after: r.output! }));
  const importers = importersOf(new Set(inputs.map(i => i.file)), discovered);
  const typed = await runTypecheck(inputs, importers, onProgress);
  const byFile = new Map(results.map(r => [r.file, r]));
  for (const d of typed.introduced) {
    let owner = byFile.get(d.file);
    if (!owner) {
      // An unchanged file that imports a changed one and no longer compiles.
      owner = { file: d.file, changed: false, transforms: [], diagnostics: [] };
      byFile.set(d.file, owner);
      results.push(owner);
    }
    owner.diagnostics.push(d);
  }
  return typed;
}

function uncheckedFileMarkers(skipped: MigrationReport['skipped']): FileResult[] {
  return skipped
    .map(s => uncheckedFileMarked(s.file, s.reason, s.detail))
    .filter((r): r is FileResult => r !== undefined);
}
