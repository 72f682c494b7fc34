/**
 * `--typecheck` tells the truth: on every end-to-end v1 server (and one whose migration cannot compile), migrated
 * together under one strict tsconfig, the errors the tool reports are exactly the lines a real `tsc` flags on the
 * migrated tree (errors the originals had and the migration removed are not reported either).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { copyServers, serverNames } from './helpers/e2e.js';
import { ROOT } from './helpers/fixtures.js';

const TSC = path.join(ROOT, 'node_modules/typescript-native/bin/tsc');
const SERVERS = [...serverNames(), 'experimental-tasks'];
let dir = '';

/** The lines a real tsc flags over the tree, as `file:line`. */
function tsc(): { lines: Set<string>; count: number } {
  const r = spawnSync(process.execPath, [TSC, '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  const lines = new Set<string>();
  let count = 0;
  for (const m of (r.stdout + r.stderr).matchAll(/^(.+?)\((\d+),(\d+)\): error TS\d+/gm)) {
    lines.add(`${m[1]}:${m[2]}`);
    count++;
  }
  return { lines, count };
}

let cleanup = () => {};

beforeAll(() => {
  ({ dir, cleanup } = copyServers(SERVERS));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node']
      },
      include: ['*/src/**/*.ts']
    })
  );
});
afterAll(() => cleanup());

describe('--typecheck agrees with tsc on the migrated end-to-end servers', () => {
  it('reports exactly the lines tsc flags', () => {
    // --force: the scratch folder sits inside this repository's (possibly dirty) work tree.
    // The whole tree with --typecheck: a minute or more on a busy two-core machine, so the CLI gets the test's time.
    const run = runCli(['--force', '--typecheck', '--json', '.'], dir, {}, 230_000);
    const report = JSON.parse(run.stdout);
    const reported = new Set<string>(
      (report.files as any[])
        .flatMap(f => f.diagnostics)
        .filter((d: any) => d.rule === 'type-error')
        .map((d: any) => `${d.file}:${d.line}`)
    );
    const flagged = tsc().lines;
    expect([...reported].sort()).toEqual([...flagged].sort());
    expect(run.code).toBe(flagged.size > 0 ? 1 : 0);
    // The tasks server cannot compile after migration; every other server does.
    expect([...flagged].every(f => f.startsWith('experimental-tasks/'))).toBe(true);
    expect([...flagged].some(f => f.startsWith('experimental-tasks/'))).toBe(true);
    // One run over every e2e server (over a hundred) and a tsc over them: it grows with the fixtures, past the
    // default minute on a two-core machine that is busy with anything else.
  }, 240_000);
});
