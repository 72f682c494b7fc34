/** Shared shapes that cross module (and worker) boundaries. Plain data only: they are structured-cloned. */

import type { PlannedPart, Severity } from '../transforms/kit/transform.js';

export type { Severity };

export interface Diagnostic {
  /** Which stage or transform produced it: 'surface', 'parse', a transform id, or a check rule id. */
  transform: string;
  /** Stable rule id, e.g. `stateless-entry/sse-endpoint`; for the surface stage `mcp-codemod`. */
  rule: string;
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
  /** Reported with a marker comment (engine-internal; dropped with the marker, never printed). */
  marked?: boolean;
}

export type SkipReason =
  | 'binary'
  | 'too-large'
  | 'unreadable'
  | 'symlink-outside-root'
  | 'symlink-not-followed'
  | 'symlinked-manifest'
  | 'vendored-sdk'
  | 'bundled-sdk'
  | 'not-mcp';

export interface FileResult {
  file: string;
  /** true when the migrated text differs from the input. */
  changed: boolean;
  /** Ids of the stages/transforms that changed something, in pipeline order. */
  transforms: string[];
  diagnostics: Diagnostic[];
  /** The new text (only when changed); encoded exactly as it will be written. */
  output?: string;
  /** The original text (only when changed), for diffs. */
  input?: string;
  /** Packages the migrated file imports from `@modelcontextprotocol/*` and the v1 sdk, for manifest edits. */
  imports?: string[];
  /** Support files the rewrites need (path → content), written once per run. */
  created?: Record<string, string>;
  /** Dependencies the rewrites need in the nearest manifest. */
  dependencies?: string[];
  /** Cross-file agreements (TransformMeta.plan) this file carried out. */
  honoured?: string[];
  /** Set when the file was left untouched because something went wrong. */
  error?: string;
  /** true once the new text is on disk (a write run only). */
  written?: boolean;
  /** What `mcp-migrate check` reports on the file as migrated (or as it is, when unchanged). */
  check?: { error: number; warning: number };
  skipped?: SkipReason;
}

export interface PipelineOptions {
  /** Transform ids to run (subset of the registry); undefined = all. `surface` names the v1→v2 stage. */
  transforms?: string[];
  /** The project's mcp-migrate.config.json, handed to every transform as options. */
  config?: Record<string, unknown>;
  /** Where generated support modules go for this file's package (decided by the engine). */
  supportDir?: string;
  /** Relative specifiers of this file proved to be a vendored copy of the v1 SDK: specifier → package specifier. */
  vendoredSdk?: Record<string, string>;
  /** This file's parts of the run's cross-file agreements, by transform id. */
  planned?: Record<string, PlannedPart[]>;
  /** The run's classes with a `connect` method of their own (src/check/own-connect.ts), for the leftover markers. */
  ownConnect?: string[];
}
