/**
 * Libraries built on the v1 SDK: a package the project imports whose own manifest depends on
 * `@modelcontextprotocol/sdk` (`@supabase/mcp-utils`, `fastmcp`, `agents`). A server such a library builds is a v1
 * server: it speaks only the 2025 protocol whatever this project's code does, and v2's serveStdio / createMcpHandler
 * cannot serve it. Nothing in the project's own code says so; the library's manifest does, found the way Node resolves
 * the import (node_modules from the importing file upwards), else in the nearest package-lock.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEPENDENCY_FIELDS, readJsonFile } from '../kit/package-json.js';
import { readProjectModule } from '../kit/project-modules.js';

export interface V1Library {
  name: string;
  /** The SDK range the library asks for (`^1.18.0`). */
  sdkRange: string;
  /**
   * Not installed and in no lockfile, so its release could not be read: a library that hosts MCP servers on the SDK it
   * depends on (HOSTS), named by the project's package.json. Said as a warning; the rewrites do not act on it.
   */
  unverified?: boolean;
}

/**
 * Libraries whose job is to build or serve MCP servers on the SDK they depend on (Cloudflare's `agents` McpAgent,
 * `fastmcp`, Vercel's `mcp-handler`): where they are not installed, the project still cannot be said to serve
 * 2026-07-28 until their release is known to be on the v2 packages.
 */
const HOSTS = new Set([
  'agents',
  'fastmcp',
  'mcp-handler',
  '@vercel/mcp-adapter',
  'mcp-framework',
  '@supabase/mcp-utils'
]);

/** The SDK's own packages, and libraries whose use the rewrites replace (`@hono/mcp` → handler.fetch). */
const NOT_A_LIBRARY = /^(?:@modelcontextprotocol\/|@hono\/mcp$)/;

const manifests = new Map<string, Record<string, unknown> | null>();
const lockfiles = new Map<string, Record<string, any> | null>();

/** `@scope/pkg/sub/path` → `@scope/pkg`; `pkg/sub` → `pkg`; relative, absolute and `node:` specifiers → undefined. */
export function packageOf(specifier: string): string | undefined {
  if (/^(?:\.|\/|node:|[a-z]+:)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? (parts.length > 1 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}

function sdkRangeIn(manifest: any): string | undefined {
  for (const key of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    const range = manifest?.[key]?.['@modelcontextprotocol/sdk'];
    if (typeof range === 'string') return range;
  }
  return undefined;
}

const links = new Map<string, boolean>();

/** Does the installed package resolve outside any node_modules folder (an npm/pnpm/yarn workspace link)? */
function isWorkspaceLink(dir: string): boolean {
  if (!links.has(dir)) {
    let real = dir;
    try {
      real = fs.realpathSync(dir);
    } catch {
      // unreadable: taken as installed
    }
    links.set(dir, !real.split(path.sep).includes('node_modules'));
  }
  return links.get(dir)!;
}

/** The library `name`, imported from `file`, when it is built on the v1 SDK. */
export function v1LibraryOf(file: string, name: string): V1Library | undefined {
  if (NOT_A_LIBRARY.test(name)) return undefined;
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const installed = readJsonFile(path.join(dir, 'node_modules', name, 'package.json'), manifests);
    // A workspace package linked into node_modules is the project's own code, which the same run migrates.
    if (installed && isWorkspaceLink(path.join(dir, 'node_modules', name))) return undefined;
    if (installed) {
      const sdkRange = sdkRangeIn(installed);
      return sdkRange ? { name, sdkRange } : undefined;
    }
    const lock = readJsonFile(path.join(dir, 'package-lock.json'), lockfiles);
    const locked = lock?.packages?.[`node_modules/${name}`];
    if (locked) {
      const sdkRange = sdkRangeIn(locked);
      return sdkRange ? { name, sdkRange } : undefined;
    }
    if (path.dirname(dir) === dir)
      return HOSTS.has(name) && declaredByProject(file, name) ? uninstalled(name) : undefined;
  }
}

function uninstalled(name: string): V1Library {
  return { name, sdkRange: '', unverified: true };
}

/** Does the package.json nearest to `file` declare `name` (a dependency of this project, not yet installed)? */
function declaredByProject(file: string, name: string): boolean {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const manifest = readJsonFile(path.join(dir, 'package.json'), manifests);
    if (manifest) return DEPENDENCY_FIELDS.some(key => typeof manifest[key]?.[name] === 'string');
    if (path.dirname(dir) === dir) return false;
  }
}

/** `import { A } from 'x'`, `import x from 'x'`, `require('x')`, `import('x')`: what is bound, and the specifier. */
const IMPORT_FROM =
  /\bimport(?:\s+(type)\b)?\s*([\w$*{},\s]{0,400}?)\s*from\s*(['"])([^'"\n]+)\3|\b(?:require|import)\s*\(\s*(['"])([^'"\n]+)\5\s*\)/g;

/** A name that builds or serves an MCP server (`createMcpServer`, `FastMCP`, `McpAgent`, `serve`). */
const SERVER_NAME = /server|mcp|agent|serve/i;

export interface V1LibraryImport extends V1Library {
  /** Where the import is in the code. */
  index: number;
  /** It binds a server-like name, or the library is an MCP library by its name. */
  serverLike: boolean;
  /** It binds a name the library hosts only SDK v1 servers through, whatever its release: what to do instead. */
  v1Only?: string;
}

/**
 * Host libraries that moved to the v2 packages through a new entry while an old API stays on the v1 SDK: Cloudflare's
 * `agents` serves v2 factories with `createMcpHandler` from `agents/mcp/server` (0.32 and later), while its
 * `McpAgent` is feature-frozen on SDK v1 (agents' docs: a v2 `McpServer` cannot run inside it). The new entry is no
 * finding; the old API is one even where the release is not installed to be read.
 */
const SPLIT_HOSTS: Record<string, { v2Entry: RegExp; v1Names: RegExp; instead: string }> = {
  agents: {
    v2Entry: /^agents\/mcp\/server$/,
    v1Names: /\b(?:McpAgent|createLegacyMcpHandler|experimental_createMcpHandler)\b/,
    instead:
      "`McpAgent` runs only an SDK v1 server (agents' docs: a v2 McpServer cannot run inside it) and serves only the " +
      '2025 protocol; build the server in a factory on @modelcontextprotocol/server and serve it with ' +
      "`createMcpHandler(createServer)` from 'agents/mcp/server' (agents 0.32 or later; `export default { fetch: " +
      "handler }`, the route is /mcp), keeping the McpAgent class exported until wrangler's Durable Object " +
      'binding and its sessions are retired'
  }
};

/** The first import of each library on the v1 SDK in `code` (comments blanked; type-only imports do not count). */
export function v1LibraryImports(file: string, code: string): V1LibraryImport[] {
  const out: V1LibraryImport[] = [];
  const seen = new Set<string>();
  for (const m of code.matchAll(IMPORT_FROM)) {
    if (m[1]) continue;
    const specifier = m[4] ?? m[6]!;
    const name = packageOf(specifier);
    if (!name || seen.has(name)) continue;
    const split = SPLIT_HOSTS[name];
    if (split?.v2Entry.test(specifier)) continue;
    const library = v1LibraryOf(file, name);
    if (!library) continue;
    seen.add(name);
    // For require(), what it is bound to sits before the call on its line.
    const bound = m[2] ?? code.slice(code.lastIndexOf('\n', m.index!) + 1, m.index!);
    const v1Only = split?.v1Names.test(bound) ? split.instead : undefined;
    out.push({
      ...library,
      index: m.index!,
      serverLike: SERVER_NAME.test(bound) || SERVER_NAME.test(name),
      ...(v1Only ? { v1Only } : {})
    });
  }
  return out;
}

/**
 * A module of the project (`../server.js`, a bundle's `../chunk-4LRODYL5.js`) that takes a server-like name from a
 * library on the v1 SDK: that library, else undefined. Read from disk, once per module.
 */
export function v1LibraryBehind(file: string, specifier: string): V1LibraryImport | undefined {
  const module = readProjectModule(file, specifier);
  if (!module) return undefined;
  if (!behind.has(module.path))
    behind.set(
      module.path,
      v1LibraryImports(module.path, module.text).find(l => l.serverLike)
    );
  return behind.get(module.path);
}

const behind = new Map<string, V1LibraryImport | undefined>();
