/**
 * Routes one imported v1 symbol to the v2 entry point that exports it (the table generated from the published
 * packages, v2-exports.json): the module's preferred entry when it has the symbol, the schema package for spec
 * schema constants, the file's side (server or client) for shared names, else any entry that has it. A symbol no
 * entry exports has no v2 home.
 */
import data from './v2-exports.json' with { type: 'json' };
import { factsOf, REMOVED_SYMBOLS } from './module-map.js';
import { CONTEXT_TYPE, RENAMES } from './renames.js';

export type Side = 'server' | 'client';

const EXPORTS: Record<string, Set<string>> = Object.fromEntries(
  Object.entries(data.exports).map(([entry, names]) => [entry, new Set(names)])
);
const CORE = '@modelcontextprotocol/core';
const V1_NAMES = new Set(data.v1);

/** Did any module of the v1 SDK export `name`? An import of one it never had resolved to nothing before either. */
export function v1Exported(name: string): boolean {
  return V1_NAMES.has(name);
}

export interface Route {
  /** The v1 name as imported. */
  name: string;
  /** The v2 name (after renames). */
  v2Name: string;
  /** The entry point to import it from, or undefined when v2 has no export of it. */
  target?: string;
  /** Why there is no target, and what to do instead. */
  removed?: string;
}

export function v2NameOf(name: string, modulePath: string, side: Side): string {
  if (name === 'RequestHandlerExtra') return CONTEXT_TYPE[side];
  return factsOf(modulePath)?.renames?.[name] ?? RENAMES[name] ?? name;
}

export function sidePackage(side: Side): string {
  return side === 'server' ? '@modelcontextprotocol/server' : '@modelcontextprotocol/client';
}

/** The entry point the module's facts prefer, resolved for the file's side. */
export function preferredEntry(modulePath: string, side: Side): string | undefined {
  const prefer = factsOf(modulePath)?.prefer;
  if (!prefer) return undefined;
  if (prefer === 'context') return sidePackage(side);
  if (prefer.startsWith('validators/')) return `${sidePackage(side)}/${prefer}`;
  return prefer;
}

export function routeSymbol(name: string, modulePath: string, side: Side): Route {
  const facts = factsOf(modulePath);
  const v2Name = v2NameOf(name, modulePath, side);
  if (facts?.removed) return { name, v2Name, removed: facts.removed };
  const candidates = Object.keys(EXPORTS).filter(entry => EXPORTS[entry]!.has(v2Name));
  if (candidates.length === 0) {
    return { name, v2Name, removed: REMOVED_SYMBOLS[name] ?? `${name} has no export in the v2 packages` };
  }
  const preferred = preferredEntry(modulePath, side);
  const other = sidePackage(side === 'server' ? 'client' : 'server');
  const order = [preferred, /Schema$/.test(v2Name) ? CORE : undefined, sidePackage(side), other, ...candidates];
  const target = order.find((e): e is string => !!e && candidates.includes(e))!;
  return { name, v2Name, target };
}

/** Is `name` a spec schema constant the schema package exports (`CallToolRequestSchema`)? */
export function isSpecSchema(name: string): boolean {
  return EXPORTS[CORE]!.has(name);
}

/** Spec request/notification schemas: their method string, and whether v2's typed handlers accept it. */
export const METHODS: Record<string, { method: string; typed: boolean }> = data.methods;
