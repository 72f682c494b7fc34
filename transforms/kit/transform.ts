/**
 * The contract every 2026 transform follows. Transforms are plain jscodeshift modules
 * (`(file, api, options) => string | undefined`), so `jscodeshift -t transforms/x.ts` runs them too; when run
 * by mcp-migrate, `options.report` collects diagnostics for the report.
 */
import type { API, FileInfo } from 'jscodeshift';

export type Safety = 'safe' | 'review';

export interface TransformMeta {
  id: string;
  title: string;
  summary: string;
  spec: string[];
  safety: Safety;
  /** Cheap text test: the transform cannot apply unless this matches, so the file is not even parsed. */
  prefilter: RegExp;
}

export interface TransformDiagnostic {
  rule: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface TransformOptions {
  report?: (d: TransformDiagnostic) => void;
  /** Asks the engine to create a file beside the sources (written once, even when many files ask). */
  emit?: (file: string, content: string) => void;
  /** Asks the engine to add a dependency to the file's nearest package.json. */
  needDependency?: (name: string) => void;
  /** Where a package's generated support modules live (set by the engine: its src/ folder or root). */
  tracingDir?: string;
  [key: string]: unknown;
}

export type TransformFn = (file: FileInfo, api: API, options: TransformOptions) => string | undefined | null;

export interface TransformModule {
  default: TransformFn;
  meta: TransformMeta;
}
