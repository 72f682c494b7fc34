/**
 * The shapes shared by the argument-guard modules: JSON values, what a guard says about one field, what the
 * translation of a guard needs to know about its surroundings, and what it yields.
 */
type Node = any;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface FieldRule {
  required: boolean;
  keywords: Record<string, Json>;
}

export interface GuardContext {
  /** Identifiers that hold the whole arguments object. */
  argsNames: Set<string>;
  /** Is this node the arguments object itself (`request.params.arguments` and the like)? */
  isArgs(node: Node): boolean;
  /** Locals destructured from the arguments without a default: local name → field. */
  locals: Map<string, string>;
  /** Type-guard functions of the file with a single returned expression. */
  guards: Map<string, { params: string[]; body: Node }>;
  /** Module constants that are arrays of literals (for `LIST.includes(x)`). */
  constants: Map<string, Json[]>;
  /** The JSON type the enforced schema already gives a field, if one. */
  declaredType(field: string): string | undefined;
  declaredRequired(field: string): boolean;
}

/**
 * `narrows`: TypeScript narrows types through this check (typeof, type guards, truthiness, `in`, equality), so
 * deleting it can break the code after it unless the arguments are `any`.
 */
export type Translation =
  | {
      fields: Map<string, FieldRule>;
      rootRules: Record<string, Json>[];
      /** The check also rejects a call with no arguments object at all (`!args`, `typeof args !== 'object'`). */
      rejectsMissing: boolean;
      narrows: boolean;
    }
  | { reason: string };
