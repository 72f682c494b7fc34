/**
 * A package the run keeps on zod 3 (its code uses what zod 4 removed) serves tool schemas the v2 server refuses at
 * `tools/list`. Which packages stay on zod 3 is decided with the manifests, after every file is rewritten, so the
 * files' own leftover pass cannot know it: this marks each migrated v2 server file of such a package at its zod
 * import, once the manifests are planned and before anything is written.
 */
import fs from 'node:fs';
import { declaredIn, declaredOnDisk, ZOD_3, zod3Import } from './check/zod-3.js';
import { decode, encode, shebangOf } from './file-text.js';
import { LEFTOVER_PREFIX, markLeftovers } from './leftovers.js';
import type { ManifestEdit } from './manifest.js';
import { nearestManifest } from './nearest-manifest.js';
import type { FileResult } from './types.js';

export function markZod3Servers(
  results: FileResult[],
  manifests: ManifestEdit[],
  ownConnect: ReadonlySet<string> = new Set()
): void {
  const planned = new Map(manifests.map(m => [fs.realpathSync.native(m.file), declaredIn(m.output)]));
  const declared = (file: string) => {
    const manifest = nearestManifest(file);
    const key = manifest && fs.realpathSync.native(manifest);
    return key && planned.has(key) ? planned.get(key) : declaredOnDisk(file);
  };
  for (const r of results) {
    if (!r.changed || r.output === undefined || !zod3Import(r.file, r.output, declared)) continue;
    const { text, shape } = decode(r.output);
    const shebang = shebangOf(text);
    const marked = markLeftovers(r.file, text.slice(shebang.length), { declared, ownConnect });
    const found = marked.diagnostics.filter(d => d.rule === `${LEFTOVER_PREFIX}/${ZOD_3}`);
    if (found.length === 0) continue;
    const offset = shebang ? 1 : 0;
    for (const d of found) {
      d.line += offset;
      // The marker line pushes what the run reported below it one line down.
      for (const earlier of r.diagnostics) if (earlier.line >= d.line - 1) earlier.line++;
    }
    r.output = encode(shebang + marked.text, shape);
    r.diagnostics.push(...found);
    if (r.check) r.check.error += found.length;
  }
}
