/**
 * Questions asked below the tool callbacks (a method of a tool class, a confirmation service the tools share): the
 * file that asks cannot hand its question back to a tool it does not know, so it asks in the round of whatever tool
 * call it runs in (`elicitInRound(…)` from mcp-input-rounds.ts), and the rounds are opened where the server is built
 * (`askingInRounds(new McpServer(…))`), which is usually another module. This plan pairs each file that may ask that
 * way with the files of its package, and of the packages depending on it, that build an SDK server; the asking file
 * honours its part only if it did ask in rounds, so a server is wrapped only where some question needs it.
 */
import path from 'node:path';
import type { Agreement, ProjectFile } from '../kit/transform.js';
import { packageScope } from '../kit/package-json.js';
import { ASKS as ASKING_CALL } from './helper-plan.js';

/**
 * A file's part: it asks in the tool call's rounds (`asks`), it builds a server that opens them (`opens`), or both;
 * `via`: the modules of the project it imports the server class from, which re-export the SDK's.
 */
export interface AmbientPart {
  role: 'ambient';
  asks: boolean;
  opens: boolean;
  via?: string[];
}

/** A request made by method (helper-plan's test) or on the wire by its method name. */
const ASKS = new RegExp(`${ASKING_CALL.source}|['"](?:elicitation/create|sampling/createMessage|roots/list)['"]`);
/**
 * An SDK server built in the file: the class imported from the SDK (v1's paths or v2's package), or required
 * (CommonJS, a compiled module's namespace too), and constructed.
 */
const SDK_SERVER_MODULE = String.raw`['"]@modelcontextprotocol\/(?:sdk\/server\/(?:mcp|index)(?:\.js)?|server)['"]`;
const SDK_SERVER_IMPORT = new RegExp(
  String.raw`\bimport\s*\{[^}]*\b(?:McpServer|Server)\b[^}]*\}\s*from\s*${SDK_SERVER_MODULE}|\brequire\(\s*${SDK_SERVER_MODULE}\s*\)`
);
const CONSTRUCTS = /\bnew\s+(?:[\w$]+\.)?(?:McpServer|Server)\s*\(/;
/** A module of the project re-exporting the SDK's server class (chrome-devtools-mcp's `third_party/index.ts`). */
const SDK_SERVER_REEXPORT = new RegExp(
  String.raw`\bexport\s*(?:\{[^}]*\b(?:McpServer|Server)\b[^}]*\}|\*)\s*from\s*${SDK_SERVER_MODULE}`
);
const RELATIVE_SERVER_IMPORT = /\bimport\s*\{([^}]*)\}\s*from\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * A file whose asking helpers have the tools' context handed down to them (helper-plan's agreements) asks in rounds
 * only if that fails: its agreement here stands in for those (Agreement.fallbackFor), so a helper whose callers could
 * not all pass their context still asks in its tool call's round instead of keeping its TODO.
 */
export function planAmbientRounds(migrated: ProjectFile[], helpers: Agreement[] = []): Agreement[] {
  const asking = migrated.filter(f => ASKS.test(f.text));
  if (asking.length === 0) return [];
  const barrels = new Set(migrated.filter(f => SDK_SERVER_REEXPORT.test(f.text)).map(f => f.file));
  const via = new Map(migrated.map(f => [f.file, barrelImports(f, barrels)]));
  const building = migrated.filter(
    f => CONSTRUCTS.test(f.text) && (SDK_SERVER_IMPORT.test(f.text) || via.get(f.file)!.length > 0)
  );
  const scope = packageScope();
  const agreements: Agreement[] = [];
  for (const f of asking) {
    // Its own package, and the packages that depend on it (a monorepo's server package using its core package).
    const opening = building.filter(b => scope.reaches(f.file, b.file));
    if (opening.length === 0) continue;
    const parts: Record<string, AmbientPart> = {};
    for (const b of opening) parts[b.file] = { role: 'ambient', asks: false, opens: true, ...barrelPart(via, b.file) };
    parts[f.file] = {
      role: 'ambient',
      asks: true,
      opens: f.file in parts,
      ...(f.file in parts && barrelPart(via, f.file))
    };
    const handedContext = helpers.filter(h => (h.parts[f.file] as { role?: string } | undefined)?.role === 'asks');
    agreements.push({
      key: `${f.file}#ambient-rounds`,
      parts,
      ...(handedContext.length ? { fallbackFor: handedContext.map(h => h.key) } : {})
    });
  }
  return agreements;
}

function barrelPart(via: Map<string, string[]>, file: string): { via?: string[] } {
  const specifiers = via.get(file) ?? [];
  return specifiers.length ? { via: specifiers } : {};
}

/** The specifiers, as written, by which `f` imports a server class from one of `barrels`. */
function barrelImports(f: ProjectFile, barrels: Set<string>): string[] {
  if (barrels.size === 0) return [];
  const found: string[] = [];
  for (const [, names, specifier] of f.text.matchAll(RELATIVE_SERVER_IMPORT)) {
    if (!/\b(?:McpServer|Server)\b/.test(names!)) continue;
    const target = path.resolve(path.dirname(f.file), specifier!);
    const stem = target.replace(/\.[cm]?[jt]sx?$/, '');
    const candidates = ['.ts', '.tsx', '.mts', '.js', '.mjs'].flatMap(ext => [
      stem + ext,
      path.join(target, `index${ext}`)
    ]);
    if (candidates.some(c => barrels.has(c))) found.push(specifier!);
  }
  return found;
}
