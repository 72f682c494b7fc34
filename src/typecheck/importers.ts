/**
 * Unchanged files that import a changed one: a migration that renames or removes what a module exports breaks its
 * importers, and `tsc` reports those too, so the type check includes them. Found by text (relative specifiers in
 * import/export/require/import() positions resolved the way TypeScript maps `.js` to `.ts`), without parsing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { aliasTargets } from './path-aliases.js';

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * The files a specifier may name, in the order TypeScript tries them (`.js` maps to `.ts`): relative ones from the
 * importing file, others only through the project's tsconfig `paths` (`@/lib/mcp`); a package name names none.
 */
export function candidatesFor(from: string, specifier: string): string[] {
  if (!specifier.startsWith('.')) return aliasTargets(from, specifier).flatMap(withExtensions);
  return withExtensions(path.resolve(path.dirname(from), specifier));
}

function withExtensions(base: string): string[] {
  const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
  return [base, ...EXTENSIONS.map(e => stem + e), ...EXTENSIONS.map(e => path.join(base, 'index' + e))];
}

export function importersOf(changed: Set<string>, files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (changed.has(file)) continue;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes('./')) continue;
    for (const m of text.matchAll(SPECIFIER)) {
      if (candidatesFor(file, m[2]!).some(c => changed.has(c))) {
        found.push(file);
        break;
      }
    }
  }
  return found;
}
