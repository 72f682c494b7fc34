/**
 * The contract every 2026 rewrite follows, and the one helper each is written with (`defineTransform`, in the
 * spirit of typescript-eslint's `createRule`): a rewrite states its meta and how it reads its section of
 * mcp-migrate.config.json once, and returns the new text; the helper picks jscodeshift's parser for the file,
 * hands over the typed config, and turns "nothing changed" into `undefined` so the file is never reprinted for
 * nothing. The result is a plain jscodeshift module (`(file, api, options) => string | undefined`) carrying its
 * meta, so `jscodeshift -t transforms/<id>/index.ts` runs it too.
 */
import { recastParser } from './parse.js';
import jscodeshift, { type API, type FileInfo, type JSCodeshift } from 'jscodeshift';
import { installCatchScopeFix } from './catch-scope.js';
import { installFastFind } from './fast-find.js';
import { grammarOf, type Grammar } from './grammar.js';

installFastFind();
installCatchScopeFix();

export type Safety = 'safe' | 'review';

/** error: the code is not done or no longer works on 2026-07-28; warning: works, but deprecated; info: for the record. */
export type Severity = 'error' | 'warning' | 'info';

export interface TransformMeta {
  id: string;
  title: string;
  summary: string;
  spec: string[];
  safety: Safety;
  /** Cheap text test: the transform cannot apply unless this matches, so the file is not even parsed. */
  prefilter: RegExp;
  /**
   * Changes that span files (a helper and its callers), planned over the whole run before any file is rewritten.
   * Each file gets its parts in `options.planned`, reports the keys it carried out through `options.honour`, and the
   * engine re-runs the files of an agreement one of them could not honour, without it.
   */
  plan?: (migrated: ProjectFile[], others: () => ProjectFile[], resolve: ModuleResolver) => Agreement[];
}

export interface ProjectFile {
  file: string;
  text: string;
}

/** The files a relative specifier written in `from` may name, in the order TypeScript tries them. */
export type ModuleResolver = (from: string, specifier: string) => string[];

/** One change across files: what each file (by path) must do for it. */
export interface Agreement {
  key: string;
  parts: Record<string, unknown>;
  /**
   * Keys of agreements this one stands in for: it stays out of the run while any of them stands, and comes in when
   * they are dropped (a file's questions asked in rounds, if handing its tools' context down fails).
   */
  fallbackFor?: string[];
}

/** A file's share of the run's agreements. */
export interface PlannedPart {
  key: string;
  part: unknown;
}

export interface TransformDiagnostic {
  rule: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
  /** Reported with a marker comment: when the code it marked is gone from the final text, so is the diagnostic. */
  marked?: boolean;
}

export interface TransformOptions {
  report?: (d: TransformDiagnostic) => void;
  /** Asks the engine to create a file beside the sources (written once, even when many files ask). */
  emit?: (file: string, content: string) => void;
  /** Asks the engine to add a dependency to the file's nearest package.json. */
  needDependency?: (name: string) => void;
  /** Where a package's generated support modules live (set by the engine: its src/ folder or root). */
  supportDir?: string;
  /** How the file names its neighbours' modules (`.ts` in Deno projects), for imports of support modules. */
  importExtension?: '.ts' | '.js';
  /** This file's parts of the run's cross-file agreements, by transform id (see TransformMeta.plan). */
  planned?: Record<string, PlannedPart[]>;
  /**
   * The run's classes that declare a `connect` method of their own (a server wrapper: src/check/own-connect.ts):
   * connecting one runs the project's method, which is rewritten or marked where it connects the SDK server.
   */
  ownConnect?: string[];
  /** Tells the engine this file carried out its part of agreement `key` (kept only if the change is). */
  honour?: (key: string) => void;
  /** Sections of mcp-migrate.config.json, by key (`cacheHints`, `sessionHandles`, …). */
  [section: string]: unknown;
}

export type TransformFn = (file: FileInfo, api: API, options: TransformOptions) => string | undefined;

/** A rewrite as the registry and the engine see it: a jscodeshift module function with its meta. */
export interface Transform extends TransformFn {
  meta: TransformMeta;
}

/** What a rewrite's body gets: the file, jscodeshift bound to the file's grammar, the options and its config. */
export interface RewriteContext<Config> {
  file: FileInfo;
  j: JSCodeshift;
  options: TransformOptions;
  config: Config;
}

export interface TransformDefinition<Config> {
  meta: TransformMeta;
  /** The rewrite's key in mcp-migrate.config.json and how its section (an object, maybe empty) is read. */
  config?: { key: string; read: (section: Record<string, unknown>) => Config };
  /** Returns the rewritten text; `undefined` (or the same text) when there is nothing to change. */
  rewrite: (context: RewriteContext<Config>) => string | undefined;
}

const bound = new Map<Grammar, JSCodeshift>();

/** jscodeshift with the parser the file's extension calls for, whatever `--parser` a plain jscodeshift run got. */
export function jscodeshiftFor(file: string): JSCodeshift {
  const grammar = grammarOf(file);
  let j = bound.get(grammar);
  if (!j) bound.set(grammar, (j = jscodeshift.withParser(recastParser(grammar))));
  return j;
}

export function defineTransform<Config = undefined>(definition: TransformDefinition<Config>): Transform {
  const { meta, config, rewrite } = definition;
  const transform = (file: FileInfo, _api: API, options: TransformOptions): string | undefined => {
    const section = config ? options[config.key] : undefined;
    const typed = config?.read(
      section && typeof section === 'object' && !Array.isArray(section) ? (section as Record<string, unknown>) : {}
    );
    const out = rewrite({ file, j: jscodeshiftFor(file.path), options, config: typed as Config });
    return out === undefined || out === file.source ? undefined : out;
  };
  return Object.assign(transform, { meta });
}
