/**
 * Dependencies that ask for zod 3 as a peer. Moving a package to zod 4 (which the v2 server needs) makes npm refuse
 * to install it (ERESOLVE) while such a dependency stays: `@ai-sdk/openai` 1.x asks for `zod ^3.0.0`. The manifest
 * edit is still right; the report says which dependency has to move with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

/** `name@version asks for zod <range>` for each declared dependency whose peer range admits no zod 4. */
export function zodPeerConflicts(manifest: string, pkg: Record<string, any>, zodRange: string): string[] {
  const out: string[] = [];
  const names = new Set(['dependencies', 'devDependencies'].flatMap(f => Object.keys(pkg[f] ?? {})));
  for (const name of [...names].sort()) {
    if (name === 'zod') continue;
    const installed = installedManifest(path.dirname(manifest), name);
    const peer = installed?.peerDependencies?.zod;
    if (typeof peer !== 'string' || !semver.validRange(peer)) continue;
    if (!semver.intersects(peer, zodRange)) out.push(`${name}@${installed!.version ?? '?'} asks for zod ${peer}`);
  }
  return out;
}

/** The manifest of `name` as installed for a package in `dir` (node_modules upwards), else as package-lock.json records it. */
function installedManifest(dir: string, name: string): Record<string, any> | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    const installed = readJson(path.join(at, 'node_modules', name, 'package.json'));
    if (installed) return installed;
    const locked = readJson(path.join(at, 'package-lock.json'))?.packages?.[`node_modules/${name}`];
    if (locked) return locked;
    if (path.dirname(at) === at) return undefined;
  }
}

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
