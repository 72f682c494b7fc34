/**
 * Relative imports of a vendored copy of the v1 SDK (the SDK's own examples, a copied `sdk/` folder): proved by
 * content, never by a folder name a project may also use. A relative specifier is the SDK when the file it resolves
 * to lies under a folder whose `types.ts` / `types.js` is the SDK's protocol types module (it defines
 * `LATEST_PROTOCOL_VERSION`, `JSONRPC_VERSION` and `CallToolRequestSchema`); the module path inside that folder
 * gives the package specifier it stands for. A project's own `../server/index.js` resolves under no such folder.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bmock\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;
const SDK_TYPES = [/\bLATEST_PROTOCOL_VERSION\b/, /\bJSONRPC_VERSION\b/, /\bCallToolRequestSchema\b/];
const rootCache = new Map<string, string | null>();

/** The SDK root folder holding `dir` (or `dir` itself), if there is one. */
function sdkRootOf(dir: string): string | undefined {
  const chain: string[] = [];
  let found: string | undefined;
  for (let d = dir; ; d = path.dirname(d)) {
    const cached = rootCache.get(d);
    if (cached !== undefined) {
      found = cached ?? undefined;
      break;
    }
    chain.push(d);
    if (isSdkRoot(d)) {
      found = d;
      break;
    }
    if (path.dirname(d) === d || fs.existsSync(path.join(d, 'package.json'))) break;
  }
  for (const d of chain) rootCache.set(d, found && (d === found || d.startsWith(found + path.sep)) ? found : null);
  return found;
}

function isSdkRoot(dir: string): boolean {
  for (const name of ['types.ts', 'types.js']) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (SDK_TYPES.every(re => re.test(text))) return true;
  }
  return false;
}

function resolvesTo(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
  for (const c of [
    base,
    `${stem}.ts`,
    `${stem}.js`,
    `${stem}.d.ts`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.js')
  ]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return undefined;
}

/** Relative specifiers of `text` (a file at `file`) that are the vendored SDK: specifier → package specifier. */
export function vendoredSdkSpecifiers(file: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text.includes('./')) return out;
  for (const m of text.matchAll(SPECIFIER)) {
    const specifier = m[2]!;
    if (Object.hasOwn(out, specifier)) continue;
    const target = resolvesTo(file, specifier);
    if (!target) continue;
    const root = sdkRootOf(path.dirname(target));
    if (!root) continue;
    // The copy's own modules are the SDK, not its users: only code outside it (or its examples) is migrated.
    const inside = file.startsWith(root + path.sep) && !path.relative(root, file).split(path.sep).includes('examples');
    if (inside) continue;
    const modulePath = modulePathIn(root, target);
    // Only the SDK's published modules: the copy's examples and anything written beside it (our own support
    // modules among them) are a project's code.
    if (!publishedModules().has(modulePath)) continue;
    out[specifier] = `@modelcontextprotocol/sdk/${modulePath}.js`;
  }
  return out;
}

let published: Set<string> | undefined;

/** Module paths of the v1 SDK package (examples excluded), from the copy mcp-migrate depends on. */
function publishedModules(): Set<string> {
  if (published) return published;
  // `types.js` sits at the root of the build's module tree.
  const build = path.dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/sdk/types.js'));
  published = new Set(
    (fs.readdirSync(build, { recursive: true }) as string[])
      .filter(f => f.endsWith('.js'))
      .map(f => f.split(path.sep).join('/').replace(/\.js$/, ''))
      .filter(m => !m.split('/').includes('examples'))
  );
  return published;
}

/**
 * The root of the vendored v1 SDK copy `file` belongs to, when it is one of the copy's own modules (its examples
 * are code that uses the SDK, not the SDK).
 */
function vendoredSdkRootOf(file: string): string | undefined {
  const root = sdkRootOf(path.dirname(file));
  if (!root) return undefined;
  return path.relative(root, file).split(path.sep).includes('examples') ? undefined : root;
}

/**
 * The root of the vendored copy when `file` is one of the modules the published v1 SDK has, inside it. Those are the
 * SDK itself: neither migrated nor checked (once their importers are migrated the copy is dead code to delete).
 * Anything else in the copy's folder (its examples, modules a project wrote beside it) is the project's code.
 */
export function vendoredSdkModuleRoot(file: string): string | undefined {
  const root = vendoredSdkRootOf(file);
  return root && publishedModules().has(modulePathIn(root, file)) ? root : undefined;
}

/** `server/mcp` for `<root>/server/mcp.ts`: a module's path as the SDK package spells it, without extension. */
function modulePathIn(root: string, file: string): string {
  return path
    .relative(root, file)
    .split(path.sep)
    .join('/')
    .replace(/\.(?:d\.ts|[cm]?[jt]sx?)$/, '');
}

/**
 * A build output that has the v1 SDK compiled into it (esbuild/tsup/webpack/vite bundles). Rewriting it would rewrite
 * the SDK's own internals and leave the bundled 2025 runtime in place; the sources it was built from are what to
 * migrate. Known by the SDK's protocol constants (`var LATEST_PROTOCOL_VERSION = …`, `var JSONRPC_VERSION = …`), with
 * its `Protocol` class or, in a bundle that took only the SDK's types and auth helpers, the size of a bundle (the
 * SDK's own types module is under 100 KB and is no bundle); minified, where those names are gone, by the protocol's
 * method and version strings, which only the SDK's types module lists all together.
 */
const SDK_CONSTANTS = [
  /\b(?:var|let|const)\s+LATEST_PROTOCOL_VERSION\s*=/,
  /\b(?:var|let|const)\s+JSONRPC_VERSION\s*=/
];
const SDK_PROTOCOL_CLASS = /\bclass\s+(?:[\w$]+\s+)?extends\s+Protocol\b/;
/** The strings only the SDK's types module lists together (exported for the test that builds a minified bundle). */
export const SDK_WIRE_LITERALS = [
  '2024-11-05',
  '2025-03-26',
  'notifications/initialized',
  'resources/templates/list',
  'completion/complete',
  'logging/setLevel',
  'sampling/createMessage'
];
const SDK_WIRE_STRINGS = SDK_WIRE_LITERALS.map(s => new RegExp(`["']${s}["']`));
/**
 * A later SDK's types module, minified into a library's bundle (one that compiled in a package built on the SDK, as
 * `@mcp-ui/server` compiled in the MCP Apps extension): no old version strings, but the protocol's method strings
 * together with the SDK's own error code names, which JSON-RPC does not have (`ConnectionClosed`, `RequestTimeout`).
 */
const SDK_METHOD_STRINGS = SDK_WIRE_STRINGS.slice(2);
const SDK_ERROR_NAMES = [/\bConnectionClosed\b/, /\bRequestTimeout\b/];
const BUNDLE_SIZE = 200_000;

export function bundlesV1Sdk(text: string): boolean {
  if (SDK_CONSTANTS.every(re => re.test(text))) return SDK_PROTOCOL_CLASS.test(text) || text.length > BUNDLE_SIZE;
  if (text.length <= BUNDLE_SIZE || !SDK_METHOD_STRINGS.every(re => re.test(text))) return false;
  return SDK_WIRE_STRINGS.every(re => re.test(text)) || SDK_ERROR_NAMES.every(re => re.test(text));
}
