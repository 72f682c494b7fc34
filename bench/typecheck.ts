/**
 * What `--typecheck` costs on a large tree: the SDK's v1.29.0 example servers copied N times (default 12 copies,
 * 312 SDK-heavy files, all changed by the migration), migrated in dry-run mode with and without `--typecheck`,
 * medians of several runs, wall time and peak RSS. Every changed file is type-checked twice (v1 and v2 types).
 *
 *   npm run build && npx tsx bench/typecheck.ts [--copies 12] [--runs 3] [--mirrors /work/.mirror]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toPackageSpecifiers } from '../src/sdk-imports.js';
import { arg, filesUnder } from './source-tree.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/bin/mcp-migrate.js');
const mirrors = arg('mirrors') ?? '/work/.mirror';
const copies = Number(arg('copies') ?? 12);
const runs = Number(arg('runs') ?? 3);

function examplesTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-typecheck-'));
  const gitDir = path.join(mirrors, 'modelcontextprotocol+typescript-sdk', 'repo');
  const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', 'v1.29.0', 'src/examples'], { maxBuffer: 1 << 30 });
  const one = path.join(dir, '.one');
  fs.mkdirSync(one);
  execFileSync('tar', ['-x', '-C', one], { input: tar });
  for (const f of filesUnder(one)) fs.writeFileSync(f, toPackageSpecifiers(fs.readFileSync(f, 'utf8')));
  for (let i = 1; i <= copies; i++)
    fs.cpSync(path.join(one, 'src/examples'), path.join(dir, `copy${String(i).padStart(2, '0')}`), { recursive: true });
  fs.rmSync(one, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      type: 'module',
      dependencies: { '@modelcontextprotocol/sdk': '^1.29.0', express: '^5.0.0', zod: '^4.2.0' }
    })
  );
  return dir;
}

function timed(args: string[], cwd: string): { seconds: number; rssMb: number; report: any } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, CI: 'true' }
  });
  const [s, kb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { seconds: s!, rssMb: Math.round(kb! / 1024), report: JSON.parse(r.stdout) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = examplesTree();
try {
  const plain: ReturnType<typeof timed>[] = [];
  const checked: ReturnType<typeof timed>[] = [];
  for (let i = 0; i < runs; i++) {
    plain.push(timed(['--dry-run', '--json', '.'], dir));
    checked.push(timed(['--dry-run', '--json', '--typecheck', '.'], dir));
  }
  const last = checked[checked.length - 1]!.report;
  console.log(`SDK v1.29.0 examples x${copies}: ${filesUnder(dir).length} files, ${last.summary.changed} changed`);
  console.log(
    `  migrate --dry-run               ${median(plain.map(t => t.seconds)).toFixed(2)} s  ${median(plain.map(t => t.rssMb))} MB`
  );
  console.log(
    `  migrate --dry-run --typecheck   ${median(checked.map(t => t.seconds)).toFixed(2)} s  ${median(checked.map(t => t.rssMb))} MB`
  );
  console.log(
    `  type-check share                ${(median(checked.map(t => t.seconds)) - median(plain.map(t => t.seconds))).toFixed(2)} s`
  );
  console.log(
    `  introduced type errors ${last.summary.typeErrors}, already in the originals ${last.summary.typeErrorsBefore}`
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
