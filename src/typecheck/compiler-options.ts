/**
 * The compiler settings a group of changed files is checked with: the project's nearest `tsconfig.json` (found from
 * the file up to the repository root, `extends` followed by TypeScript itself), else a default that matches how a
 * modern Node server is compiled. `noEmit` always: nothing is ever written.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ts as TS } from 'ts-morph';

export function nearestTsconfig(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

export function defaultOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    strict: false,
    noEmit: true
  };
}

/** The options of `tsconfig`, or the default when there is none or it cannot be read. */
export function optionsFor(ts: typeof TS, tsconfig: string | undefined): TS.CompilerOptions {
  if (!tsconfig) return defaultOptions(ts);
  const read = ts.readConfigFile(tsconfig, f => fs.readFileSync(f, 'utf8'));
  if (read.error || !read.config) return defaultOptions(ts);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig), undefined, tsconfig);
  // A config whose `extends` cannot be found (dependencies not installed) still gives its own options.
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    composite: false,
    incremental: false,
    emitDeclarationOnly: false
  };
}
