/** State shared by the entry rewrites of one file: the AST, options, and what was added or must be imported. */
import type { Collection, JSCodeshift } from 'jscodeshift';
import type { TransformOptions } from '../kit/transform.js';
import { mark } from '../kit/markers.js';

/** A handler's names; `json`: the removed transports asked for JSON responses (`enableJsonResponse: true`). */
export interface HandlerNames {
  handler: string;
  node?: string;
  json?: boolean;
  /** Fields of the instance the route method belongs to (`this.mcpHandler`), not locals. */
  fields?: boolean;
}

export interface EntryContext {
  j: JSCodeshift;
  /** The file being rewritten (where generated support modules are imported from). */
  file: string;
  root: Collection<any>;
  options: TransformOptions;
  program: any;
  /** Named imports to add: module → names. */
  imports: Map<string, Set<string>>;
  /** Names whose imports may now be unused. */
  maybeUnused: Set<string>;
  changed: boolean;
  /** Module-level handlers created so far, by factory source text. */
  handlers: Map<string, HandlerNames>;
  /** Names of factory functions generated around moved statements (re-indented after printing). */
  generated: string[];
  /** Module-level server variable → the factory generated from it, for the module's other entries. */
  sharedFactories: Map<string, string>;
  /**
   * A function's server variable (`const server = createServer(opts)` above a stdio branch and an HTTP branch) →
   * the call an entry made its factory of, once that entry removed the declaration: the function's other entries
   * serve the same call. Keyed by the function node, then the variable's name.
   */
  sharedCalls: Map<any, Map<string, { call: any; block: any }>>;
  /**
   * Calls handing a class's server (`initializeTransport(this.server, config)`) to a helper that takes a factory: the
   * class rewrite hands `() => this.createServer()` there, and the handoff is honoured once it has.
   */
  classHands: { calls: any[]; index: number; honour: () => void }[];
  /**
   * Handoffs this file takes on only if the entry rewrites finish them: a helper's function building its own server
   * per call is honoured once that server is served (its declaration gone with the plumbing), not before.
   */
  servedLater: { done: () => boolean; honour: () => void }[];
  /**
   * Class members that hold a server factory the class was handed (`this.createServer()` builds a fresh server per
   * call): constructor-handoffs.ts made them so, and the entry rewrites serve them per request.
   */
  factoryMembers: Set<string>;
  /**
   * Methods of exported classes that no code of the run but their own class reads (the method-handoff plan looked):
   * the rewrites may remove one they leave uncalled, as they remove a private one.
   */
  unreferencedMethods: Set<any>;
  /** The SDK's name for a local one: `ro` for `import { StdioServerTransport as ro }` (a bundle's names). */
  sdkName(local: string | undefined): string | undefined;
  unsafe(statement: any, rule: string, message: string): void;
  note(statement: any, rule: string, message: string): void;
  need(module: string, name: string): void;
}

export const TRANSFORM_ID = 'stateless-entry';

export function entryContext(
  j: JSCodeshift,
  root: Collection<any>,
  options: TransformOptions,
  file: string
): EntryContext {
  let aliases: Map<string, string> | undefined;
  const ctx: EntryContext = {
    j,
    file,
    root,
    options,
    program: root.get().node.program,
    imports: new Map(),
    maybeUnused: new Set(),
    changed: false,
    handlers: new Map(),
    generated: [],
    sharedFactories: new Map(),
    sharedCalls: new Map(),
    classHands: [],
    servedLater: [],
    factoryMembers: new Set(),
    unreferencedMethods: new Set(),
    sdkName(local) {
      aliases ??= new Map(
        root
          .find(j.ImportDeclaration)
          .filter((p: any) => String(p.node.source.value).startsWith('@modelcontextprotocol/'))
          .find(j.ImportSpecifier)
          .nodes()
          .filter((s: any) => s.local && s.imported.name !== s.local.name)
          .map((s: any) => [s.local.name, s.imported.name])
      );
      return local === undefined ? undefined : (aliases.get(local) ?? local);
    },
    unsafe(statement, rule, message) {
      if (mark(j, statement, 'TODO', rule, message, options, TRANSFORM_ID)) ctx.changed = true;
    },
    note(statement, rule, message) {
      if (mark(j, statement, 'NOTE', rule, message, options, TRANSFORM_ID)) ctx.changed = true;
    },
    need(module, name) {
      ctx.imports.set(module, (ctx.imports.get(module) ?? new Set()).add(name));
    }
  };
  return ctx;
}

/** Comments that describe session plumbing; they leave with the code they describe. */
export const SESSION_COMMENT = /transport|session/i;

/** A declaration about to go: every name in it may leave an import unused, pruned once the file is rewritten. */
export function noteNamesIn(ctx: EntryContext, node: any): void {
  ctx
    .j(node)
    .find(ctx.j.Identifier)
    .forEach((p: any) => void ctx.maybeUnused.add(p.node.name));
}
