/**
 * The official `@modelcontextprotocol/codemod`, pinned, as a test oracle and benchmark baseline (it is no longer a
 * stage of mcp-migrate: see transforms/surface). Driven file by file through its exported API
 * (`getMigration('v1-to-v2').transforms`, each `apply(sourceFile, ctx)`) on a ts-morph in-memory source file. Only files that import the v1 SDK get here.
 *
 * What we add around it: relative SDK specifiers are presented as package specifiers so the codemod sees them;
 * a transform that throws rolls the whole file back (all-or-nothing, like the official runner); diagnostics
 * that ask for a marker become `/* @mcp-codemod-error … *\/` comments above their line and are reported.
 * Formatting damage it does (quotes, indentation) is repaired later by the minimal-diff pass.
 */
import type { Project, SourceFile } from 'ts-morph';
import type { Diagnostic, Severity } from '../../src/types.js';
import { toPackageSpecifiers } from '../../src/sdk-imports.js';
import { CODEMOD_MARKER } from '../../transforms/kit/marker-vocabulary.js';

const SURFACE_ID = 'official-codemod';

interface CodemodDiagnostic {
  level: string;
  line: number;
  message: string;
  insertComment?: boolean;
  resolveCurrentLine?: () => number;
}
interface CodemodTransform {
  id: string;
  apply(
    sf: SourceFile,
    ctx: { projectType: 'client' | 'server' | 'both' | 'unknown' }
  ): {
    changesCount: number;
    diagnostics: CodemodDiagnostic[];
  };
}

let loaded: { project: Project; transforms: CodemodTransform[] } | undefined;

/** ts-morph and TypeScript are heavy to load; only workers that meet a v1 file pay for it. */
async function load() {
  if (loaded) return loaded;
  const [{ Project }, codemod] = await Promise.all([import('ts-morph'), import('@modelcontextprotocol/codemod')]);
  const migration = codemod.getMigration('v1-to-v2');
  if (!migration) throw new Error('the official codemod no longer provides the v1-to-v2 migration');
  const project = new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { allowJs: true, noEmit: true }
  });
  loaded = { project, transforms: migration.transforms as unknown as CodemodTransform[] };
  return loaded;
}

export interface SurfaceResult {
  text: string;
  changed: boolean;
  diagnostics: Diagnostic[];
}

function projectTypeOf(text: string): 'client' | 'server' | 'both' | 'unknown' {
  const server = /@modelcontextprotocol\/sdk\/server\//.test(text);
  const client = /@modelcontextprotocol\/sdk\/client\//.test(text);
  return server && client ? 'both' : server ? 'server' : client ? 'client' : 'unknown';
}

const LEVELS: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info' };

export async function runOfficialCodemod(file: string, text: string): Promise<SurfaceResult> {
  const { project, transforms } = await load();
  const prepared = toPackageSpecifiers(text);
  // The virtual path keeps the extension (ts, tsx, js, mts…) so the right grammar is used.
  const ext = /\.[cm]?[jt]sx?$/.exec(file)?.[0] ?? '.ts';
  const sf = project.createSourceFile(`/virtual/input${ext}`, prepared, { overwrite: true });
  const ctx = { projectType: projectTypeOf(prepared) };
  const raw: CodemodDiagnostic[] = [];
  try {
    for (const t of transforms) raw.push(...t.apply(sf, ctx).diagnostics);
  } catch (err) {
    project.removeSourceFile(sf);
    const message = `official codemod failed, file left as it was: ${(err as Error).message}`;
    return { text, changed: false, diagnostics: [diag(file, 1, 'error', message)] };
  }
  const lines = raw.map(d => ({ ...d, line: currentLine(d) }));
  insertMarkers(
    sf,
    lines.filter(d => d.insertComment)
  );
  const out = sf.getFullText();
  project.removeSourceFile(sf);
  const diagnostics = lines.map(d => diag(file, d.line, LEVELS[d.level] ?? 'info', d.message));
  return { text: out, changed: out !== prepared || prepared !== text, diagnostics };
}

function diag(file: string, line: number, severity: Severity, message: string): Diagnostic {
  return { transform: SURFACE_ID, rule: 'mcp-codemod', file, line, column: 1, severity, message };
}

/** One marker per line (messages joined with ` | `), bottom-up so earlier positions stay valid. */
function insertMarkers(sf: SourceFile, diags: CodemodDiagnostic[]): void {
  const byLine = new Map<number, string[]>();
  for (const d of diags) byLine.set(d.line, [...(byLine.get(d.line) ?? []), d.message]);
  const lineStarts = sf.compilerNode.getLineStarts();
  const text = sf.getFullText();
  for (const line of [...byLine.keys()].sort((a, b) => b - a)) {
    const start = lineStarts[line - 1];
    if (start === undefined) continue;
    const previous = line >= 2 ? text.slice(lineStarts[line - 2], start) : '';
    if (previous.includes(CODEMOD_MARKER)) continue;
    if (insideLiteral(sf, start)) continue;
    const indent = /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
    const message = byLine.get(line)!.join(' | ').replaceAll('*/', '* /');
    sf.insertText(start, `${indent}/* ${CODEMOD_MARKER} ${message} */\n`);
  }
}

function insideLiteral(sf: SourceFile, pos: number): boolean {
  const node = sf.getDescendantAtPos(pos);
  const kind = node?.getKindName() ?? '';
  return /Template|StringLiteral|NoSubstitution/.test(kind) && node!.getStart() < pos;
}

/** The diagnostic's line after the other transforms ran; its node may have been removed by then (a codemod bug). */
function currentLine(d: CodemodDiagnostic): number {
  try {
    return d.resolveCurrentLine?.() ?? d.line;
  } catch {
    return d.line;
  }
}
