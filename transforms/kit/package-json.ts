/**
 * Reading a project's package.json files from the rewrites' plans (which packages depend on which, what a package
 * declares): each read once per run, a file that is missing or does not parse read as null.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Where a package.json lists the packages it needs. */
export const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];

export function readJsonFile(file: string, cache: Map<string, any>): any {
  if (!cache.has(file)) {
    try {
      cache.set(file, JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch {
      cache.set(file, null);
    }
  }
  return cache.get(file);
}

/** The packages a package.json depends on, in any of its dependency fields. */
export function dependenciesOf(manifest: any): Set<string> {
  return new Set(DEPENDENCY_FIELDS.flatMap(f => Object.keys(manifest?.[f] ?? {})));
}

/** The nearest directory holding a package.json (the file's own directory when there is none up the tree). */
function packageRoot(dir: string, cache: Map<string, string>): string {
  const known = cache.get(dir);
  if (known !== undefined) return known;
  const parent = path.dirname(dir);
  const root = fs.existsSync(path.join(dir, 'package.json')) || parent === dir ? dir : packageRoot(parent, cache);
  cache.set(dir, root);
  return root;
}

/**
 * Which packages of a run can reach a module's code: its own package, and the packages that depend on it by name (a
 * monorepo's server package using its core package). Packages of one run that never meet see nothing of each other.
 */
export function packageScope(): { reaches: (from: string, to: string) => boolean } {
  const roots = new Map<string, string>();
  const manifests = new Map<string, any>();
  const rootOf = (file: string) => packageRoot(path.dirname(file), roots);
  const manifestOf = (root: string) => readJsonFile(path.join(root, 'package.json'), manifests);
  return {
    /** Can code in `to` use what the module `from` exports? */
    reaches(from, to) {
      const [a, b] = [rootOf(from), rootOf(to)];
      if (a === b) return true;
      const name = manifestOf(a)?.name;
      return typeof name === 'string' && dependenciesOf(manifestOf(b)).has(name);
    }
  };
}
