/**
 * Upgrades a JSON Schema written as an object literal (draft-04/06/07 idioms) to JSON Schema 2020-12, the dialect
 * MCP 2026-07-28 gives every schema without `$schema` (SEP-1613), as text edits on the literal:
 *
 *   definitions → $defs (and `#/definitions/…` refs), array `items` → `prefixItems` (`additionalItems` → `items`),
 *   `dependencies` → `dependentRequired` (array values) / `dependentSchemas` (schema values), a draft `$schema` goes.
 *
 * What it cannot carry over (a `dependencies` map mixing both kinds, a schema built from non-literal parts) is
 * reported instead, and then `$schema` stays so the validator keeps reading the schema in its own dialect.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { listItemsRemoval, type TextEdit } from '../kit/text-edits.js';
import { moduleConstants, propertyKey } from '../kit/ast.js';

type Node = any;

export interface SchemaUpgrade {
  edits: TextEdit[];
  /** Why parts could not be upgraded; non-empty means the draft `$schema` (if any) was kept. */
  problems: string[];
  /** The literal had draft idioms or a draft `$schema` (whether or not all could be upgraded). */
  draft: boolean;
}

const DRAFT_URI = /^https?:\/\/json-schema\.org\/(draft-0[3-7]|draft\/2019-09)\/schema#?$/;
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_VALUES = [
  'additionalProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'additionalItems',
  'unevaluatedItems',
  'unevaluatedProperties'
];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

/** The object literal under `as const` / `satisfies` / parentheses, if it is one. */
export function objectLiteral(node: Node): Node | undefined {
  let n = node;
  while (
    n &&
    (n.type === 'TSAsExpression' ||
      n.type === 'TSSatisfiesExpression' ||
      n.type === 'ParenthesizedExpression' ||
      n.type === 'TSTypeAssertion')
  )
    n = n.expression;
  return n?.type === 'ObjectExpression' ? n : undefined;
}

function propertyNodes(obj: Node): Node[] {
  return obj.properties.filter((p: Node) => p.type === 'ObjectProperty' || p.type === 'Property');
}

/** Does this literal read as a JSON Schema (rather than a zod raw shape or some other object)? */
export function looksLikeJsonSchema(obj: Node): boolean {
  for (const p of propertyNodes(obj)) {
    const key = propertyKey(p);
    const v = p.value;
    if (key === 'type' && (v.type === 'StringLiteral' || v.type === 'Literal' || v.type === 'ArrayExpression'))
      return true;
    if ((key === '$schema' || key === '$ref' || key === 'definitions' || key === '$defs') && v) return true;
    if (
      key === 'properties' &&
      objectLiteral(v) &&
      propertyNodes(objectLiteral(v)).every((q: Node) => objectLiteral(q.value))
    )
      return true;
  }
  return false;
}

export function upgradeSchema(src: string, root: Node): SchemaUpgrade {
  const out: SchemaUpgrade = { edits: [], problems: [], draft: false };
  const pending: TextEdit[] = [];
  let schemaProperty: { obj: Node; index: number } | undefined;
  const renameKey = (p: Node, to: string) => {
    const text = src.slice(p.key.start, p.key.end);
    const quote = /^['"]/.test(text) ? text[0] : '';
    pending.push({ start: p.key.start, end: p.key.end, text: `${quote}${to}${quote}` });
    out.draft = true;
  };

  const visit = (node: Node, isRoot: boolean) => {
    const obj = objectLiteral(node);
    if (!obj) return;
    const props = propertyNodes(obj);
    const byKey = new Map(props.map(p => [propertyKey(p), p]));
    props.forEach(p => {
      const key = propertyKey(p);
      const value = p.value;
      if (key === undefined) return;
      if (
        key === '$schema' &&
        (value.type === 'StringLiteral' || value.type === 'Literal') &&
        DRAFT_URI.test(String(value.value))
      ) {
        out.draft = true;
        if (isRoot) schemaProperty = { obj, index: obj.properties.indexOf(p) };
        else out.problems.push('a nested $schema names a draft dialect');
      }
      if (
        key === '$ref' &&
        (value.type === 'StringLiteral' || value.type === 'Literal') &&
        String(value.value).startsWith('#/definitions/')
      ) {
        const raw = src.slice(value.start, value.end);
        pending.push({ start: value.start, end: value.end, text: raw.replace('#/definitions/', '#/$defs/') });
        out.draft = true;
      }
      if (key === 'definitions') {
        if (byKey.has('$defs')) out.problems.push('the schema has both definitions and $defs');
        else renameKey(p, '$defs');
      }
      if (key === 'items' && value.type === 'ArrayExpression') {
        renameKey(p, 'prefixItems');
        const additional = byKey.get('additionalItems');
        if (additional) renameKey(additional, 'items');
      }
      if (key === 'dependencies' && objectLiteral(value)) {
        const entries = propertyNodes(objectLiteral(value));
        const lists = entries.filter(e => e.value.type === 'ArrayExpression').length;
        if (lists === entries.length) renameKey(p, 'dependentRequired');
        else if (lists === 0) renameKey(p, 'dependentSchemas');
        else
          out.problems.push(
            'dependencies mixes required-property lists and schemas; split it into dependentRequired and dependentSchemas'
          );
      }
      if (SCHEMA_MAPS.includes(key) || key === 'dependencies') {
        const map = objectLiteral(value);
        if (map) for (const e of propertyNodes(map)) visit(e.value, false);
        else out.problems.push(`${key} is not written out in the literal`);
      } else if (SCHEMA_VALUES.includes(key)) {
        visit(value, false);
      } else if (key === 'items') {
        if (value.type === 'ArrayExpression') value.elements.forEach((e: Node) => visit(e, false));
        else visit(value, false);
      } else if (SCHEMA_LISTS.includes(key)) {
        if (value.type === 'ArrayExpression') value.elements.forEach((e: Node) => visit(e, false));
        else out.problems.push(`${key} is not written out in the literal`);
      }
    });
  };
  visit(root, true);
  // Half an upgrade is worse than none: 2020-12 keywords under a draft $schema are ignored, draft ones under 2020-12
  // too. Either every idiom moves, or the literal stays as written (and the caller marks it).
  if (out.problems.length > 0) return out;
  out.edits.push(...pending);
  if (schemaProperty && out.problems.length === 0) {
    const items = schemaProperty.obj.properties;
    out.edits.push(...listItemsRemoval(items, new Set([schemaProperty.index])));
  }
  return out;
}

/**
 * The JSON Schema literals a file gives its tools, each once: `fromJsonSchema(...)` arguments, `inputSchema` /
 * `outputSchema` literals that read as JSON Schema, and the module-level constants either of them names.
 */
export function toolSchemaLiterals(j: JSCodeshift, root: Collection<any>): { literal: Node; site: ASTPath<any> }[] {
  const moduleConsts = moduleLiterals(root.get().node.program);
  const found = new Map<number, { literal: Node; site: ASTPath<any> }>();
  const consider = (value: Node, site: ASTPath<any>, declared: boolean) => {
    let literal = objectLiteral(value);
    if (!literal && value?.type === 'Identifier') literal = moduleConsts.get(value.name);
    if (!literal || (!declared && !looksLikeJsonSchema(literal))) return;
    if (!found.has(literal.start)) found.set(literal.start, { literal, site });
  };
  root
    .find(j.CallExpression, { callee: { type: 'Identifier', name: 'fromJsonSchema' } })
    .forEach((p: ASTPath<any>) => consider(p.node.arguments[0], p, true));
  root
    .find(j.Node)
    .filter(
      (p: ASTPath<any>) =>
        /^(Object)?Property$/.test(p.node.type) && ['inputSchema', 'outputSchema'].includes(propertyKey(p.node) ?? '')
    )
    .forEach((p: ASTPath<any>) => consider(p.node.value, p, false));
  return [...found.values()].sort((a, b) => a.literal.start - b.literal.start);
}

/** Module-level `const X = { … }` object literals by name (the schema constants tools point at). */
export function moduleLiterals(program: Node): Map<string, Node> {
  const found = new Map<string, Node>();
  for (const [name, init] of moduleConstants(program)) {
    const literal = objectLiteral(init);
    if (literal) found.set(name, literal);
  }
  return found;
}
