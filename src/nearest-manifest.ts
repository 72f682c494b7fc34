/** Which manifest owns a file: the one a migration edits, and the one whose dependencies say what it builds on. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MANIFEST_NAMES = ['package.json', 'deno.json', 'deno.jsonc'];

/**
 * The package.json that owns `file`: the nearest one above it, but never above the repository it sits in (the
 * folder holding `.git`) nor in or above the user's home folder, so a stray manifest outside the project is never
 * edited. A package.json with the name of one above it is that package's copy (a build writes `dist/package.json`
 * where the code imports `../package.json`): the package above owns the file, and its dependencies are installed.
 */
export function nearestManifest(file: string): string | undefined {
  const found = manifestFrom(path.dirname(file));
  if (!found || path.basename(found) !== 'package.json' || fs.existsSync(path.join(path.dirname(found), '.git')))
    return found;
  // A symlinked manifest is refused where it is edited; followed to its target it would be written through.
  if (fs.lstatSync(found).isSymbolicLink()) return found;
  // `dist/esm/package.json` holding only `{ "type": "module" }`: Node reads its module type, npm installs nothing
  // from it. The package above owns the file (a dependency written here would never be installed).
  if (isModuleTypeMarker(found)) return nearestManifest(path.dirname(found)) ?? found;
  const name = packageName(found);
  const above = name === undefined ? undefined : nearestManifest(path.dirname(found));
  return above && packageName(above) === name ? above : found;
}

/**
 * The package.json whose `type` decides how Node loads `file`: the nearest one, a build's `{ "type": "module" }` marker
 * included. Generated modules are shared within it only: a dual build's `dist/esm` and `dist/commonjs` each need their
 * own, in their own module system.
 */
export function moduleTypeScope(file: string): string | undefined {
  const found = manifestFrom(path.dirname(file));
  return found && path.basename(found) === 'package.json' ? found : nearestManifest(file);
}

function manifestFrom(start: string): string | undefined {
  const home = os.homedir();
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (dir === home) return undefined;
    for (const name of MANIFEST_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

const names = new Map<string, string | undefined>();

/** A package.json's `name`, read once per file version (a run may rewrite it in between). */
function packageName(manifest: string): string | undefined {
  try {
    const key = `${manifest}\0${fs.statSync(manifest).mtimeMs}`;
    if (!names.has(key)) {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      names.set(key, typeof name === 'string' && name ? name : undefined);
    }
    return names.get(key);
  } catch {
    return undefined;
  }
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** A package.json with no name and no dependencies of any kind: a marker of its folder's module type, not a package. */
function isModuleTypeMarker(manifest: string): boolean {
  try {
    const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>;
    return json.name === undefined && !DEPENDENCY_FIELDS.some(field => field in json);
  } catch {
    return false;
  }
}
