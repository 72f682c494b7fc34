/**
 * Reading a project's package.json files from the rewrites' plans (which packages depend on which, what a package
 * declares): each read once per run, a file that is missing or does not parse read as null.
 */
import fs from 'node:fs';

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
