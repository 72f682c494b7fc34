/**
 * Project configuration: `mcp-migrate.config.json`, found in the working directory or the nearest folder above
 * the first path. Every key is optional; defaults live with the rewrite that reads them.
 *
 * {
 *   "cacheHints": { "staticTtlMs": 3600000, "listChangedTtlMs": 300000, "privateTtlMs": 30000 },
 *   "sessionHandles": { "ttlMs": 86400000, "names": { "carts": "basket" } }
 * }
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './discover.js';

export const CONFIG_FILE = 'mcp-migrate.config.json';

export type MigrateConfig = Record<string, unknown>;

export function loadConfig(paths: string[], explicit?: string): { config: MigrateConfig; file?: string } {
  const file = explicit ? path.resolve(explicit) : findConfig(paths);
  if (!file) return { config: {} };
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('the top level must be an object');
    return { config: parsed, file };
  } catch (err) {
    throw new UsageError(`${path.relative(process.cwd(), file) || file}: ${(err as Error).message}`);
  }
}

function findConfig(paths: string[]): string | undefined {
  const starts = [process.cwd(), ...paths.map(p => path.resolve(p))];
  for (const start of starts) {
    let dir = fs.existsSync(start) && fs.statSync(start).isFile() ? path.dirname(start) : start;
    for (;;) {
      const candidate = path.join(dir, CONFIG_FILE);
      if (fs.existsSync(candidate)) return candidate;
      if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
      dir = path.dirname(dir);
    }
  }
  return undefined;
}
