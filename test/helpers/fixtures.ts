/** Finds fixture pairs: fixtures/<transform>/<case>.input.<ext> beside <case>.output.<ext>. */
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FIXTURES = path.join(ROOT, 'fixtures');

export interface FixturePair {
  transform: string;
  name: string;
  input: string;
  output: string;
}

export function fixturePairs(): FixturePair[] {
  const pairs: FixturePair[] = [];
  for (const dir of fs.readdirSync(FIXTURES).sort()) {
    const full = path.join(FIXTURES, dir);
    if (dir === 'servers' || !fs.statSync(full).isDirectory()) continue;
    for (const f of fs.readdirSync(full).sort()) {
      const m = /^(.*)\.input\.([cm]?[jt]sx?)$/.exec(f);
      if (!m) continue;
      const output = path.join(full, `${m[1]}.output.${m[2]}`);
      pairs.push({ transform: dir, name: m[1], input: path.join(full, f), output });
    }
  }
  return pairs;
}

/** Which ids a fixture folder runs: `pipeline` and `engine` run everything, any other folder its own id. */
export function transformsFor(dir: string): string[] | undefined {
  return dir === 'pipeline' || dir === 'engine' ? undefined : [dir];
}
