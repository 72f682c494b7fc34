/**
 * Reads one discovered file and decides, by text alone, whether it goes to the pipeline. Anything that cannot
 * or should not be migrated comes back as a skip with its reason, never as a silent omission.
 */
import fs from 'node:fs';
import { looksBinary } from './file-text.js';
import { mayNeedMigration } from './prefilter.js';
import { bundlesV1Sdk } from './vendored-sdk.js';
import type { SkipReason } from './types.js';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type Candidate = { file: string; text: string } | { file: string; skipped: SkipReason; detail?: string };

export function readCandidate(file: string, test: (text: string) => boolean = mayNeedMigration): Candidate {
  let buf: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) return { file, skipped: 'too-large', detail: `${stat.size} bytes` };
    buf = fs.readFileSync(file);
  } catch (err) {
    return { file, skipped: 'unreadable', detail: (err as Error).message };
  }
  if (looksBinary(buf)) return { file, skipped: 'binary' };
  const text = buf.toString('utf8');
  if (!test(text)) return { file, skipped: 'not-mcp' };
  if (bundlesV1Sdk(text)) {
    return {
      file,
      skipped: 'bundled-sdk',
      detail: 'a build output with the v1 SDK compiled in: migrate the sources it is built from'
    };
  }
  return { file, text };
}
