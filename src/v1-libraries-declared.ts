/**
 * The libraries on the v1 SDK (transforms/stateless-entry/v1-libraries.ts) that the manifests owning these files
 * depend on. Empty for most projects, which then pay nothing more: check and migrate read a file that names none of
 * them, and uses nothing of the SDK, no further.
 */
import fs from 'node:fs';
import path from 'node:path';
import { v1LibraryOf } from '../transforms/stateless-entry/v1-libraries.js';
import { nearestManifest } from './nearest-manifest.js';

export function v1LibrariesDeclaredFor(files: string[]): Set<string> {
  const out = new Set<string>();
  // One manifest lookup per folder, not per file.
  const folders = new Set(files.map(f => path.dirname(path.resolve(f))));
  const manifests = new Set([...folders].map(dir => nearestManifest(path.join(dir, 'file'))));
  for (const manifest of manifests) {
    if (!manifest) continue;
    let json: any;
    try {
      json = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    } catch {
      continue;
    }
    for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'])
      for (const name of Object.keys(json?.[key] ?? {})) if (v1LibraryOf(manifest, name)) out.add(name);
  }
  return out;
}
