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
    const status = git(['status', '--porcelain', '--untracked-files=normal'], root) ?? '';
    const files = status
      .split('\n')
      .filter(Boolean)
      .map(l => l.slice(3));
    if (files.length) dirty.push({ root, files });
  }
  return dirty;
}

/**
 * A repository's own config can name commands git runs on `status` (core.fsmonitor): the repository being
 * migrated is not trusted to run code on the user's machine, so those hooks are switched off.
 */
function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', ['-c', 'core.fsmonitor=false', ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    });
  } catch {
    return undefined;
  }
}
