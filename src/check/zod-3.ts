/**
 * zod 3 schemas under the v2 server. `@modelcontextprotocol/server` converts tool schemas with zod 4's own JSON Schema
 * support and refuses a zod 3 schema at `tools/list` ("Schema appears to be from zod 3"): a server whose package stays
 * on zod 3 (the migration keeps it there when the code uses what zod 4 removed, and says so) starts, and then answers
 * no tool list. Nothing in the file's own code shows it, so a CI gate would pass over a server that does not work.
 */
import fs from 'node:fs';
import { nearestManifest } from '../nearest-manifest.js';
import { isZod3Range } from '../zod-upgrade.js';

export const ZOD_3 = 'zod-3';

/** What a package declares: its dependencies and dev dependencies together. */
export type Declared = Record<string, string>;

/** `import { z } from 'zod'` / `'zod/v3'`, `require('zod')`: the specifier and where it is. */
const ZOD_IMPORT = /\bfrom\s*(['"])(zod(?:\/v3)?)\1|\brequire\s*\(\s*(['"])(zod(?:\/v3)?)\3\s*\)/g;
/** The file serves tools or prompts: it imports the v2 server, or registers on a server handed to it. */
const SERVES = /(['"])@modelcontextprotocol\/server(?:\/[^'"]*)?\1|\.register(?:Tool|Prompt|Resource)\s*\(/;
/**
 * …through McpServer, the API that takes zod schemas. A low-level `Server` answers tools/list with whatever JSON
 * Schema its handler returns (often zod-to-json-schema's output): its zod version never meets the SDK.
 */
const TAKES_SCHEMAS = /\bMcpServer\b|\.register(?:Tool|Prompt|Resource)\s*\(/;
const V2_SERVER = '@modelcontextprotocol/server';

const declaredBy = new Map<string, Declared | undefined>();

/** The zod import of a file of a v2 server package whose schemas are zod 3: its index and what makes them zod 3. */
export function zod3Import(
  file: string,
  code: string,
  declaredOf: (file: string) => Declared | undefined = declaredOnDisk
): { index: number; why: string } | undefined {
  if (!code.includes('zod') || !SERVES.test(code) || !TAKES_SCHEMAS.test(code)) return undefined;
  let declared: Declared | undefined | null = null;
  for (const m of code.matchAll(ZOD_IMPORT)) {
    declared ??= declaredOf(file);
    if (!declared?.[V2_SERVER]) return undefined;
    if ((m[2] ?? m[4]) === 'zod/v3') {
      if (onlyReadsKinds(code, m.index!, m.index! + m[0].length)) continue;
      return { index: m.index!, why: "it imports zod 3's API ('zod/v3')" };
    }
    if (isZod3Range(declared.zod)) return { index: m.index!, why: `its package declares zod ${declared.zod}` };
  }
  return undefined;
}

/**
 * The enums that name what kind a schema is. A converter (zod-to-json-schema, bundled into many servers through the
 * AI SDK) imports ZodFirstPartyTypeKind from 'zod/v3' to read zod 3 schemas it is handed, in a package whose own
 * schemas are zod 4: that import builds no schema and types none.
 */
const KIND_ENUMS = new Set(['ZodFirstPartyTypeKind', 'ZodIssueCode', 'ZodParsedType']);

/**
 * Does the 'zod/v3' import at `index` bring in nothing but KIND_ENUMS: named (`import { ZodFirstPartyTypeKind }`), or
 * read off the namespace it is bound to (`const v3 = require('zod/v3')` … `v3.ZodFirstPartyTypeKind`)?
 */
function onlyReadsKinds(code: string, index: number, end: number): boolean {
  const start = code.lastIndexOf('\n', index) + 1;
  // The statement the import is written in: from the start of its line (or its `import {` a few lines up) on.
  const opening = code.lastIndexOf('import', index);
  const statement = code.slice(opening >= 0 && index - opening < 2000 ? Math.min(start, opening) : start, index);
  const named = /import\s*(?:type\s*)?\{([^{}]*)\}\s*$/.exec(statement);
  if (named) {
    const names = named[1]!
      .split(',')
      .map(
        n =>
          n
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0]!
      )
      .filter(Boolean);
    return names.length > 0 && names.every(n => KIND_ENUMS.has(n));
  }
  const binding =
    /import\s*\*\s*as\s+([A-Za-z_$][\w$]*)\s*$/.exec(statement)?.[1] ??
    /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=[^;=]*$/.exec(statement)?.[1];
  if (!binding) return false;
  const escaped = binding.replace(/\$/g, '\\$');
  // Every later mention of the binding, and the member it reads (if it reads one).
  const uses = [
    ...code.slice(end).matchAll(new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])(\\s*\\.\\s*([A-Za-z_$][\\w$]*))?`, 'g'))
  ];
  return uses.length > 0 && uses.every(r => KIND_ENUMS.has(r[2] ?? ''));
}

/** The dependencies of the manifest that owns `file`, as it is on disk. */
export function declaredOnDisk(file: string): Declared | undefined {
  const manifest = nearestManifest(file);
  if (!manifest) return undefined;
  let key: string;
  let text: string | undefined;
  try {
    // Keyed by modification time too: a run in this process may have rewritten the manifest since it was read.
    key = `${manifest}\0${fs.statSync(manifest).mtimeMs}`;
    if (!declaredBy.has(key)) text = fs.readFileSync(manifest, 'utf8');
  } catch {
    return undefined;
  }
  if (!declaredBy.has(key)) declaredBy.set(key, text === undefined ? undefined : declaredIn(text));
  return declaredBy.get(key);
}

/** The dependencies and dev dependencies a manifest's text declares. */
export function declaredIn(manifestText: string): Declared | undefined {
  try {
    const pkg = JSON.parse(manifestText);
    return { ...pkg.devDependencies, ...pkg.dependencies };
  } catch {
    return undefined;
  }
}
