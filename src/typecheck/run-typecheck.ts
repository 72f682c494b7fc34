/**
 * `--typecheck`: the files a run changes, type-checked as migrated against the v2 packages and as they were against
 * the v1 SDK, in memory (nothing is written), with ts-morph. Only what those files import is loaded. The errors the
 * migration introduced are reported at their line in the migrated file; errors the original already had are counted,
 * not reported. Files are grouped by their nearest tsconfig.json, one project per group; only files with
 * errors after the migration are checked again as they were.
 */
import path from 'node:path';
import type { Project, ts as TS } from 'ts-morph';
import { commonDir } from '../common-dir.js';
import type { Diagnostic } from '../types.js';
import { nearestTsconfig, optionsFor } from './compiler-options.js';
import { introducedErrors, type TypeError } from './introduced.js';
import { fallbackResolution, nodeTypesRoot, SHIPPED } from './module-fallback.js';

export interface TypecheckInput {
  file: string;
  /** The text before the migration; absent for a support module the run creates. */
  before?: string;
  after: string;
}

export interface TypecheckResult {
  /** Errors the migration introduced, as diagnostics in the migrated files. */
  introduced: Diagnostic[];
  /** Errors of the migrated files that the originals already had (not reported). */
  before: number;
  /** Files type-checked (TypeScript files, and JavaScript ones where the project checks JS). */
  checked: number;
}

/** "Cannot find module" and "no declaration file" for a third-party module: treated as untyped, not as an error. */
const UNRESOLVED = new Set([2307, 2792, 7016, 2875]);

export async function runTypecheck(
  inputs: TypecheckInput[],
  importers: string[] = [],
  onProgress?: (step: string) => void
): Promise<TypecheckResult> {
  const { Project, ts } = await import('ts-morph');
  const groups = new Map<string, TypecheckInput[]>();
  const importerGroups = new Map<string, string[]>();
  for (const input of inputs) {
    const key = nearestTsconfig(input.file) ?? '';
    groups.set(key, [...(groups.get(key) ?? []), input]);
  }
  for (const file of importers) {
    const key = nearestTsconfig(file) ?? '';
    importerGroups.set(key, [...(importerGroups.get(key) ?? []), file]);
  }
  const result: TypecheckResult = { introduced: [], before: 0, checked: 0 };
  for (const [tsconfig, group] of groups) {
    const options = optionsFor(ts, tsconfig || undefined);
    const checks = (file: string) => /\.[cm]?tsx?$/.test(file) || (!!options.checkJs && /\.[cm]?jsx?$/.test(file));
    const checked = group.filter(g => checks(g.file));
    const unchanged = (importerGroups.get(tsconfig) ?? []).filter(checks);
    if (checked.length === 0) continue;
    result.checked += checked.length + unchanged.length;
    const projectDir = tsconfig ? path.dirname(tsconfig) : commonDir(checked.map(c => c.file));
    const typeRoot = nodeTypesRoot(ts, projectDir, options);
    const settings: TS.CompilerOptions = typeRoot
      ? { ...options, typeRoots: [...(options.typeRoots ?? []), typeRoot], types: [...(options.types ?? []), 'node'] }
      : options;
    // One project for both sides: after the migrated texts are checked, the changed files are put back as they were
    // and TypeScript reuses every unchanged parsed file (libraries, typings, the rest of the project).
    const project: Project = new Project({
      compilerOptions: settings,
      skipAddingFilesFromTsConfig: true,
      resolutionHost: fallbackResolution(ts)
    });
    for (const file of unchanged) project.addSourceFileAtPathIfExists(file);
    const wanted = new Set([...checked.map(c => path.resolve(c.file)), ...unchanged.map(f => path.resolve(f))]);
    onProgress?.(`type-checking ${wanted.size} file(s) as migrated (v2 types)`);
    // Every migrated file, not only this group's: a test folder with a tsconfig of its own imports the sources the run
    // migrated too, and must see them as migrated (on disk they are still as they were).
    for (const c of inputs) project.createSourceFile(c.file, c.after, { overwrite: true });
    const afterErrors = errorsOf(ts, project.getProgram().compilerObject, wanted);
    // Only a file with errors after the migration can have introduced ones: the others need no second look.
    const suspects = new Set([...wanted].filter(f => (afterErrors.get(f) ?? []).length > 0));
    let beforeErrors = new Map<string, TypeError[]>();
    if (suspects.size > 0) {
      onProgress?.(`type-checking ${suspects.size} file(s) with errors as they were (v1 types)`);
      for (const c of inputs) {
        if (c.before !== undefined) project.createSourceFile(c.file, c.before, { overwrite: true });
        else project.removeSourceFile(project.getSourceFileOrThrow(c.file));
      }
      beforeErrors = errorsOf(ts, project.getProgram().compilerObject, suspects);
    }
    for (const file of suspects) {
      const after = afterErrors.get(file) ?? [];
      const introduced = introducedErrors(beforeErrors.get(file) ?? [], after);
      result.before += after.length - introduced.length;
      for (const e of introduced) {
        result.introduced.push({
          transform: 'typecheck',
          rule: 'type-error',
          severity: 'error',
          file,
          line: e.line,
          column: e.column,
          message: `TS${e.code}: ${e.message}`
        });
      }
    }
  }
  return result;
}

/** The errors of the wanted (changed) files of the program, by absolute path. */
function errorsOf(ts: typeof TS, program: TS.Program, wanted: Set<string>): Map<string, TypeError[]> {
  const out = new Map<string, TypeError[]>();
  for (const sf of program.getSourceFiles()) {
    if (!wanted.has(path.resolve(sf.fileName))) continue;
    const lines = sf.text.split('\n');
    const errors: TypeError[] = [];
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      if (d.category !== ts.DiagnosticCategory.Error || d.start === undefined) continue;
      if (UNRESOLVED.has(d.code) && !unresolvedShipped(ts, d)) continue;
      const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
      const lineText = lines[line]?.trim() ?? '';
      errors.push({
        line: line + 1,
        column: character + 1,
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
        lineText
      });
    }
    out.set(path.resolve(sf.fileName), errors);
  }
  return out;
}

/** A "cannot find module" error is ours to report only for a package the migration itself depends on. */
function unresolvedShipped(ts: typeof TS, d: TS.Diagnostic): boolean {
  const name = /['"]([^'"]+)['"]/.exec(ts.flattenDiagnosticMessageText(d.messageText, ' '))?.[1];
  return !!name && SHIPPED.test(name);
}
