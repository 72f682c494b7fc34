/**
 * Import aliases a project declares in its tsconfig.json (`"paths": { "@/*": ["./src/*"] }`, the Next.js default):
 * where `@/lib/server/mcp` lives, so plans across modules and the importers of a changed file see through them. Read
 * from the text (comments and trailing commas allowed, as tsconfig allows them), no compiler loaded; `extends` is not
 * followed.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Aliases {
  base: string;
  paths: [string, string[]][];
}

const cache = new Map<string, Aliases | undefined>();

/** The paths a non-relative specifier maps to under the nearest tsconfig.json's `paths`, without extensions. */
export function aliasTargets(from: string, specifier: string): string[] {
  const aliases = aliasesFor(path.dirname(from));
  if (!aliases) return [];
  for (const [pattern, targets] of aliases.paths) {
    const star = pattern.indexOf('*');
    const matches =
      star < 0
        ? pattern === specifier
        : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1));
    if (!matches) continue;
    const rest = star < 0 ? '' : specifier.slice(star, specifier.length - (pattern.length - star - 1));
    return targets.map(t => path.resolve(aliases.base, t.replace('*', rest)));
  }
  return [];
}

function aliasesFor(dir: string): Aliases | undefined {
  if (cache.has(dir)) return cache.get(dir);
  const file = path.join(dir, 'tsconfig.json');
  let found: Aliases | undefined;
  if (fs.existsSync(file)) found = read(file);
  else if (path.dirname(dir) !== dir && !fs.existsSync(path.join(dir, '.git'))) found = aliasesFor(path.dirname(dir));
  cache.set(dir, found);
  return found;
}

function read(file: string): Aliases | undefined {
  try {
    const options = JSON.parse(withoutComments(fs.readFileSync(file, 'utf8'))).compilerOptions ?? {};
    const paths = options.paths as Record<string, string[]> | undefined;
    if (!paths || typeof paths !== 'object') return undefined;
    const base = path.resolve(path.dirname(file), typeof options.baseUrl === 'string' ? options.baseUrl : '.');
    return { base, paths: Object.entries(paths).filter(([, t]) => Array.isArray(t)) };
  } catch {
    return undefined;
  }
}

/** JSON with comments and trailing commas → JSON: comments outside strings go, then commas before `}` or `]`. */
function withoutComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
