/**
 * Refuses to overwrite files in a git work tree that has uncommitted changes: the user's own edits must stay
 * separable from ours (and revertable with git). `--force` overrides; dry runs never need it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface DirtyTree {
  root: string;
  files: string[];
}

export function dirtyWorkTrees(paths: string[]): DirtyTree[] {
  const roots = new Set<string>();
  for (const p of paths) {
    const dir = fs.statSync(p).isDirectory() ? p : path.dirname(p);
    const root = git(['rev-parse', '--show-toplevel'], dir);
    if (root) roots.add(root.trim());
  }
  const dirty: DirtyTree[] = [];
  for (const root of roots) {
    const status = git([...neutralFilters(root), 'status', '--porcelain', '--untracked-files=normal'], root) ?? '';
    const files = status
      .split('\n')
      .filter(Boolean)
      .map(l => l.slice(3));
    if (files.length) dirty.push({ root, files });
  }
  return dirty;
}

/**
 * `-c` settings that switch off the clean/smudge/process filter drivers the repository's own config defines
 * (a `.gitattributes` in the tree names them; `git status` runs a driver's clean command to compare file contents).
 * Drivers from the user's own global config (git-lfs) are theirs to trust and stay on. Reading config runs nothing.
 */
function neutralFilters(root: string): string[] {
  const listed = git(['config', '--show-scope', '--name-only', '--get-regexp', '^filter\\.'], root) ?? '';
  const drivers = new Set<string>();
  for (const line of listed.split('\n')) {
    const [scope, key] = line.split('\t');
    if (!key || !['local', 'worktree'].includes(scope!)) continue;
    drivers.add(key.slice('filter.'.length, key.lastIndexOf('.')));
  }
  return [...drivers].flatMap(d =>
    ['clean', 'smudge', 'process']
      .map(k => ['-c', `filter.${d}.${k}=`])
      .concat([['-c', `filter.${d}.required=false`]])
      .flat()
  );
}

/**
 * A repository's own config can name commands git runs on `status` (core.fsmonitor, hooks on an index refresh,
 * filter drivers): the repository being migrated is not trusted to run code on the user's machine, so git runs with
 * them switched off and without taking optional locks (no index refresh is written, so no hook fires).
 */
function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync(
      'git',
      ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '--no-optional-locks', ...args],
      {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore']
      }
    );
  } catch {
    return undefined;
  }
}
