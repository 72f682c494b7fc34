/**
 * Vitest global setup: a scratch folder for this run only, shared by every test file (see `migratedServers` in
 * e2e.ts), removed when the run ends. A run of its own, so nothing a server wrote in one run is seen by the next.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    runDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const tmp = path.resolve(import.meta.dirname, '../../.tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const dir = fs.mkdtempSync(path.join(tmp, 'run-'));
  project.provide('runDir', dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
