/** `check`: discover → text prefilter → matcher (worker pool for large runs) → findings. */
import { discover } from '../discover.js';
import { createRunner } from '../pool.js';
import { barrelImporters } from '../barrels.js';
import { readCandidate } from '../read-candidate.js';
import { vendoredSdkModuleRoot } from '../vendored-sdk.js';
import { uncheckedFile } from './file-rules.js';
import { mayNeedCheck } from './needs-check.js';
import { UNCHECKED_MARKERS, uncheckedMarkerLine, uncheckedReason, uncheckedText } from './unchecked.js';
import { v1LibrariesDeclaredFor } from '../v1-libraries-declared.js';
import type { Finding } from './matcher.js';
import checkTask, { type CheckTask } from './check-worker.js';
import { ownConnectClassesOf } from './own-connect.js';
import type { SkipReason } from '../types.js';

export interface CheckReport {
  findings: Finding[];
  files: number;
  candidates: number;
  /** Vendored copies of the v1 SDK whose own modules were not checked: root → how many files. */
  vendored: Record<string, number>;
  durationMs: number;
}

export async function runCheck(paths: string[], ignore: string[], jobs: number): Promise<CheckReport> {
  const started = performance.now();
  const { files } = await discover(paths, ignore);
  const tasks: { file: string; text: string }[] = [];
  const vendored: Record<string, number> = {};
  const unchecked: Finding[] = [];
  const notMcp: string[] = [];
  // A file that uses MCP only through a library on the v1 SDK (`new FastMCP()`, and nothing of the SDK) is checked too.
  const libraries = [...v1LibrariesDeclaredFor(files)];
  const needsCheck = libraries.length
    ? (text: string) => mayNeedCheck(text) || libraries.some(name => text.includes(name))
    : mayNeedCheck;
  for (const file of files) {
    // A vendored SDK copy is v1 by definition; once its importers are migrated it is dead code to delete, not to fix.
    const root = vendoredSdkModuleRoot(file);
    if (root) {
      vendored[root] = (vendored[root] ?? 0) + 1;
      continue;
    }
    const c = readCandidate(file, needsCheck);
    if ('text' in c) tasks.push(c);
    else if (c.skipped === 'not-mcp') notMcp.push(file);
    else {
      const text = uncheckedText(file, c.skipped);
      const why = uncheckedReason(file, c.skipped, c.detail, text);
      if (why) unchecked.push(onItsMarker(uncheckedFile(file, why), c.skipped, text));
    }
  }
  for (const file of barrelImporters(tasks, notMcp)) {
    const c = readCandidate(file, () => true);
    if ('text' in c) tasks.push(c);
  }
  const ownConnect = ownConnectClassesOf(tasks);
  const runner = await createRunner(
    new URL('./check-worker.js', import.meta.url),
    async (t: CheckTask) => checkTask(t),
    tasks.length,
    jobs
  );
  const results = await Promise.all(tasks.map(t => runner.run({ ...t, ownConnect }))).finally(() => runner.close());
  return {
    // Files in path order (as discovered), each file's findings in line order.
    findings: [...unchecked, ...results.flat()].sort(
      (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column
    ),
    files: files.length,
    candidates: tasks.length,
    vendored,
    durationMs: Math.round(performance.now() - started)
  };
}

/** A file a migration marked (see src/unchecked-file-marker.ts) reports its error on the marker line, carrying it. */
function onItsMarker(finding: Finding, reason: SkipReason, text: string | undefined): Finding {
  const marker = UNCHECKED_MARKERS[reason];
  const line = marker && text !== undefined ? uncheckedMarkerLine(text) : undefined;
  return line === undefined ? finding : { ...finding, line, marker };
}
