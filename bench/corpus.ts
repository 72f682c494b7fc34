/**
 * Runs the CLI over every entry of the dev corpus (real v1 servers nobody here wrote) and prints, per entry:
 * crashed?, wall time, files scanned/changed, changed files whose output would not
 * parse, second-run changes (must be 0), `check` errors before → after (by the marker that explains each: the official
 * codemod's, TODO, NOTE, or unmarked).
 *
 *   npm run build && npx tsx bench/corpus.ts [--corpus ../shared/corpus/dev.json] [--mirrors /work/.mirror] [--only <id>] [--keep]
 *
 * GitHub entries are read from git directories brought by the search tool's fetch (<mirrors>/<owner>+<name>/repo),
 * npm entries with `npm pack`. Everything is unpacked into temp dirs and deleted; nothing is written to the repo.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { arg, unpackNpm } from './source-tree.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/bin/mcp-migrate.js');
const corpus = JSON.parse(fs.readFileSync(arg('corpus') ?? path.join(ROOT, '../shared/corpus/dev.json'), 'utf8'));
const mirrors = arg('mirrors') ?? '/work/.mirror';
const only = arg('only');
const keep = process.argv.includes('--keep'); // leave the migrated temp tree for inspection
const typecheck = !process.argv.includes('--no-typecheck'); // type-check changed files before/after (--typecheck)

interface Entry {
  id: string;
  source: 'github' | 'npm';
  repo?: string;
  commit?: string;
  package?: string;
  version?: string;
  pkgDir?: string;
  pkgDirs?: string[];
  srcDir: string[];
}

/**
 * The entry's source folders, manifests and tsconfig files at its commit, written into `into` blob by blob (a
 * snapshot lacks its largest files, and `git archive` stops at the first missing one), plus every file outside
 * them that a written file imports by a relative path, transitively: modules the sources use (a vendored SDK, shared
 * helpers) are then there to resolve, as in the real repository. Only the source folders are migrated.
 */
function extractTree(gitDir: string, commit: string, e: Entry, into: string): number {
  const pkgDirs = [e.pkgDir ?? '', ...(e.pkgDirs ?? [])];
  const configs = [...new Set(['', ...pkgDirs])].flatMap(d =>
    ['package.json', 'tsconfig.json', 'tsconfig.base.json'].map(f => path.posix.join(d, f))
  );
  const all = spawnSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '--name-only', commit], {
    encoding: 'utf8',
    maxBuffer: 1 << 28
  });
  if (all.status !== 0) return 0;
  const tree = new Set(all.stdout.split('\n').filter(Boolean));
  const wanted = [...tree].filter(
    f =>
      (e.srcDir.some(d => f === d || f.startsWith(d + '/')) && /\.(?:[cm]?[jt]sx?|json)$/.test(f)) ||
      configs.includes(f)
  );
  const queue = [...wanted];
  const done = new Set<string>();
  let written = 0;
  while (queue.length) {
    const f = queue.pop()!;
    if (done.has(f)) continue;
    done.add(f);
    const blob = spawnSync('git', ['--git-dir', gitDir, 'cat-file', 'blob', `${commit}:${f}`], { maxBuffer: 1 << 28 });
    if (blob.status !== 0) continue;
    fs.mkdirSync(path.join(into, path.dirname(f)), { recursive: true });
    fs.writeFileSync(path.join(into, f), blob.stdout);
    written++;
    if (!/\.[cm]?[jt]sx?$/.test(f)) continue;
    for (const m of blob.stdout
      .toString('utf8')
      .matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]!));
      const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
      const hit = [
        base,
        `${stem}.ts`,
        `${stem}.tsx`,
        `${stem}.js`,
        `${stem}.mts`,
        `${stem}/index.ts`,
        `${stem}/index.js`
      ].find(c => tree.has(c));
      if (hit && !done.has(hit)) queue.push(hit);
    }
  }
  return written;
}

function unpack(e: Entry): { root: string; dirs: string[]; cleanup: () => void } | string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-migrate-corpus-'));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    if (e.source === 'github') {
      const gitDir = path.join(mirrors, e.repo!.replace('/', '+'), 'repo');
      if (!fs.existsSync(gitDir)) return (cleanup(), `no mirror at ${gitDir}`);
      const written = extractTree(gitDir, e.commit!, e, tmp);
      if (!written) return (cleanup(), `commit ${e.commit} or its paths are not in the mirror`);
      return { root: tmp, dirs: e.srcDir.filter(d => fs.existsSync(path.join(tmp, d))), cleanup };
    }
    const unpacked = unpackNpm(e.package!, e.version!, tmp);
    const base = e.pkgDir ? path.join(tmp, e.pkgDir) : unpacked;
    return { root: base, dirs: e.srcDir.filter(d => fs.existsSync(path.join(base, d))), cleanup };
  } catch (err) {
    cleanup();
    return `could not unpack: ${(err as Error).message.split('\n')[0]}`;
  }
}

function cli(args: string[], cwd: string): { code: number; stdout: string; stderr: string; ms: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, CI: 'true' }
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t };
}

interface Findings {
  errors: number;
  /** Errors a marker tells the user about, by the marker's kind: the official codemod's, our TODO, our NOTE. */
  codemod: number;
  todo: number;
  note: number;
  /** Markers with no finding under them (steps `check` cannot see): counted in todo / codemod too. */
  alone: number;
  /** Errors with no marker on their line or the three above: what nobody told the user about. */
  unmarked: number;
  unmarkedByRule: Map<string, number>;
  /** Every error finding on code (not a marker by itself), by rule: what is left to rewrite. */
  byRule: Map<string, number>;
}

/**
 * `check` over the tree: its error findings, split by the marker that tells the user what to do. check reports a
 * marker and the finding under it once (the finding carries the marker: src/check/carried-markers.ts).
 */
function checkFindings(root: string, dirs: string[]): Findings {
  const r = cli(['check', '--format', 'json', ...dirs], root);
  const out: Findings = {
    errors: 0,
    codemod: 0,
    todo: 0,
    note: 0,
    alone: 0,
    unmarked: 0,
    unmarkedByRule: new Map(),
    byRule: new Map()
  };
  let findings: { severity: string; rule: string; marker?: string }[];
  try {
    findings = JSON.parse(r.stdout).findings;
  } catch {
    return { ...out, errors: NaN };
  }
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    out.errors++;
    const alone = f.rule === 'codemod-marker' || f.rule === 'todo-marker';
    if (alone) out.alone++;
    else out.byRule.set(f.rule, (out.byRule.get(f.rule) ?? 0) + 1);
    const marker = alone ? (f.rule === 'todo-marker' ? 'TODO' : '@mcp-codemod-error') : (f.marker ?? '');
    if (marker.startsWith('@mcp-codemod-error')) out.codemod++;
    else if (marker.startsWith('TODO')) out.todo++;
    else if (marker.startsWith('NOTE')) out.note++;
    else {
      out.unmarked++;
      out.unmarkedByRule.set(f.rule, (out.unmarkedByRule.get(f.rule) ?? 0) + 1);
    }
  }
  return out;
}

/** Changed files with at least one type error the migration introduced. */
function typeErrorFiles(files: { diagnostics: { rule: string }[] }[]): number {
  return files.filter(f => f.diagnostics.some(d => d.rule === 'type-error')).length;
}

const extractTo = arg('extract'); // with --only: copy the entry's original tree to this folder and stop
if (extractTo) {
  const e = (corpus.entries as Entry[]).find(x => x.id === only);
  const tree = e && unpack(e);
  if (!tree || typeof tree === 'string') throw new Error(`cannot extract ${only}: ${tree ?? 'no such entry'}`);
  fs.cpSync(tree.root, extractTo, { recursive: true });
  tree.cleanup();
  console.log(`extracted ${only} to ${extractTo} (source folders: ${tree.dirs.join(', ')})`);
  process.exit(0);
}

const rows: string[][] = [];
const header = [
  'entry',
  'crash',
  'ms',
  'files',
  'changed',
  'unparsable',
  '2nd-run',
  'check errors before',
  'after (codemod / TODO / NOTE / unmarked)',
  'type-err files (errors)'
];
const totals = {
  before: 0,
  after: 0,
  codemod: 0,
  todo: 0,
  note: 0,
  alone: 0,
  unmarked: 0,
  clean: 0,
  repos: 0,
  typeFiles: 0,
  typeErrors: 0,
  // The safety figures (each must be 0), in the summary so a reader of its last lines cannot miss one.
  crashed: 0,
  unparsable: 0,
  secondRun: 0
};
const unmarkedByRule = new Map<string, number>();
const afterByRule = new Map<string, number>();
for (const e of corpus.entries as Entry[]) {
  if (only && e.id !== only) continue;
  const tree = unpack(e);
  if (typeof tree === 'string') {
    rows.push([e.id, 'skipped: ' + tree]);
    continue;
  }
  try {
    const { root, dirs } = tree;
    if (!dirs.length) {
      rows.push([e.id, 'skipped: no source dirs']);
      continue;
    }
    const before = checkFindings(root, dirs);
    const dry = cli(['--dry-run', '--json', ...dirs], root);
    const write = cli(['--force', '--json', ...(typecheck ? ['--typecheck'] : []), ...dirs], root);
    const again = cli(['--dry-run', '--json', ...dirs], root);
    const crashed = [dry, write, again].some(r => r.code > 1 || /internal error/.test(r.stderr));
    let report: any = {};
    let second: any = {};
    try {
      report = JSON.parse(write.stdout);
      second = JSON.parse(again.stdout);
    } catch {
      totals.crashed++;
      rows.push([
        e.id,
        'CRASH',
        String(Math.round(write.ms)),
        '',
        '',
        '',
        '',
        '',
        '',
        (dry.stderr + write.stderr).split('\n')[0]
      ]);
      continue;
    }
    const files = report.files as { error: string | null; diagnostics: { rule: string }[] }[];
    const unparsable = files.filter(f => /would not parse/.test(f.error ?? '')).length;
    const transformCrashes = files
      .flatMap(f => f.diagnostics)
      .filter(d => /\/crash$/.test(d.rule) || /official codemod failed/.test((d as any).message ?? '')).length;
    const after = checkFindings(root, dirs);
    totals.repos++;
    totals.before += before.errors;
    totals.after += after.errors;
    totals.codemod += after.codemod;
    totals.todo += after.todo;
    totals.note += after.note;
    totals.alone += after.alone;
    totals.unmarked += after.unmarked;
    if (after.errors === 0) totals.clean++;
    for (const [rule, n] of after.unmarkedByRule) unmarkedByRule.set(rule, (unmarkedByRule.get(rule) ?? 0) + n);
    for (const [rule, n] of after.byRule) afterByRule.set(rule, (afterByRule.get(rule) ?? 0) + n);
    totals.typeFiles += typeErrorFiles(files);
    totals.typeErrors += report.summary.typeErrors ?? 0;
    const secondRun = second.summary.changed + (second.manifests?.length ?? 0);
    totals.crashed += crashed || transformCrashes ? 1 : 0;
    totals.unparsable += unparsable;
    totals.secondRun += secondRun;
    rows.push([
      e.id,
      crashed ? 'CRASH' : transformCrashes ? `${transformCrashes} transform` : 'no',
      String(Math.round(write.ms)),
      String(report.summary.scanned),
      String(report.summary.changed),
      String(unparsable),
      String(secondRun),
      String(before.errors),
      `${after.errors} (${after.codemod} / ${after.todo} / ${after.note} / ${after.unmarked})`,
      typecheck ? `${typeErrorFiles(files)} (${report.summary.typeErrors ?? '?'})` : '-'
    ]);
    if (process.argv.includes('--show-type-errors')) {
      for (const f of files)
        for (const d of f.diagnostics.filter((x: any) => x.rule === 'type-error'))
          console.error(`${e.id} ${(d as any).file}:${(d as any).line} ${(d as any).message.slice(0, 200)}`);
    }
  } finally {
    if (keep) console.error(`kept ${e.id} at ${tree.root}`);
    else tree.cleanup();
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
console.log(header.map((h, i) => h.padEnd(widths[i]!)).join('  '));
for (const r of rows) console.log(r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  '));
// An entry not measured (no mirror after a machine restart, an npm version that will not unpack) must not pass for a
// smaller corpus: the totals below are over the measured ones only.
const skipped = rows.filter(r => r[1]?.startsWith('skipped'));
if (skipped.length)
  console.log(
    `\nSKIPPED ${skipped.length} of ${rows.length} entries (not in the totals): ${skipped.map(r => r[0]).join(', ')}`
  );
console.log(
  `\n${totals.repos} entries: ${totals.crashed} with a crash, ${totals.unparsable} changed files whose output would ` +
    `not parse, ${totals.secondRun} second-run changes; check errors ${totals.before} before → ${totals.after} after ` +
    `(marked by the official codemod ${totals.codemod}, by a TODO ${totals.todo}, by a NOTE ${totals.note}, ` +
    `unmarked ${totals.unmarked}; ${totals.alone} of them markers with no finding under them); ` +
    `${totals.clean} entries with no error left; ${totals.typeFiles} changed files with introduced type errors ` +
    `(${totals.typeErrors} errors)`
);
if (unmarkedByRule.size) {
  console.log(
    `unmarked by rule: ${[...unmarkedByRule]
      .sort((a, b) => b[1] - a[1])
      .map(([r, n]) => `${r} ${n}`)
      .join(', ')}`
  );
}
console.log(
  `errors after on code (not markers by themselves), by rule: ${[...afterByRule]
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} ${n}`)
    .join(', ')}`
);
