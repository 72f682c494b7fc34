/**
 * Writes keywords read from hand-written checks into a JSON Schema object literal, as text edits that keep its
 * layout: `properties.<field>` gains the keywords, `required` gains the field. A keyword already there with the same
 * value is left alone; bounds combine to the tighter one and `number` narrows to `integer` (the schema and the
 * check both applied, so their conjunction is what was enforced); any other disagreement is a reason, not an edit.
 */
import type { FieldRule, Json } from './types.js';
import { objectLiteral } from '../json-schema-2020.js';
import { lineStartOf, type TextEdit } from '../../kit/text-edits.js';
import { propertyKey } from '../../kit/ast.js';

type Node = any;

const LOWER = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems']);
const UPPER = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems']);

export function schemaKeywordEdits(
  src: string,
  schema: Node,
  rules: Map<string, FieldRule>,
  quote: string,
  rootRules: Record<string, Json>[] = []
): TextEdit[] | string {
  const edits: TextEdit[] = [];
  const props = objectLiteral(valueOf(schema, 'properties'));
  if (!props) return 'the schema has no properties written out in the literal';
  const closed = literalJson(valueOf(schema, 'additionalProperties')) === false;
  const newRequired: string[] = [];
  const required = valueOf(schema, 'required');
  const listed = required ? literalJson(required) : [];
  if (!Array.isArray(listed)) return 'required is not written out in the literal';

  const newProperties: string[] = [];
  for (const [field, rule] of rules) {
    if (rule.required && !listed.includes(field)) newRequired.push(field);
    const prop = properties(props).find(p => propertyKey(p) === field);
    const entries = lengthGuardedPattern(Object.entries(rule.keywords), prop);
    if (entries.length === 0) continue;
    if (!prop) {
      if (closed) return `${field} is not among the properties and additionalProperties is false`;
      newProperties.push(
        `${key(field, quote)}: { ${entries.map(([k, v]) => `${k}: ${render(v, quote)}`).join(', ')} }`
      );
      continue;
    }
    const target = objectLiteral(prop.value);
    if (!target) return `properties.${field} is not written out in the literal`;
    const added: string[] = [];
    for (const [k, v] of entries) {
      const existing = properties(target).find(p => propertyKey(p) === k);
      if (!existing) {
        added.push(`${k}: ${render(v, quote)}`);
        continue;
      }
      const was = literalJson(existing.value);
      const merged = combine(k, was, v);
      if (merged === undefined)
        return `properties.${field}.${k} is ${JSON.stringify(was)} but the check says ${JSON.stringify(v)}`;
      if (JSON.stringify(merged) !== JSON.stringify(was))
        edits.push({ start: existing.value.start, end: existing.value.end, text: render(merged, quote) });
    }
    if (added.length) edits.push(appendProperties(src, target, added));
  }
  if (newProperties.length) edits.push(appendProperties(src, props, newProperties));
  // Everything new at the root goes in one edit, so it lands in the order written here.
  const atRoot: string[] = [];
  if (newRequired.length) {
    const items = newRequired.map(f => render(f, quote));
    if (required) {
      const last = required.elements[required.elements.length - 1];
      edits.push(
        last
          ? { start: last.end, end: last.end, text: `, ${items.join(', ')}` }
          : { start: required.start, end: required.end, text: `[${items.join(', ')}]` }
      );
    } else atRoot.push(`required: [${items.join(', ')}]`);
  }
  // A rule whose keywords the root does not have yet goes there as written; otherwise into allOf.
  const taken = new Set(properties(schema).map(propertyKey));
  const conjuncts: Record<string, Json>[] = [];
  for (const rule of rootRules) {
    if (Object.keys(rule).some(k => taken.has(k) || k === 'allOf')) conjuncts.push(rule);
    else {
      for (const [k, v] of Object.entries(rule)) {
        taken.add(k);
        atRoot.push(`${k}: ${render(v, quote)}`);
      }
    }
  }
  if (conjuncts.length) {
    const allOf = valueOf(schema, 'allOf');
    if (allOf && allOf.type !== 'ArrayExpression') return 'allOf is not written out in the literal';
    const last = allOf?.elements[allOf.elements.length - 1];
    const items = conjuncts.map(c => render(c, quote)).join(', ');
    if (!allOf) atRoot.push(`allOf: [${items}]`);
    else
      edits.push(
        last
          ? { start: last.end, end: last.end, text: `, ${items}` }
          : { start: allOf.start, end: allOf.end, text: `[${items}]` }
      );
  }
  if (atRoot.length) edits.push(appendProperties(src, schema, atRoot));
  return edits;
}

/**
 * v1 refused an over-long string before testing it against a pattern (`if (s.length > 64) throw …` first). A schema
 * with `maxLength` and `pattern` side by side loses that order: validators collect every error, so the pattern runs
 * on input of any length, and a super-linear pattern becomes a denial of service. The pattern goes under
 * `if: { maxLength } then: { pattern }`, which a validator only evaluates once the length is known to be in bounds.
 */
function lengthGuardedPattern(entries: [string, Json][], prop: Node | undefined): [string, Json][] {
  const pattern = entries.find(([k]) => k === 'pattern');
  if (!pattern) return entries;
  const written = prop ? objectLiteral(prop.value) : undefined;
  const existing = written ? properties(written).find(p => propertyKey(p) === 'maxLength') : undefined;
  const fromCheck = entries.find(([k]) => k === 'maxLength')?.[1];
  const fromSchema = existing ? literalJson(existing.value) : undefined;
  const bounds = [fromCheck, fromSchema].filter((v): v is number => typeof v === 'number');
  if (bounds.length === 0) return entries;
  const maxLength = Math.min(...bounds);
  return [...entries.filter(([k]) => k !== 'pattern'), ['if', { maxLength }], ['then', { pattern: pattern[1] }]];
}

/** Two values for one keyword, both enforced: the one value meaning both, or undefined. */
export function combine(keyword: string, was: Json | undefined, now: Json): Json | undefined {
  if (JSON.stringify(was) === JSON.stringify(now)) return was;
  if (typeof was === 'number' && typeof now === 'number') {
    if (LOWER.has(keyword)) return Math.max(was, now);
    if (UPPER.has(keyword)) return Math.min(was, now);
  }
  if (keyword === 'type' && [was, now].includes('integer') && [was, now].includes('number')) return 'integer';
  if (keyword === 'enum' && Array.isArray(was) && Array.isArray(now)) {
    const both = was.filter(v => now.some(w => JSON.stringify(w) === JSON.stringify(v)));
    return both.length ? both : undefined;
  }
  return undefined;
}

function valueOf(obj: Node, name: string): Node | undefined {
  return properties(obj).find(p => propertyKey(p) === name)?.value;
}

function properties(obj: Node): Node[] {
  return (obj?.properties ?? []).filter((p: Node) => p.type === 'ObjectProperty' || p.type === 'Property');
}

/** The JSON value a literal spells, or undefined when it is not all literals. */
export function literalJson(node: Node): Json | undefined {
  let n = node;
  while (n && /^(TSAsExpression|TSSatisfiesExpression|ParenthesizedExpression)$/.test(n.type)) n = n.expression;
  if (!n) return undefined;
  if (n.type === 'StringLiteral' || n.type === 'NumericLiteral' || n.type === 'BooleanLiteral') return n.value;
  if (n.type === 'Literal' && !n.regex) return n.value;
  if (n.type === 'NullLiteral') return null;
  if (n.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0].value.cooked;
  if (n.type === 'UnaryExpression' && n.operator === '-' && typeof literalJson(n.argument) === 'number')
    return -(literalJson(n.argument) as number);
  if (n.type === 'ArrayExpression') {
    const items = n.elements.map(literalJson);
    return items.every((i: Json | undefined) => i !== undefined) ? items : undefined;
  }
  if (n.type === 'ObjectExpression') {
    const out: Record<string, Json> = {};
    for (const p of n.properties) {
      const k = propertyKey(p);
      const v = k === undefined ? undefined : literalJson(p.value);
      if (k === undefined || v === undefined) return undefined;
      out[k] = v;
    }
    return out;
  }
  return undefined;
}

/** A JSON value as source text in the file's quote style, keys unquoted where they can be. */
export function render(value: Json, quote: string): string {
  if (typeof value === 'string') return quoted(value, quote);
  if (Array.isArray(value)) return `[${value.map(v => render(v, quote)).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length ? `{ ${entries.map(([k, v]) => `${key(k, quote)}: ${render(v, quote)}`).join(', ')} }` : '{}';
  }
  return String(value);
}

function key(name: string, quote: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quoted(name, quote);
}

function quoted(s: string, quote: string): string {
  const json = JSON.stringify(s);
  if (quote === '"') return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/**
 * One edit putting `entries` after the last property of an object literal, following its layout: each on its own
 * line when the properties are one per line, inline otherwise (one edit per object, so their order is kept).
 */
export function appendProperties(src: string, obj: Node, entries: string[]): TextEdit {
  const props = obj.properties ?? [];
  if (props.length === 0) return { start: obj.start, end: obj.end, text: `{ ${entries.join(', ')} }` };
  const last = props[props.length - 1];
  const lineStart = lineStartOf(src, last.start);
  const ownLine = /^[ \t]*$/.test(src.slice(lineStart, last.start));
  const comma = src.slice(last.end).match(/^\s*,/);
  const at = comma ? last.end + comma[0].length : last.end;
  if (!ownLine) return { start: at, end: at, text: `${comma ? '' : ','} ${entries.join(', ')}${comma ? ',' : ''}` };
  const indent = src.slice(lineStart, last.start);
  return {
    start: at,
    end: at,
    text: `${comma ? '' : ','}${entries.map(e => `\n${indent}${e}`).join(',')}${comma ? ',' : ''}`
  };
}
