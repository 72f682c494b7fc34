/**
 * package.json edits that follow the source edits: each migrated file's nearest manifest gains the v2 packages
 * the file now imports, and loses `@modelcontextprotocol/sdk` once no file of that package imports it any more.
 * Every manifest is handled on its own, so workspace members are covered, not just the root. A Deno project's
 * manifest is its deno.json: the packages go into its import map as `npm:` specifiers, where its v1 entry was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { discover } from './discover.js';
import { decode, encode } from './file-text.js';
import { jsonWithEdits, placedBy, type JsonEdit } from './json-edit.js';
import { textAsMigrated } from './package-text.js';
import { importsPackage, mcpPackagesImported } from './sdk-imports.js';
import type { FileResult, SkipReason } from './types.js';
import { isTestFile } from '../transforms/cache-hints/test-files.js';
import { NODE_TYPES } from '../transforms/kit/support-module.js';
import { nearestManifest } from './nearest-manifest.js';
import { rangeFor, V1_SDK_DEPENDENCY_NAMES } from './v1-sdk-dependencies.js';
import { isZod3Range, ZOD_4 } from './zod-upgrade.js';
import { zodUpgradeWithPorts, type PortedFile } from './zod-3-ports.js';
import { zodPeerConflicts } from './zod-peers.js';

/** Versions the generated code is checked against (see the fixture type-check). */
export const V2_VERSIONS: Record<string, string> = {
  '@modelcontextprotocol/server': '^2.4.0',
  '@modelcontextprotocol/client': '^2.4.0',
  '@modelcontextprotocol/core': '^2.4.0',
  '@modelcontextprotocol/node': '^2.1.2',
  '@modelcontextprotocol/express': '^2.0.2',
  '@modelcontextprotocol/hono': '^2.0.2',
  '@modelcontextprotocol/fastify': '^2.0.1',
  '@modelcontextprotocol/server-legacy': '^2.3.1',
  '@opentelemetry/api': '^1.9.0'
};
const V1 = '@modelcontextprotocol/sdk';
/** Packages a rewrite makes unnecessary: dropped once the migration removed the last import of them. */
const RETIRED = ['zod-to-json-schema'];

export interface ManifestEdit {
  file: string;
  input: string;
  output: string;
  added: string[];
  removed: string[];
  warnings: string[];
  /** Why the edit could not be written, when it could not. */
  error?: string;
  /** Files whose zod 3 `z.record(v)` calls were ported so the package could move to zod 4 (written with the edit). */
  ported?: PortedFile[];
}

export async function planManifestEdits(
  results: FileResult[],
  extraDeps: Record<string, string> = {},
  /** Manifests left alone, with the reason: a symbolic link would be replaced or edit a file outside the project. */
  refused: { file: string; reason: SkipReason; detail?: string }[] = []
): Promise<ManifestEdit[]> {
  const byManifest = new Map<string, FileResult[]>();
  for (const r of results) {
    if (!r.changed) continue;
    const m = nearestManifest(r.file);
    if (m) byManifest.set(m, [...(byManifest.get(m) ?? []), r]);
  }
  const edits: ManifestEdit[] = [];
  for (const [manifest, changed] of byManifest) {
    if (fs.lstatSync(manifest).isSymbolicLink()) {
      refused.push({
        file: manifest,
        reason: 'symlinked-manifest',
        detail: 'not written through a link: update its dependencies by hand'
      });
      continue;
    }
    const edit = await editFor(manifest, changed, extraDeps);
    if (edit) edits.push(edit);
  }
  return edits;
}

async function editFor(
  manifest: string,
  changed: FileResult[],
  extraDeps: Record<string, string>
): Promise<ManifestEdit | undefined> {
  const raw = fs.readFileSync(manifest, 'utf8');
  const { text, shape } = decode(raw);
  let pkg: Record<string, any>;
  try {
    pkg = JSON.parse(text);
  } catch {
    return undefined;
  }
  const used = new Set<string>();
  // A package only tests import (`@modelcontextprotocol/client` in an integration test) is a dev dependency.
  const usedOutsideTests = new Set<string>();
  for (const r of changed)
    // A file only marked, not rewritten (over the size limit, over the time budget), still imports what it did.
    for (const p of [...(r.imports ?? mcpPackagesImported(r.output ?? r.input ?? '')), ...(r.dependencies ?? [])]) {
      used.add(p);
      if (!isTestFile(r.file)) usedOutsideTests.add(p);
    }
  for (const p of Object.keys(extraDeps)) used.add(p);
  const migrated = new Set(changed.map(r => r.file));
  const outputs = new Map(changed.map(r => [r.file, r.output ?? r.input ?? '']));
  const files = packageFiles(manifest);
  const stillV1 = used.has(V1) || (await packageStillImports(files, migrated, V1));
  if (path.basename(manifest).startsWith('deno.'))
    return denoEdit(manifest, raw, text, shape, pkg, used, stillV1, extraDeps);
  const field = pkg.dependencies?.[V1] || !pkg.devDependencies?.[V1] ? 'dependencies' : 'devDependencies';
  const added: string[] = [];
  const removed: string[] = [];
  // What changes, applied to the text at the end (pkg is kept up to date for the checks on the way).
  const edits: JsonEdit[] = [];
  const declared = (name: string) => ['dependencies', 'devDependencies', 'peerDependencies'].some(f => pkg[f]?.[name]);
  const addDependency = (into: string, name: string, version: string) => {
    // Placed where npm's sorted order puts it, so the diff is one line.
    const order = [...Object.keys(pkg[into] ?? {}), name].sort();
    // A map the manifest does not have yet goes right after the one npm writes before it (dependencies before
    // devDependencies), not first in the file.
    const edit: JsonEdit =
      pkg[into] === undefined
        ? { path: [into], value: { [name]: version }, insertionIndex: keys => afterMap(keys, into) }
        : { path: [into, name], value: version, insertionIndex: placedBy(order, name) };
    pkg[into] = { ...pkg[into], [name]: version };
    edits.push(edit);
    added.push(name);
  };
  for (const name of [...used].sort()) {
    if (name === NODE_TYPES) {
      // Types are a build-time need: a dev dependency, at the major of the Node the package says it runs on.
      if (!declared(name)) addDependency('devDependencies', name, nodeTypesRange(pkg));
      continue;
    }
    const version = V2_VERSIONS[name] ?? extraDeps[name];
    if (!version || declared(name)) continue;
    addDependency(usedOutsideTests.has(name) || extraDeps[name] ? field : 'devDependencies', name, version);
  }
  // The v1 SDK goes only when this migration took it out of a file: a project that reaches it through a framework
  // (fastmcp) and imports it nowhere had nothing migrated away from it.
  const movedOffV1 = changed.some(r => r.input !== undefined && importsPackage(r.input, V1));
  if (!stillV1 && movedOffV1) {
    for (const f of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      if (pkg[f]?.[V1] !== undefined) {
        delete pkg[f][V1];
        edits.push({ path: [f, V1], value: undefined });
        removed.push(V1);
      }
    }
  }
  if (removed.includes(V1)) {
    // What the code imports and had only because the v1 SDK depended on it goes in beside the v2 packages.
    const undeclared = V1_SDK_DEPENDENCY_NAMES.filter(name => !declared(name));
    for (const [name, outsideTests] of await importersOf(undeclared, await files(), outputs))
      addDependency(outsideTests ? field : 'devDependencies', name, rangeFor(name, manifest));
  }
  for (const name of RETIRED) {
    const dropped = changed.some(
      r => r.input !== undefined && importsPackage(r.input, name) && !importsPackage(r.output ?? r.input, name)
    );
    if (
      !dropped ||
      changed.some(r => importsPackage(r.output ?? r.input ?? '', name)) ||
      (await packageStillImports(files, migrated, name))
    )
      continue;
    for (const f of ['dependencies', 'devDependencies']) {
      if (pkg[f]?.[name] !== undefined) {
        delete pkg[f][name];
        edits.push({ path: [f, name], value: undefined });
        removed.push(name);
      }
    }
  }
  const warnings: string[] = [];
  const zodField = ['dependencies', 'devDependencies'].find(f => pkg[f]?.zod !== undefined);
  const zod = zodField ? pkg[zodField].zod : undefined;
  const ported: PortedFile[] = [];
  if (zodField && isZod3Range(zod) && added.includes('@modelcontextprotocol/server')) {
    const upgrade = zodUpgradeWithPorts(manifest, await files(), outputs);
    ported.push(...upgrade.ported);
    if (upgrade.safe) {
      pkg[zodField].zod = ZOD_4;
      edits.push({ path: [zodField, 'zod'], value: ZOD_4 });
      removed.push(`zod@${zod}`);
      added.push(`zod@${ZOD_4}`);
    } else {
      warnings.push(
        `zod ${zod} is below 4.2, whose schemas @modelcontextprotocol/server refuses at tools/list; not upgraded, ` +
          `because this code uses what zod 4 removed: ${blockerSummary(upgrade.blockers)}`
      );
    }
  }
  if (!zodField && added.includes('@modelcontextprotocol/server')) {
    // Code importing zod it never declared got the v1 SDK's zod 3 (hoisted; still there while anything keeps the
    // v1 SDK), which the v2 server refuses at tools/list: it is declared at zod 4, where the code allows it.
    const [importer] = await importersOf(['zod'], await files(), outputs);
    if (importer) {
      const upgrade = zodUpgradeWithPorts(manifest, await files(), outputs);
      ported.push(...upgrade.ported);
      if (upgrade.safe) addDependency(importer[1] ? field : 'devDependencies', 'zod', ZOD_4);
      else
        warnings.push(
          `this code imports zod without declaring it (it ran on the v1 SDK's zod 3, which @modelcontextprotocol/server ` +
            `refuses at tools/list); not declared at zod 4, because it uses what zod 4 removed: ${blockerSummary(upgrade.blockers)}`
        );
    }
  }
  if (added.some(a => a === 'zod' || a === `zod@${ZOD_4}`)) {
    const peers = zodPeerConflicts(manifest, pkg, ZOD_4);
    if (peers.length)
      warnings.push(
        `zod is now ${ZOD_4}, but ${peers.join(', ')}: npm install refuses (ERESOLVE) until ` +
          `${peers.length > 1 ? 'they move' : 'it moves'} to a release that accepts zod 4`
      );
  }
  if (added.length === 0 && removed.length === 0) return undefined;
  const output = encode(jsonWithEdits(text, edits), shape);
  return { file: manifest, input: raw, output, added, removed: [...new Set(removed)], warnings, ported };
}

/** Where a new dependency map goes among the manifest's top-level keys: after the maps npm orders before it. */
function afterMap(keys: string[], map: string): number {
  const before = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
  const earlier = before.slice(0, Math.max(before.indexOf(map), 0));
  const last = Math.max(...earlier.map(k => keys.indexOf(k)));
  return last >= 0 ? last + 1 : keys.length;
}

/** `@types/node` for the lowest Node major `engines.node` admits (`>=18` → `^18.0.0`), else Node 20's. */
function nodeTypesRange(pkg: Record<string, any>): string {
  const major = Number(/(\d+)/.exec(String(pkg.engines?.node ?? ''))?.[1]);
  return `^${major >= 18 ? major : 20}.0.0`;
}

/**
 * A deno.json's import map: each package the migrated files now import is mapped to its `npm:` specifier (Deno
 * resolves its subpaths, `@modelcontextprotocol/server/stdio`, through the one entry, as it did the v1 SDK's), and
 * the v1 entry goes once nothing imports it. A deno.jsonc with comments does not parse as JSON and is left alone.
 */
function denoEdit(
  manifest: string,
  raw: string,
  text: string,
  shape: Parameters<typeof encode>[1],
  config: Record<string, any>,
  used: Set<string>,
  stillV1: boolean,
  extraDeps: Record<string, string>
): ManifestEdit | undefined {
  const imports: Record<string, string> = config.imports ?? {};
  const added = [...used].sort().filter(name => (V2_VERSIONS[name] ?? extraDeps[name]) && imports[name] === undefined);
  const removed: string[] = stillV1 ? [] : Object.keys(imports).filter(key => key === V1 || key === `${V1}/`);
  if (added.length === 0 && removed.length === 0) return undefined;
  // The new entries take the v1 entry's place (the map keeps the order its authors gave it), else go last.
  const entries: [string, string][] = [];
  const additions = added.map((name): [string, string] => [
    name,
    `npm:${name}@${V2_VERSIONS[name] ?? extraDeps[name]}`
  ]);
  const newEntries = [...additions];
  for (const [key, value] of Object.entries(imports)) {
    if (key === V1) entries.push(...additions.splice(0));
    if (!removed.includes(key)) entries.push([key, value as string]);
  }
  entries.push(...additions);
  const order = entries.map(([key]) => key);
  const edits: JsonEdit[] = [
    ...removed.map(key => ({ path: ['imports', key], value: undefined })),
    ...newEntries.map(([key, value]) => ({ path: ['imports', key], value, insertionIndex: placedBy(order, key) }))
  ];
  const output = encode(jsonWithEdits(text, edits), shape);
  return { file: manifest, input: raw, output, added, removed: removed.length ? [V1] : [], warnings: [] };
}

/**
 * `file: API` blockers, by API, each with the files that use it: at most three named (a generated API client has
 * hundreds of model files using the same zod 3 types, and the warning listed every one).
 */
function blockerSummary(blockers: string[]): string {
  const byApi = new Map<string, string[]>();
  for (const b of blockers) {
    const at = b.indexOf(': ');
    const [file, api] = at < 0 ? ['', b] : [b.slice(0, at), b.slice(at + 2)];
    byApi.set(api, [...(byApi.get(api) ?? []), file]);
  }
  return [...byApi]
    .map(([api, files]) => {
      const named = files.slice(0, 3).join(', ');
      return `${api} in ${named}${files.length > 3 ? ` and ${files.length - 3} more file(s)` : ''}`;
    })
    .join('; ');
}

/**
 * The files of the package `manifest` owns (a nested package's files are its own), listed on first use and then kept:
 * the v1 SDK, each retired package and the zod upgrade all ask.
 */
function packageFiles(manifest: string): () => Promise<string[]> {
  let listed: Promise<string[]> | undefined;
  return () =>
    (listed ??= discover([path.dirname(manifest)]).then(({ files }) =>
      files.filter(f => nearestManifest(f) === manifest)
    ));
}

/**
 * Which of `names` the package's files import (a migrated file as the migration left it), each with whether a file
 * other than a test does: a package only tests import is a dev dependency.
 */
async function importersOf(
  names: string[],
  files: string[],
  outputs: Map<string, string>
): Promise<Map<string, boolean>> {
  const found = new Map<string, boolean>();
  if (names.length === 0) return found;
  for (const f of files) {
    const text = textAsMigrated(f, outputs);
    if (text === undefined) continue;
    for (const name of names)
      if (found.get(name) !== true && importsPackage(text, name)) found.set(name, !isTestFile(f));
  }
  return found;
}

/**
 * Does any file of this package (excluding nested packages and the files just migrated) still import `pkgName`
 * (the v1 SDK, or a retired helper package)? A per-file run must not drop the dependency that the other files still need.
 */
async function packageStillImports(
  files: () => Promise<string[]>,
  migrated: Set<string>,
  pkgName: string
): Promise<boolean> {
  for (const f of await files()) {
    if (migrated.has(f)) continue;
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (pkgName === V1 ? text.includes(V1) && mcpPackagesImported(text).includes(V1) : importsPackage(text, pkgName))
      return true;
  }
  return false;
}
