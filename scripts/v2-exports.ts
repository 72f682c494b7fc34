/**
 * Regenerates transforms/surface/v2-exports.json from the published v2 packages mcp-migrate pins:
 * - `exports`: every name each public entry point exports, read from its typings with ts-morph. The surface stage
 *   routes a v1 import symbol to the entry point that really exports it (and marks one that none does);
 * - `methods`: the method string of every spec request/notification schema `@modelcontextprotocol/core` exports
 *   (read from the schemas themselves), and whether v2's typed `setRequestHandler` / `setNotificationHandler`
 *   accept it (the `RequestMethod` / `NotificationMethod` unions exclude the experimental task methods).
 * - `v1`: every name any module of the pinned v1 SDK exports, so an import of a name v1 never had (a type that
 *   resolved to nothing before the migration too) is told apart from one v2 removed.
 *
 *   npx tsx scripts/v2-exports.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { Project, type SourceFile } from 'ts-morph';

const ROOT = path.resolve(import.meta.dirname, '..');
export const ENTRY_POINTS = [
  '@modelcontextprotocol/server',
  '@modelcontextprotocol/server/stdio',
  '@modelcontextprotocol/server/validators/ajv',
  '@modelcontextprotocol/server/validators/cf-worker',
  '@modelcontextprotocol/client',
  '@modelcontextprotocol/client/stdio',
  '@modelcontextprotocol/client/validators/ajv',
  '@modelcontextprotocol/client/validators/cf-worker',
  '@modelcontextprotocol/core',
  '@modelcontextprotocol/node',
  '@modelcontextprotocol/express',
  '@modelcontextprotocol/server-legacy/sse',
  '@modelcontextprotocol/server-legacy/auth'
];

export function readV2Exports(): Record<string, string[]> {
  const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { skipLibCheck: true } });
  const out: Record<string, string[]> = {};
  for (const entry of ENTRY_POINTS) {
    const [scope, name, ...sub] = entry.split('/');
    const pkgDir = path.join(ROOT, 'node_modules', scope!, name!);
    const exportsField = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).exports;
    const key = sub.length ? `./${sub.join('/')}` : '.';
    const types = exportsField[key]?.import?.types ?? exportsField[key]?.types;
    const sf = project.addSourceFileAtPath(path.join(pkgDir, types));
    out[entry] = [...sf.getExportedDeclarations().keys()].sort();
  }
  return out;
}

/** Every name a module of the pinned `@modelcontextprotocol/sdk` exports (its ES module typings). */
export function readV1Names(): string[] {
  const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { skipLibCheck: true } });
  const dir = path.join(ROOT, 'node_modules/@modelcontextprotocol/sdk/dist/esm');
  const names = new Set<string>();
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (!f.endsWith('.d.ts') || f.startsWith('examples')) continue;
    for (const name of project.addSourceFileAtPath(path.join(dir, f)).getExportedDeclarations().keys()) names.add(name);
  }
  return [...names].sort();
}

/** Spec schema name → { method, typed }: `typed` when v2's typed handler registration accepts the method. */
export async function readMethods(): Promise<Record<string, { method: string; typed: boolean }>> {
  const core: Record<string, any> = await import('@modelcontextprotocol/core');
  const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { skipLibCheck: true } });
  const server = project.addSourceFileAtPath(
    path.join(ROOT, 'node_modules/@modelcontextprotocol/server/dist/index.d.mts')
  );
  const typed = new Set([...unionLiterals(server, 'RequestMethod'), ...unionLiterals(server, 'NotificationMethod')]);
  const out: Record<string, { method: string; typed: boolean }> = {};
  for (const [name, schema] of Object.entries(core).sort()) {
    if (!/(Request|Notification)Schema$/.test(name)) continue;
    const method = schema?.shape?.method?.value;
    if (typeof method === 'string') out[name] = { method, typed: typed.has(method) };
  }
  return out;
}

/** The string literals of a union type alias reachable from `sf` (through the package's re-exports). */
function unionLiterals(sf: SourceFile, alias: string): string[] {
  for (const file of [sf, ...sf.getReferencedSourceFiles()]) {
    const decl = file.getTypeAlias(alias);
    if (decl)
      return decl
        .getType()
        .getUnionTypes()
        .map(t => t.getLiteralValue())
        .filter((v): v is string => typeof v === 'string');
  }
  for (const file of sf.getProject().getSourceFiles()) {
    const decl = file.getTypeAlias(alias);
    if (decl)
      return decl
        .getType()
        .getUnionTypes()
        .map(t => t.getLiteralValue())
        .filter((v): v is string => typeof v === 'string');
  }
  throw new Error(`type ${alias} not found in the server typings`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = path.join(ROOT, 'transforms/surface/v2-exports.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ exports: readV2Exports(), methods: await readMethods(), v1: readV1Names() }, null, 1) + '\n'
  );
  console.log(`wrote ${path.relative(ROOT, file)}`);
}
