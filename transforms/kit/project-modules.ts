/**
 * A module of the project named by a relative specifier (`./docs-server.js`, a bundle's `../chunk-4LRODYL5.js`), read
 * from disk the way the rewrites that look one module away need it: the path as written, then the same stem with each
 * source extension, then (where asked) the folder's index file. Each candidate is read once per run.
 */
import fs from 'node:fs';
import path from 'node:path';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const texts = new Map<string, string | undefined>();

export interface ProjectModule {
  path: string;
  text: string;
}

export function readProjectModule(file: string, specifier: string, orIndex = false): ProjectModule | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(file), specifier);
  const stem = base.replace(/\.[cm]?[jt]sx?$/, '');
  const candidates = [base, ...EXTENSIONS.map(e => stem + e)];
  if (orIndex) candidates.push(...EXTENSIONS.map(e => path.join(base, 'index' + e)));
  for (const candidate of candidates) {
    if (!texts.has(candidate)) texts.set(candidate, readFile(candidate));
    const text = texts.get(candidate);
    if (text !== undefined) return { path: candidate, text };
  }
  return undefined;
}

function readFile(candidate: string): string | undefined {
  try {
    return fs.readFileSync(candidate, 'utf8');
  } catch {
    return undefined; // missing, or a folder
  }
}
