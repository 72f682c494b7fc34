/**
 * One file's journey, as text in and text out: parse check → the rewrites (the v1 → v2 surface first, then the
 * 2026 ones) → minimal-diff pass → verify the output parses. Pure: no file system access (what needs the disk, like
 * proving a vendored SDK copy, the engine decides beforehand and passes in), so it runs the same in a worker,
 * in-process, and in the fixture tests.
 */
import { decode, encode, shebangOf } from './file-text.js';
import { relativeImportExtension } from './import-extension.js';
import { minimizeDiff } from './minimal-diff.js';
import { parseSource } from './parse.js';
import { mcpPackagesImported } from './sdk-imports.js';
import { checkText, type CheckContext } from './check/matcher.js';
import { RULES } from './check/rules.js';
import { markLeftovers, UNDECIDED_ZOD } from './leftovers.js';
import { portCoercions, ZOD_RECORD_PORT } from './zod-3-ports.js';
import { withoutAddedSemicolons } from './semicolon-style.js';
import { moveLines } from './line-map.js';
import { anchorToMarkers, runStage, SURFACE_ID } from './stage.js';
import type { Diagnostic, FileResult, PipelineOptions } from './types.js';

export async function migrateText(file: string, raw: string, options: PipelineOptions = {}): Promise<FileResult> {
  const { text: full, shape } = decode(raw);
  // The shebang is set aside: codegen tools drop or mangle it, and it is never theirs to change.
  const shebang = shebangOf(full);
  const result = await migrateBody(file, full.slice(shebang.length), options);
  if (shebang) {
    for (const d of result.diagnostics) d.line += 1;
    if (result.output !== undefined) result.output = shebang + result.output;
  }
  result.check = checkCounts(file, result.output ?? full, options);
  return finish(result, shape, raw);
}

/** What `mcp-migrate check` will say about this file once written, so the run's summary and check agree. */
function checkCounts(file: string, text: string, options: PipelineOptions): { error: number; warning: number } {
  const counts = { error: 0, warning: 0 };
  for (const f of checkText(file, text, RULES, leftoverContext(options)))
    if (f.severity !== 'info') counts[f.severity]++;
  return counts;
}

/**
 * A file whose rewrites did not finish (over the run's time budget): its code stays as it was, and what `check` finds
 * in it is marked as the leftovers pass marks every migrated file, so the run leaves no finding the user is not told
 * about. `error` says why; the result is a changed file (the markers) that also failed.
 */
export function leftoversOnly(file: string, raw: string, error: string, options: PipelineOptions = {}): FileResult {
  // As in a finished file: the markers come with the run of every rewrite, not a chosen few.
  if (options.transforms) return untouched(file, error);
  const { text: full, shape } = decode(raw);
  const shebang = shebangOf(full);
  let left: ReturnType<typeof markLeftovers>;
  try {
    left = markLeftovers(file, full.slice(shebang.length), leftoverContext(options));
  } catch {
    return untouched(file, error);
  }
  if (shebang) for (const d of left.diagnostics) d.line += 1;
  const output = shebang + left.text;
  const result: FileResult =
    output === full
      ? untouched(file, error, left.diagnostics)
      : {
          file,
          changed: true,
          transforms: ['leftovers'],
          diagnostics: left.diagnostics,
          output,
          // What it still imports (the v1 SDK), as every other file's result says.
          imports: mcpPackagesImported(output),
          error
        };
  result.check = checkCounts(file, output, options);
  return finish(result, shape, raw);
}

/** What check knows in a file's own pass: the run's own-connect classes; zod is not settled yet. */
function leftoverContext(options: PipelineOptions): CheckContext {
  return options.ownConnect?.length ? { ...UNDECIDED_ZOD, ownConnect: new Set(options.ownConnect) } : UNDECIDED_ZOD;
}

function finish(result: FileResult, shape: ReturnType<typeof decode>['shape'], raw: string): FileResult {
  if (!result.changed) return result;
  return { ...result, input: raw, output: encode(result.output!, shape) };
}

/** Does the text import the v1 SDK: its package, or a relative path the engine proved to be a vendored copy? */
function importsV1(text: string, vendored: Record<string, string> | undefined): boolean {
  return (
    mcpPackagesImported(text).includes('@modelcontextprotocol/sdk') ||
    Object.keys(vendored ?? {}).some(s => text.includes(s))
  );
}

/** The rewrites over LF-only text without BOM or shebang; `output` is that same kind of text. */
async function migrateBody(file: string, text: string, options: PipelineOptions): Promise<FileResult> {
  const before = parseSource(file, text);
  if (!before.ok) {
    const message = `does not parse, left untouched: ${before.message}`;
    return untouched(file, message, [parseDiagnostic(file, before.line, before.column, message)]);
  }
  let diagnostics: Diagnostic[] = [];
  let fired: string[] = [];
  let current = text;
  let created: Record<string, string> = {};
  let dependencies: string[] = [];
  let honoured: string[] = [];
  const ids = options.transforms;
  // The 2026 rewrites read v2-shaped code: a v1 file whose surface is not being migrated would get a mix.
  if (ids && !ids.includes(SURFACE_ID) && importsV1(current, options.vendoredSdk)) {
    diagnostics.push({
      transform: 'pipeline',
      rule: 'v1-remains',
      file,
      line: 1,
      column: 1,
      severity: 'warning',
      message:
        `this file still imports @modelcontextprotocol/sdk and ${SURFACE_ID} was not selected, so the 2026 rewrites ` +
        `were skipped; run with the ${SURFACE_ID} rewrite too`
    });
  } else {
    const config = {
      ...options.config,
      ...(options.supportDir ? { supportDir: options.supportDir } : {}),
      ...(relativeImportExtension(current) === '.ts' ? { importExtension: '.ts' } : {}),
      ...(options.vendoredSdk ? { vendoredSdk: options.vendoredSdk } : {}),
      ...(options.planned ? { planned: options.planned } : {}),
      ...(options.ownConnect ? { ownConnect: options.ownConnect } : {})
    };
    const stage = runStage(file, current, ids, config);
    diagnostics.push(...stage.diagnostics);
    fired = stage.fired;
    current = stage.text;
    // With every rewrite run, whatever check still flags gets a marker: nothing is left unexplained.
    if (!ids) {
      // A coerced date fails every tools/list once zod 4 lists it; its JSON form means the same in zod 3 and 4.
      const ported = portCoercions(file, current);
      if (ported !== undefined) {
        current = ported;
        fired.push(ZOD_RECORD_PORT);
      }
      const left = markLeftovers(file, current, leftoverContext(options));
      if (left.text !== current) fired.push('leftovers');
      diagnostics = moveLines(diagnostics, current, left.text);
      current = left.text;
      diagnostics.push(...left.diagnostics);
    }
    created = stage.created;
    dependencies = stage.dependencies;
    honoured = stage.honoured;
  }
  const output = minimizeDiff(file, text, withoutAddedSemicolons(file, text, current));
  // Later rewrites and the minimal-diff pass move lines: every marker's diagnostic is read back from the final text.
  diagnostics = anchorToMarkers(diagnostics, output, true);
  if (output === text)
    return { file, changed: false, transforms: [], diagnostics, imports: mcpPackagesImported(text), honoured };
  const after = parseSource(file, output);
  if (!after.ok) {
    const message = `the migrated output would not parse (${after.message} at ${after.line}:${after.column}); file left untouched`;
    return untouched(file, message, [...diagnostics, parseDiagnostic(file, 1, 1, message)]);
  }
  return {
    file,
    changed: true,
    transforms: fired,
    diagnostics,
    output,
    imports: mcpPackagesImported(output),
    created,
    dependencies,
    honoured
  };
}

/** A file left as it was, with the reason (and what was reported about it). */
export function untouched(file: string, error: string, diagnostics: Diagnostic[] = []): FileResult {
  return { file, changed: false, transforms: [], diagnostics, error };
}

function parseDiagnostic(file: string, line: number, column: number, message: string): Diagnostic {
  return { transform: 'parse', rule: 'parse-error', file, line, column, severity: 'error', message };
}
