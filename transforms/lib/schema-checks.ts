/**
 * Moves the checks a tool opens with into its JSON Schema literal: each check is read (hand-checks.ts), the
 * keywords merged with what the schema and earlier moved checks already say, and written into the literal
 * (schema-keywords.ts). Checks are tried until nothing more moves, because one may only read as exact once another
 * has told the schema a field's type. Returns the schema edits and the checks to delete (not those `keep` keeps).
 */
import { statementRemoval } from './ast.js';
import { translateCheck, type CheckContext, type FieldRule, type Json } from './hand-checks.js';
import { combine, literalJson, schemaKeywordEdits } from './schema-keywords.js';
import type { TextEdit } from './text-edits.js';

type Node = any;

export function moveChecksIntoSchema(
  src: string,
  schema: Node,
  checks: Node[],
  q: string,
  reading: Omit<CheckContext, 'declaredType' | 'declaredRequired'>,
  /** A moved check that stays in the code all the same (TypeScript narrows on it). */
  keep: (check: Node, narrows: boolean) => boolean
): { edits: TextEdit[]; removed: Node[] } | undefined {
  const base = literalJson(schema);
  if (!base || typeof base !== 'object' || Array.isArray(base)) return undefined;
  let rules = new Map<string, FieldRule>();
  const rootRules: Record<string, Json>[] = [];
  const moved = new Set<Node>();
  const kept = new Set<Node>();
  const ctx: CheckContext = { ...reading, declaredType: f => enforced(base, rules, f).type, declaredRequired: f => enforced(base, rules, f).required };
  for (let progress = true; progress; ) {
    progress = false;
    for (const check of checks) {
      if (moved.has(check)) continue;
      const t = translateCheck(check.test, ctx);
      if ('reason' in t) continue;
      const next = mergeRules(rules, t.fields);
      if (!next || (t.rootOnly && !hasRequired(base, next))) continue;
      if (typeof schemaKeywordEdits(src, schema, next, q, [...rootRules, ...t.rootRules]) === 'string') continue;
      rules = next;
      rootRules.push(...t.rootRules);
      moved.add(check);
      if (keep(check, t.narrows)) kept.add(check);
      progress = true;
    }
  }
  if (moved.size === 0) return undefined;
  const removed = [...moved].filter(c => !kept.has(c));
  return { edits: [...(schemaKeywordEdits(src, schema, rules, q, rootRules) as TextEdit[]), ...removed.map(c => statementRemoval(src, c))], removed };
}

/** What the schema (with the rules moved so far) guarantees about a field once it has been validated. */
function enforced(base: Record<string, Json>, rules: Map<string, FieldRule>, field: string): { type?: string; required: boolean } {
  const prop = (base.properties as Record<string, Record<string, Json>> | undefined)?.[field];
  const rule = rules.get(field);
  const type = rule?.keywords.type ?? prop?.type;
  const required = Array.isArray(base.required) && base.required.includes(field);
  return { type: typeof type === 'string' ? type : undefined, required: required || !!rule?.required };
}

function hasRequired(base: Record<string, Json>, rules: Map<string, FieldRule>): boolean {
  return (Array.isArray(base.required) && base.required.length > 0) || [...rules.values()].some(r => r.required);
}

function mergeRules(a: Map<string, FieldRule>, b: Map<string, FieldRule>): Map<string, FieldRule> | undefined {
  const out = new Map([...a].map(([k, v]) => [k, { required: v.required, keywords: { ...v.keywords } }]));
  for (const [field, rule] of b) {
    const into = out.get(field) ?? { required: false, keywords: {} };
    into.required ||= rule.required;
    for (const [k, v] of Object.entries(rule.keywords)) {
      const merged = k in into.keywords ? combine(k, into.keywords[k], v) : v;
      if (merged === undefined) return undefined;
      into.keywords[k] = merged;
    }
    out.set(field, into);
  }
  return out;
}
