/**
 * One file's journey, as text in and text out: parse check → surface stage (v1 → v2, only for files that import
 * the v1 SDK) → 2026 stage → minimal-diff pass → verify the output parses. Pure: no file system access, so it
 * runs the same in a worker, in-process, and in the fixture tests.
 */
import { decode, encode } from './file-text.js';
import { minimizeDiff } from './minimal-diff.js';
import { parseSource } from './parse.js';
import { importsV1Sdk, mcpPackagesImported } from './sdk-imports.js';
import { run2026Stage } from './stage-2026.js';
import { runSurfaceStage, SURFACE_ID } from './surface.js';
import type { Diagnostic, FileResult, PipelineOptions } from './types.js';

export async function migrateText(file: string, raw: string, options: PipelineOptions = {}): Promise<FileResult> {
  const { text: full, shape } = decode(raw);
  // The shebang is set aside: codegen tools drop or mangle it, and it is never theirs to change.
  const shebang = /^#![^\n]*\n/.exec(full)?.[0] ?? '';
  const result = await migrateBody(file, full.slice(shebang.length), options);
  if (!shebang) return finish(result, shape, raw);
  for (const d of result.diagnostics) d.line += 1;
  if (result.output !== undefined) result.output = shebang + result.output;
  return finish(result, shape, raw);
}

function finish(result: FileResult, shape: ReturnType<typeof decode>['shape'], raw: string): FileResult {
  if (!result.changed) return result;
  return { ...result, input: raw, output: encode(result.output!, shape) };
}

/** The stages over LF-only text without BOM or shebang; `output` is that same kind of text. */
async function migrateBody(file: string, text: string, options: PipelineOptions): Promise<FileResult> {
  const before = parseSource(file, text);
  if (!before.ok) {
    const message = `does not parse, left untouched: ${before.message}`;
    return untouched(file, message, [parseDiagnostic(file, before.line, before.column, message)]);
  }
  const diagnostics: Diagnostic[] = [];
  const fired: string[] = [];
  let current = text;
  let created: Record<string, string> = {};
  let dependencies: string[] = [];
  if (wants(options, SURFACE_ID) && importsV1Sdk(current)) {
    const surface = await runSurfaceStage(file, current);
    diagnostics.push(...surface.diagnostics);
    if (surface.changed) {
      current = surface.text;
      fired.push(SURFACE_ID);
    }
  }
  const ids = options.transforms?.filter(id => id !== SURFACE_ID);
  // The 2026 rewrites read v2-shaped code. A file the v1→v2 stage could not finish (CommonJS require() of SDK
  // paths, or the stage was not selected) would get a half-migrated mix, so it is left for a human first.
  if (importsV1Sdk(current) && (ids === undefined || ids.length > 0)) {
    diagnostics.push({
      transform: 'pipeline',
      rule: 'v1-remains',
      file,
      line: 1,
      column: 1,
      severity: 'warning',
      message:
        'this file still imports @modelcontextprotocol/sdk after the v1→v2 stage, so the 2026 rewrites were ' +
        'skipped; finish the v2 imports (see the @mcp-codemod-error markers) and run again'
    });
  } else {
    const stage = run2026Stage(file, current, ids, {
      ...options.config,
      ...(options.supportDir ? { supportDir: options.supportDir } : {})
    });
    diagnostics.push(...stage.diagnostics);
    fired.push(...stage.fired);
    current = stage.text;
    created = stage.created;
    dependencies = stage.dependencies;
  }
  const output = minimizeDiff(file, text, current);
  if (output === text) return { file, changed: false, transforms: [], diagnostics, imports: mcpPackagesImported(text) };
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
    dependencies
  };
}

function wants(options: PipelineOptions, id: string): boolean {
  return !options.transforms || options.transforms.includes(id);
}

function untouched(file: string, error: string, diagnostics: Diagnostic[]): FileResult {
  return { file, changed: false, transforms: [], diagnostics, error };
}

function parseDiagnostic(file: string, line: number, column: number, message: string): Diagnostic {
  return { transform: 'parse', rule: 'parse-error', file, line, column, severity: 'error', message };
}
