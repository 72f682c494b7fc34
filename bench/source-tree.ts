/**
 * Brings a public tree for a benchmark into a temp dir: `git archive <ref> <path>` out of a git directory (as the
 * search tool's fetch leaves it), a plain folder copied as is, or a published npm package. Nothing fetched is ever
 * written into the repo.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Tree {
  dir: string;
  cleanup: () => void;
}

export function treeFrom(spec: { gitDir?: string; ref?: string; subpath?: string; folder?: string }): Tree {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-migrate-bench-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  if (spec.folder) {
    fs.cpSync(spec.folder, dir, { recursive: true });
    return { dir, cleanup };
  }
  if (!spec.gitDir || !spec.ref) throw new Error('need --git <dir> and --ref <ref>, or --folder <dir>');
  const tar = execFileSync(
    'git',
    ['--git-dir', spec.gitDir, 'archive', spec.ref, ...(spec.subpath ? [spec.subpath] : [])],
    { maxBuffer: 1 << 30 }
  );
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  return { dir: spec.subpath ? path.join(dir, spec.subpath) : dir, cleanup };
}

/** `npm pack <name>@<version>` unpacked into `into`: the path of its `package/` folder. */
export function unpackNpm(name: string, version: string, into: string): string {
  const out = execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', into, '--silent'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore']
  })
    .trim()
    .split('\n')
    .pop()!;
  execFileSync('tar', ['-xzf', path.join(into, out), '-C', into]);
  return path.join(into, 'package');
}

export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function filesUnder(dir: string, ext = /\.[cm]?tsx?$/): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter(f => ext.test(f))
    .map(f => path.join(dir, f))
    .sort();
}
