/**
 * What the surface stage's passes share while rewriting one file: the parse, the edits they collect, the names the
 * import rewrite renamed or could not route, and the imports later passes ask for.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { statementPathOf } from '../kit/ast.js';
import { markerEdit, type MarkerKind } from '../kit/markers.js';
import type { TransformOptions } from '../kit/transform.js';
import type { TextEdit } from '../kit/text-edits.js';
import { topLevelNames, typeImport } from '../kit/type-import-name.js';
import type { Side } from './routing.js';

export const SURFACE = 'surface';

export interface SurfaceContext {
  j: JSCodeshift;
  root: Collection<any>;
  src: string;
  file: string;
  options: TransformOptions;
  quote: string;
  side: Side;
  edits: TextEdit[];
  /** Local names whose references take a new name (a v1 import renamed in v2, imported without an alias). */
  renamed: Map<string, string>;
  /** Local names bound to v1's handler-context type (RequestHandlerExtra), whatever they are called. */
  contextTypes: Set<string>;
  /** Local name bound to v1's ErrorCode, if imported. */
  errorCode?: string;
  /** Every local name a v1 import binds: its v1 name. */
  imported: Map<string, string>;
  /** Imported names whose uses a pass rewrote away (schemas → method strings), with how many: not imported when
   * those were all the uses. */
  dropped: Map<string, number>;
  drop(local: string): void;
  /** Names a pass needs imported: entry point → names (`type X` for type-only). */
  needs: Map<string, Set<string>>;
  /** A marker above the statement holding `at` (a node or path), once per rule per statement. */
  mark(at: ASTPath<any> | any, kind: MarkerKind, rule: string, message: string): void;
  need(entry: string, name: string): void;
  /**
   * A v2 type to write into the code, imported from `entry`: its own name, or `Mcp<Name>` (imported as such) when the
   * file binds the name to something of its own (`interface Tool { run(): … }`), which an import of the same name would
   * clash with and which the written type must not mean.
   */
  sdkType(entry: string, name: string): string;
}

export function surfaceContext(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  file: string,
  options: TransformOptions,
  quote: string,
  side: Side
): SurfaceContext {
  const marked = new Set<string>();
  let taken: Set<string> | undefined; // the module's own top-level names, read once when a type is first written
  const ctx: SurfaceContext = {
    j,
    root,
    src,
    file,
    options,
    quote,
    side,
    edits: [],
    renamed: new Map(),
    contextTypes: new Set(),
    imported: new Map(),
    dropped: new Map(),
    needs: new Map(),
    mark(at, kind, rule, message) {
      const node = at?.node && at.parent !== undefined ? statementPathOf(at).node : at;
      const key = `${node.start}:${rule}`;
      if (marked.has(key)) return;
      marked.add(key);
      const e = markerEdit(src, node, kind, `${SURFACE}/${rule}`, message, options);
      if (e) ctx.edits.push(e);
    },
    drop(local) {
      ctx.dropped.set(local, (ctx.dropped.get(local) ?? 0) + 1);
    },
    need(entry, name) {
      ctx.needs.set(entry, (ctx.needs.get(entry) ?? new Set()).add(name));
    },
    sdkType(entry, name) {
      const { local, specifier } = typeImport(j, root, (taken ??= topLevelNames(root)), name);
      ctx.need(entry, specifier);
      return local;
    }
  };
  return ctx;
}

/** The local name this file binds v1's `v1Name` to (`import { McpError as E }` → `E`), if it imports it. */
export function importedAs(ctx: SurfaceContext, v1Name: string): string | undefined {
  for (const [local, name] of ctx.imported) if (name === v1Name) return local;
  return undefined;
}
