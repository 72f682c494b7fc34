/**
 * Hand-written checks at the top of an `McpServer.registerTool` callback whose `inputSchema` is a zod object
 * (`z.object({ … })`, inline or a module constant): the checks zod can say exactly become methods on the field's
 * schema, and the check goes. McpServer validates with that schema before the callback runs (an isError result
 * naming the field), so the callback never sees what the check refused.
 *
 *   x < 1 / x > 50 / x <= 0 / x >= 100  → .min(1) / .max(50) / .gt(0) / .lt(100)   on z.number()
 *   !Number.isInteger(x)                → .int()                                     on z.number()
 *   x.length < 1 / > 200, !x (string)   → .min(1) / .max(200)                        on z.string() / z.array()
 *   !/re/.test(x)                        → .regex(/re/)                               on z.string()
 *
 * The field's zod type is what the check's reading relies on ("x is a number"), and a required field is what
 * `!x` / `typeof` need; a check that would make an optional field required, or needs any other keyword (enum,
 * const, cross-field rules), stays where it is. Methods go right after `z.<type>()`, before `.optional()` and
 * the like, where they apply to the value itself.
 */
import type { Collection } from 'jscodeshift';
import { fieldOf, isGuardStatement, walkNodes } from './syntax.js';
import { translateGuard } from './translate.js';
import type { GuardContext, FieldRule } from './types.js';
import { objectLiteral } from '../json-schema-2020.js';
import type { ToolRegistration } from '../../kit/tool-registrations.js';
import { property } from '../../kit/tool-registrations.js';
import type { TextEdit } from '../../kit/text-edits.js';
import { moduleConstants, propertyKey } from '../../kit/ast.js';

type Node = any;

interface ZodField {
  /** Where methods go: the end of the `z.<type>(…)` call at the root of the chain. */
  base: Node;
  type?: string;
  required: boolean;
}

const METHODS: Record<string, Record<string, string>> = {
  number: { minimum: 'min', maximum: 'max', exclusiveMinimum: 'gt', exclusiveMaximum: 'lt' },
  integer: { minimum: 'min', maximum: 'max', exclusiveMinimum: 'gt', exclusiveMaximum: 'lt' },
  string: { minLength: 'min', maxLength: 'max' },
  array: { minItems: 'min', maxItems: 'max' }
};
const OPTIONAL = new Set(['optional', 'nullish']);
const ZOD_TYPES: Record<string, string> = {
  string: 'string',
  number: 'number',
  int: 'integer',
  boolean: 'boolean',
  array: 'array',
  object: 'object'
};

export interface ZodGuardMove {
  edits: TextEdit[];
  /** The check statements that moved (to be removed by the caller). */
  moved: Node[];
  unmoved: { check: Node; reason: string }[];
  reading: Omit<GuardContext, 'declaredType' | 'declaredRequired'>;
}

export function zodGuardMoves(
  root: Collection<any>,
  tool: ToolRegistration,
  zod: string,
  guards: GuardContext['guards'],
  constants: GuardContext['constants']
): ZodGuardMove | undefined {
  const shape = zodShape(root, tool, zod);
  const cb = tool.callback;
  if (!shape || cb.body.type !== 'BlockStatement') return undefined;
  const param = cb.params[0];
  const args = new Set<string>(param?.type === 'Identifier' ? [param.name] : []);
  const locals = new Map<string, string>();
  if (param?.type === 'ObjectPattern')
    for (const p of param.properties)
      if (propertyKey(p) && p.value?.type === 'Identifier') locals.set(p.value.name, propertyKey(p)!);
  const fields = new Map<string, ZodField>();
  for (const p of shape.properties) {
    const k = propertyKey(p);
    const f = k && zodField(p.value, zod);
    if (k && f) fields.set(k, f);
  }
  const ctx: GuardContext = {
    argsNames: args,
    isArgs: () => false,
    locals,
    guards,
    constants,
    declaredType: f => fields.get(f)?.type,
    declaredRequired: f => fields.get(f)?.required ?? false
  };
  const checks: Node[] = [];
  for (const s of cb.body.body) {
    if (!isGuardStatement(s)) break;
    checks.push(s);
  }
  const methods = new Map<string, string[]>();
  const moved: Node[] = [];
  const unmoved: { check: Node; reason: string }[] = [];
  for (const check of checks) {
    const t = translateGuard(check.test, ctx);
    if ('reason' in t) {
      unmoved.push({ check, reason: t.reason });
      continue;
    }
    // McpServer passes {} for a call without arguments, so a check on the object itself holds already.
    const calls = t.rootRules.length ? undefined : zodMethods(t.fields, fields, check, ctx);
    if (!calls) {
      unmoved.push({
        check,
        reason: 'zod has no method on this field that says it without changing what else the field accepts'
      });
      continue;
    }
    for (const [f, list] of calls) methods.set(f, [...(methods.get(f) ?? []), ...list]);
    moved.push(check);
  }
  const reading = { argsNames: args, isArgs: () => false, locals, guards, constants };
  const edits: TextEdit[] = [];
  for (const [f, list] of methods) {
    const base = fields.get(f)!.base;
    const unique = lengthChecksFirst([...new Set(list)]);
    if (unique.length) edits.push({ start: base.end, end: base.end, text: unique.join('') });
  }
  return { edits, moved, unmoved, reading };
}

/**
 * v1 refused an over-long string before testing its pattern; zod 4 runs every check of a field, so a moved
 * `.regex()` would run on input of any length (a super-linear pattern then costs seconds). The length checks go
 * first and abort the field on failure (`{ abort: true }`), so the pattern only ever sees bounded input.
 */
function lengthChecksFirst(methods: string[]): string[] {
  if (!methods.some(m => m.startsWith('.regex('))) return methods;
  const bounds = methods.filter(m => /^\.(?:max|length)\(\d+\)$/.test(m));
  if (bounds.length === 0) return methods;
  const rest = methods.filter(m => !bounds.includes(m));
  return [...bounds.map(m => m.replace(/\)$/, ', { abort: true })')), ...rest];
}

/** The method calls that say these keywords on these zod fields, or undefined when one cannot be said. */
function zodMethods(
  rules: Map<string, FieldRule>,
  fields: Map<string, ZodField>,
  check: Node,
  ctx: GuardContext
): Map<string, string[]> | undefined {
  const out = new Map<string, string[]>();
  for (const [name, rule] of rules) {
    const field = fields.get(name);
    if (!field?.type || (rule.required && !field.required)) return undefined;
    const list: string[] = [];
    for (const [k, v] of Object.entries(rule.keywords)) {
      if (k === 'type') {
        if (v === field.type) continue;
        if (v === 'integer' && field.type === 'number') list.push('.int()');
        else return undefined;
      } else if (k === 'pattern' && field.type === 'string' && typeof v === 'string') {
        const re = regexOf(check, ctx, name);
        if (!re) return undefined;
        list.push(`.regex(${re})`);
      } else {
        const method = METHODS[field.type]?.[k];
        if (!method || typeof v !== 'number') return undefined;
        list.push(`.${method}(${v})`);
      }
    }
    out.set(name, list);
  }
  return out;
}

/** The regex literal the check tests the field with, as written (its flags included). */
function regexOf(check: Node, ctx: GuardContext, field: string): string | undefined {
  let found: string | undefined;
  walkNodes(check.test, n => {
    if (
      n.type === 'CallExpression' &&
      n.callee?.property?.name === 'test' &&
      (n.callee.object.type === 'RegExpLiteral' || n.callee.object.regex) &&
      fieldOf(n.arguments[0], ctx) === field
    ) {
      const re = n.callee.object.regex ?? n.callee.object;
      found = `/${re.pattern}/${re.flags}`;
    }
  });
  return found;
}

/** The `{ … }` of `z.object({ … })` the tool's inputSchema is, inline or through a module constant. */
function zodShape(root: Collection<any>, tool: ToolRegistration, zod: string): Node | undefined {
  let schema = property(tool.config, 'inputSchema')?.value;
  if (schema?.type === 'Identifier') schema = moduleConstants(root.get().node.program).get(schema.name);
  const isObject =
    schema?.type === 'CallExpression' &&
    schema.callee?.type === 'MemberExpression' &&
    schema.callee.object?.name === zod &&
    ['object', 'strictObject'].includes(schema.callee.property?.name);
  return isObject ? objectLiteral(schema.arguments[0]) : undefined;
}

/** A field's zod chain: `z.number().int().optional().describe('…')`. */
function zodField(value: Node, zod: string): ZodField | undefined {
  const methods: string[] = [];
  let n = value;
  while (
    n?.type === 'CallExpression' &&
    n.callee?.type === 'MemberExpression' &&
    n.callee.object?.type !== 'Identifier'
  ) {
    methods.push(n.callee.property?.name);
    n = n.callee.object;
  }
  if (n?.type !== 'CallExpression' || n.callee?.object?.name !== zod) return undefined;
  const base = n.callee.property?.name;
  // A default (or catch) value is not checked by the methods added before it, but the original check saw it.
  if (['nullable', 'transform', 'pipe', 'default', 'catch', 'prefault'].some(m => methods.includes(m)))
    return { base: n, required: false };
  const type = methods.includes('int') ? 'integer' : ZOD_TYPES[base];
  return { base: n, type, required: !methods.some(m => OPTIONAL.has(m)) };
}
