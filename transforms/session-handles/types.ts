/** The shape every part of the session-handles rewrite builds: one kind of handle and the tools that take it. */
import type { ASTPath } from 'jscodeshift';
import type { TextEdit } from '../kit/text-edits.js';
import type { ToolRegistration } from '../kit/tool-registrations.js';
import type { SessionRead } from './session-uses.js';

type Node = any;

/** One kind of handle in this file and the tools that take it. */
export interface HandleGroup {
  noun: string;
  /** The store or accessor the handle replaces the session id for (config key for the noun). */
  source: string;
  tools: { tool: ToolRegistration; reads: SessionRead[]; closureRefs?: ASTPath<any>[] }[];
  /** Code run for a new handle `id`, or nothing. */
  init?: string;
  /** Code dropping the state of handle `id`, or nothing. */
  onExpire?: string;
  /** The registry is a field of the class holding the store (declared after `after`, reached as `this.<name>`). */
  member?: boolean;
  /** Where the registry declaration goes (after this statement; the imports when absent). */
  after?: Node;
  /** Module-level code the group needs before its registry (closure state moved out of a factory). */
  prelude?: string;
  /** Edits the group needs besides the per-tool ones (closure declarations removed). */
  edits?: TextEdit[];
  /** Name of the per-handle state Map, for closure state. */
  stateMap?: string;
  /** A TODO for the registry line (cleanup code that could not be carried over). */
  todo?: string;
}
