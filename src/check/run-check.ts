/** `check`: discover → text prefilter → matcher (worker pool for large runs) → findings. */
import { discover } from '../discover.js';
import { createRunner } from '../pool.js';
import { readCandidate } from '../read-candidate.js';
import { importsV1Sdk } from '../sdk-imports.js';
import { MENTIONS_MARKERS } from '../../transforms/kit/marker-vocabulary.js';
import { checkText, type Finding } from './matcher.js';

export interface CheckReport {
  findings: Finding[];
  files: number;
  candidates: number;
  durationMs: number;
}

export function mayNeedCheck(text: string): boolean {
  return /@modelcontextprotocol\//.test(text) || MENTIONS_MARKERS.test(text) || importsV1Sdk(text);
}

export async function runCheck(paths: string[], ignore: string[], jobs: number): Promise<CheckReport> {
  const started = performance.now();
  const { files } = await discover(paths, ignore);
  const tasks: { file: string; text: string }[] = [];
  for (const file of files) {
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
    durationMs: Math.round(performance.now() - started)
  };
}
