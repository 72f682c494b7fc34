/**
 * Moves the checks a tool opens with into its JSON Schema literal: each check is read (hand-checks.ts), the
 * keywords merged with what the schema and earlier moved checks already say, and written into the literal
 * (schema-keywords.ts). Checks are tried until nothing more moves, because one may only read as exact once another
 * has told the schema a field's type. Returns the schema edits and the checks to delete (not those `keep` keeps).
 */
import { statementRemoval } from '../../kit/ast.js';
import { fieldOf, walkNodes } from './syntax.js';
import { translateGuard } from './translate.js';
import type { GuardContext, FieldRule, Json } from './types.js';
import { combine, literalJson, schemaKeywordEdits } from './schema-keywords.js';
import type { TextEdit } from '../../kit/text-edits.js';

type Node = any;

export function moveGuardsIntoSchema(
  src: string,
  schema: Node,
  checks: Node[],
  q: string,
  reading: Omit<GuardContext, 'declaredType' | 'declaredRequired'>,
  /** A moved check that stays in the code all the same (TypeScript narrows on it). */
  keep: (check: Node, narrows: boolean) => boolean,
  /** McpServer hands its callbacks the parsed arguments, `{}` for a call without any; a low-level handler gets undefined. */
  argumentsAlwaysGiven = false
): { edits: TextEdit[]; removed: Node[]; unmoved: { check: Node; reason: string }[] } | undefined {
  const base = literalJson(schema);
  if (!base || typeof base !== 'object' || Array.isArray(base)) return undefined;
  const reasons = new Map<Node, string>();
  let rules = new Map<string, FieldRule>();
  const rootRules: Record<string, Json>[] = [];
  const moved = new Set<Node>();
  const kept = new Set<Node>();
  const ctx: GuardContext = {
    ...reading,
    declaredType: f => enforced(base, rules, f).type,
    declaredRequired: f => enforced(base, rules, f).required
  };
  for (let progress = true; progress;) {
    progress = false;
    for (const check of checks) {
      if (moved.has(check)) continue;
      const t = translateGuard(check.test, ctx);
      if ('reason' in t) {
        reasons.set(check, t.reason);
        continue;
      }
      const next = mergeRules(rules, t.fields);
      // A call without arguments is checked as {}: the original refused it, so the schema must too.
      if (!next || (t.rejectsMissing && !argumentsAlwaysGiven && !hasRequired(base, next))) {
        reasons.set(
          check,
          next
            ? 'it also refuses a call without arguments, which the schema lets through as {} while nothing is required'
            : 'the schema already says something else about the same field'
        );
        continue;
      }
      const written = schemaKeywordEdits(src, schema, next, q, [...rootRules, ...t.rootRules]);
      if (typeof written === 'string') {
        reasons.set(check, written);
        continue;
      }
      rules = next;
      rootRules.push(...t.rootRules);
      moved.add(check);
      if (keep(check, t.narrows)) kept.add(check);
      progress = true;
    }
  }
  const unmoved = checks.filter(c => !moved.has(c)).map(check => ({ check, reason: reasons.get(check)! }));
  if (moved.size === 0) return { edits: [], removed: [], unmoved };
  const removed = [...moved].filter(c => !kept.has(c));
  return {
    edits: [
      ...(schemaKeywordEdits(src, schema, rules, q, rootRules) as TextEdit[]),
      ...removed.map(c => statementRemoval(src, c))
    ],
    removed,
    unmoved
  };
}

/** What the schema (with the rules moved so far) guarantees about a field once it has been validated. */
function enforced(
  base: Record<string, Json>,
  rules: Map<string, FieldRule>,
  field: string
): { type?: string; required: boolean } {
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

const PURE_GLOBALS = new Set([
  'undefined',
  'Number',
  'Array',
  'Object',
  'String',
  'Boolean',
  'Math',
  'JSON',
  'isNaN',
  'isFinite',
  'parseInt',
  'parseFloat',
  'RegExp'
]);

/**
 * Does the check read nothing but the arguments (and literals, pure built-ins, the file's one-expression guards)?
 * Then it is argument validation the schema should say; anything reading other state (stock, clocks, lookups) is
 * a business rule and stays without comment.
 */
export function readsOnlyArguments(check: Node, ctx: Omit<GuardContext, 'declaredType' | 'declaredRequired'>): boolean {
  let pure = true;
  walkNodes(check.test, (n, parent) => {
    if (!pure) return false;
    if (n.type === 'Identifier') {
      const isKey = /^(Object)?Property$/.test(parent?.type) && parent.key === n && !parent.computed;
      const isMember = /MemberExpression$/.test(parent?.type) && parent.property === n && !parent.computed;
      if (
        !isKey &&
        !isMember &&
        !ctx.argsNames.has(n.name) &&
        !ctx.locals.has(n.name) &&
        !ctx.guards.has(n.name) &&
        !ctx.constants.has(n.name) &&
        !PURE_GLOBALS.has(n.name)
      )
        pure = false;
      return false;
    }
    return !(n.type === 'MemberExpression' && ctx.isArgs(n));
  });
  return pure;
}

/** The argument fields a check reads. */
export function fieldsRead(check: Node, ctx: Omit<GuardContext, 'declaredType' | 'declaredRequired'>): string[] {
  const found = new Set<string>();
  const reading = { ...ctx, declaredType: () => undefined, declaredRequired: () => false };
  walkNodes(check.test, n => {
    const field = n.type === 'Identifier' || /MemberExpression$/.test(n.type) ? fieldOf(n, reading) : undefined;
    if (field) found.add(field);
  });
  return [...found];
}
