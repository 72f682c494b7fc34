/**
 * A project that re-exports the SDK from a module of its own (a `third_party/index.ts` with
 * `export { McpServer, SetLevelRequestSchema } from '@modelcontextprotocol/…'`) has files that use the SDK without
 * naming it. They are MCP code all the same: `check` reads them and `migrate` runs its rewrites on them and marks
 * what is left, instead of both passing them over as files that never mention MCP.
 */
import { importersOf } from './typecheck/importers.js';

const REEXPORTS_SDK = /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*['"]@modelcontextprotocol\//;

/** Of `others` (files that do not mention MCP), those that import a module of `candidates` re-exporting the SDK. */
export function barrelImporters(candidates: { file: string; text: string }[], others: string[]): string[] {
  const barrels = new Set(candidates.filter(c => REEXPORTS_SDK.test(c.text)).map(c => c.file));
  return barrels.size && others.length ? importersOf(barrels, others) : [];
}
