/**
 * Recognises imports of the v1 SDK (`@modelcontextprotocol/sdk/...`), including relative imports of SDK module
 * paths as found in the SDK's own examples and in vendored copies (`../../server/mcp.js`).
 */

/** Module paths inside the v1 SDK that only the SDK has; a relative import ending in one of them is the SDK. */
const SDK_MODULE_PATHS = [
  'server/mcp',
  'server/index',
  'server/stdio',
  'server/streamableHttp',
  'server/webStandardStreamableHttp',
  'server/sse',
  'server/express',
  'server/completable',
  'server/zod-compat',
  'server/auth/router',
  'server/auth/middleware/bearerAuth',
  'server/auth/provider',
  'server/auth/types',
  'server/auth/errors',
  'client/index',
  'client/stdio',
  'client/streamableHttp',
  'client/sse',
  'client/auth',
  'client/websocket',
  'shared/protocol',
  'shared/transport',
  'shared/auth',
  'inMemory',
  'types',
  'experimental/tasks/index'
];

const RELATIVE_SPECIFIER =
  /(['"])((?:\.\.?\/)+(?:[\w.-]+\/)*?)((?:server|client|shared|experimental)\/[\w/.-]+?|inMemory|types)(\.js)?\1/g;

const V1_PACKAGE = /['"]@modelcontextprotocol\/sdk(?:\/[^'"]*)?['"]/;

export function importsV1Sdk(text: string): boolean {
  return V1_PACKAGE.test(text) || relativeSdkSpecifiers(text).length > 0;
}

interface RelativeSdkSpecifier {
  /** The full quoted literal as written, e.g. `'../../server/mcp.js'`. */
  literal: string;
  /** The equivalent package specifier, e.g. `@modelcontextprotocol/sdk/server/mcp.js`. */
  packageSpecifier: string;
}

/**
 * Relative specifiers that name SDK modules. A bare `types.js` counts only when another relative SDK path is
 * imported too, so a project's own `./types.js` is not mistaken for the SDK's.
 */
export function relativeSdkSpecifiers(text: string): RelativeSdkSpecifier[] {
  if (!text.includes('./')) return [];
  const found: RelativeSdkSpecifier[] = [];
  for (const m of text.matchAll(RELATIVE_SPECIFIER)) {
    const modulePath = m[3];
    if (!SDK_MODULE_PATHS.includes(modulePath)) continue;
    if (!isImportPosition(text, m.index ?? 0)) continue;
    found.push({ literal: m[0], packageSpecifier: `@modelcontextprotocol/sdk/${modulePath}.js` });
  }
  const strong = found.filter(
    f => !f.packageSpecifier.endsWith('/types.js') && !f.packageSpecifier.endsWith('/inMemory.js')
  );
  return strong.length > 0 ? found : [];
}

/** The literal follows `from`, `import`, `import(` or `require(`: it is a module specifier, not data. */
function isImportPosition(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 12), index);
  if (!/(?:\bfrom|\bimport|\bimport\(|\brequire\(|\bmock\()\s*$/.test(before)) return false;
  // A commented-out import (`// import type { X } from '…/sdk/types.js'`, a doc comment's example) imports nothing:
  // counted, it kept the v1 SDK in a manifest for a line nobody runs.
  const lineStart = text.lastIndexOf('\n', index) + 1;
  return !/^\s*(?:\/\/|\/\*|\*)/.test(text.slice(lineStart, index));
}

/** Rewrites relative SDK specifiers to package specifiers so the official codemod recognises them. */
export function toPackageSpecifiers(text: string): string {
  let out = text;
  for (const spec of relativeSdkSpecifiers(text)) {
    const quote = spec.literal[0];
    out = out.split(spec.literal).join(`${quote}${spec.packageSpecifier}${quote}`);
  }
  return out;
}

/** `@modelcontextprotocol/*` packages (and the v1 sdk) a text imports, as bare package names. */
export function mcpPackagesImported(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/['"](@modelcontextprotocol\/[\w-]+)(?:\/[^'"]*)?['"]/g)) {
    if (isImportPosition(text, m.index ?? 0)) names.add(m[1]);
  }
  return [...names].sort();
}

/** Does the text import `pkg` (or a subpath of it) in an import or require position? */
export function importsPackage(text: string, pkg: string): boolean {
  if (!text.includes(pkg)) return false;
  const escaped = pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (const m of text.matchAll(new RegExp(`['"]${escaped}(?:/[^'"]*)?['"]`, 'g')))
    if (isImportPosition(text, m.index ?? 0)) return true;
  return false;
}
