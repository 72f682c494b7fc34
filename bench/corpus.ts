/**
 * Runs the CLI over every entry of the dev corpus (real v1 servers nobody here wrote) and prints, per entry:
 * crashed?, wall time, files scanned/changed, diagnostics, markers left, changed files whose output would not
 * parse, second-run changes (must be 0), and `check` errors before → after.
 *
 *   npm run build && npx tsx bench/corpus.ts [--corpus ../shared/corpus/dev.json] [--mirrors /work/.mirror] [--only <id>] [--keep]
 *
 * GitHub entries are read from git directories brought by the search tool's fetch (<mirrors>/<owner>+<name>/repo),
 * npm entries with `npm pack`. Everything is unpacked into temp dirs and deleted; nothing is written to the repo.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countOpenMarkers } from '../transforms/kit/marker-vocabulary.js';
import { arg } from './source-tree.js';

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
    const out = execFileSync('npm', ['pack', `${e.package}@${e.version}`, '--pack-destination', tmp, '--silent'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['-xzf', path.join(tmp, out), '-C', tmp]);
    const base = path.join(tmp, e.pkgDir ?? 'package');
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

function checkErrors(root: string, dirs: string[]): number {
  const r = cli(['check', '--format', 'json', ...dirs], root);
  try {
    return JSON.parse(r.stdout).summary.error;
  } catch {
    return NaN;
  }
}

function countMarkers(root: string): number {
  let n = 0;
  for (const f of fs.readdirSync(root, { recursive: true }) as string[]) {
    if (!/\.[cm]?[jt]sx?$/.test(f)) continue;
    const t = fs.readFileSync(path.join(root, f), 'utf8');
    n += countOpenMarkers(t);
  }
  return n;
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
  'diags',
  'markers',
  'unparsable',
  '2nd-run',
  'check before→after'
];
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
    const before = checkErrors(root, dirs);
    const markersBefore = countMarkers(root);
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
    rows.push([
      e.id,
      crashed ? 'CRASH' : transformCrashes ? `${transformCrashes} transform` : 'no',
      String(Math.round(write.ms)),
      String(report.summary.scanned),
      String(report.summary.changed),
      String(files.reduce((n, f) => n + f.diagnostics.length, 0)),
      String(countMarkers(root) - markersBefore),
      String(unparsable),
      String(second.summary.changed + (second.manifests?.length ?? 0)),
      `${before} → ${checkErrors(root, dirs)} (${countMarkers(root) - markersBefore} of them markers)`,
      typecheck ? `${typeErrorFiles(files)} (${report.summary.typeErrors ?? '?'} errors)` : '-'
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
console.log(header.map((h, i) => h.padEnd(widths[i])).join('  '));
for (const r of rows) console.log(r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  '));
