/** `check`: discover → text prefilter → matcher (worker pool for large runs) → findings. */
import { discover } from '../discover.js';
import { createRunner } from '../pool.js';
import { readCandidate } from '../read-candidate.js';
import { importsV1Sdk } from '../sdk-imports.js';
import { vendoredSdkRootOf } from '../vendored-sdk.js';
import { MENTIONS_MARKERS } from '../../transforms/kit/marker-vocabulary.js';
import { checkText, type Finding } from './matcher.js';

export interface CheckReport {
  findings: Finding[];
  files: number;
  candidates: number;
  /** Vendored copies of the v1 SDK whose own modules were not checked: root → how many files. */
  vendored: Record<string, number>;
  durationMs: number;
}

export function mayNeedCheck(text: string): boolean {
  return /@modelcontextprotocol\//.test(text) || MENTIONS_MARKERS.test(text) || importsV1Sdk(text);
}

export async function runCheck(paths: string[], ignore: string[], jobs: number): Promise<CheckReport> {
  const started = performance.now();
  const { files } = await discover(paths, ignore);
  const tasks: { file: string; text: string }[] = [];
  const vendored: Record<string, number> = {};
  for (const file of files) {
    // A vendored SDK copy is v1 by definition; once its importers are migrated it is dead code to delete, not to fix.
    const root = vendoredSdkRootOf(file);
    if (root) {
      vendored[root] = (vendored[root] ?? 0) + 1;
      continue;
    }
    const c = readCandidate(file, mayNeedCheck);
    if ('text' in c) tasks.push(c);
  }
  const runner = await createRunner(
    new URL('./check-worker.js', import.meta.url),
    async (t: { file: string; text: string }) => checkText(t.file, t.text),
    tasks.length,
    jobs
  );
  const results = await Promise.all(tasks.map(t => runner.run(t))).finally(() => runner.close());
  return {
    findings: results.flat(),
    files: files.length,
    candidates: tasks.length,
    vendored,
    durationMs: Math.round(performance.now() - started)
  };
}
