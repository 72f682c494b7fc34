/** Which manifest owns a file: the one a migration edits, and the one whose dependencies say what it builds on. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MANIFEST_NAMES = ['package.json', 'deno.json', 'deno.jsonc'];

/**
 * The package.json that owns `file`: the nearest one above it, but never above the repository it sits in (the
 * folder holding `.git`) nor in or above the user's home folder, so a stray manifest outside the project is never
 * edited.
 */
export function nearestManifest(file: string): string | undefined {
  const home = os.homedir();
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (dir === home) return undefined;
    for (const name of MANIFEST_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}
