/**
 * `zodToJsonSchema(X)` (the zod-to-json-schema package) as a tool's `inputSchema` → `z.toJSONSchema(X, { io:
 * 'input', unrepresentable: 'any' })`: zod 4 (which the v2 SDK requires) converts its own schemas, to JSON Schema
 * 2020-12, the dialect 2026-07-28 reads (SEP-1613). The package emitted draft-07. `io: 'input'` describes what a
 * caller may send (a field with a default is optional), as the SDK does for zod input schemas; `unrepresentable:
 * 'any'` keeps a date or a custom type from throwing at start-up (that part accepts anything; the parse the
 * handler keeps still checks it). Options that only choose how references are written, the draft or the input side
 * carry over (`{ $refStrategy: 'none', target: 'jsonSchema7' }`); any other option is marked, not guessed.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';

import { zodNamespace } from '../kit/import-edits.js';
import type { TextEdit } from '../kit/text-edits.js';
import { propertyKey } from '../kit/ast.js';

type Node = any;

export interface ZodConversion {
  edits: TextEdit[];
  /** Calls left as they were, with why. */
  kept: { call: Node; reason: string }[];
  /** How many references of each local name of `zodToJsonSchema` were rewritten away (a bundle imports it thrice). */
  rewritten: Map<string, number>;
  /** The local name the conversion calls, when it is not imported yet (`z` from 'zod'). */
  needsZodImport?: string;
  needsToolType: boolean;
}

export function zodToJsonSchemaCalls(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  q: string,
  ts: boolean
): ZodConversion {
  const out: ZodConversion = { edits: [], kept: [], rewritten: new Map(), needsToolType: false };
  const locals = importedNames(j, root);
  if (!locals.size) return out;
  let z = zodNamespace(j, root);
  root.find(j.CallExpression, { callee: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    const local: string = p.node.callee.name;
    if (!locals.has(local)) return;
    const { site, cast } = inputSchemaSite(p);
    if (!site) return;
    const [schemaArg, options] = p.node.arguments;
    if (!schemaArg || schemaArg.type === 'SpreadElement' || p.node.arguments.length > 2 || !carriedOver(options)) {
      out.kept.push({
        call: p.node,
        reason: `${local}(…) with options has no one-to-one zod 4 spelling; write z.toJSONSchema(schema, { io: 'input' }) with the options it needs`
      });
      return;
    }
    if (!z) {
      const taken = root.find(j.Identifier, { name: 'z' }).size() > 0;
      if (taken) {
        out.kept.push({
          call: p.node,
          reason:
            "the file has no zod import and already uses the name z; convert with zod 4's z.toJSONSchema(schema, { io: 'input' })"
        });
        return;
      }
      z = 'z';
      out.needsZodImport = 'z';
    }
    const arg = src.slice(schemaArg.start, schemaArg.end);
    const typed = ts && !cast;
    if (typed) out.needsToolType = true;
    out.edits.push({
      start: p.node.start,
      end: p.node.end,
      text: `${z}.toJSONSchema(${arg}, { io: ${q}input${q}, unrepresentable: ${q}any${q} })${typed ? ` as Tool[${q}inputSchema${q}]` : ''}`
    });
    out.rewritten.set(local, (out.rewritten.get(local) ?? 0) + 1);
  });
  return out;
}

/**
 * Options the conversion carries over as it is: how references are written (zod 4 inlines a reused schema, the same
 * constraint as a `$ref` to it), the draft asked for (an `inputSchema` is read as 2020-12 on 2026-07-28, SEP-1613, so
 * the draft moves whatever it was), and `effectStrategy: 'input'` (what `io: 'input'` says). Anything else (`name`,
 * which wraps the schema in `definitions`; `strictUnions`, `removeAdditionalStrategy`, …) changes the schema.
 */
const CARRIED_OVER: Record<string, (value: Node) => boolean> = {
  $refStrategy: () => true,
  target: v => typeof v?.value === 'string' && /^(?:jsonSchema7|jsonSchema2019-09|openApi3)$/.test(v.value),
  effectStrategy: v => v?.value === 'input'
};

function carriedOver(options: Node): boolean {
  if (!options) return true;
  if (options.type !== 'ObjectExpression') return false;
  return options.properties.every((p: Node) => {
    const key = /Property$/.test(p.type) && !p.computed ? propertyKey(p) : undefined;
    return key !== undefined && Object.hasOwn(CARRIED_OVER, key) && CARRIED_OVER[key]!(p.value);
  });
}

/** The local names of `zodToJsonSchema` (named or default imports of 'zod-to-json-schema'). */
function importedNames(j: JSCodeshift, root: Collection<any>): Set<string> {
  const names = new Set<string>();
  root.find(j.ImportDeclaration, { source: { value: 'zod-to-json-schema' } }).forEach((p: ASTPath<any>) => {
    for (const s of p.node.specifiers ?? []) {
      if (
        s.type === 'ImportDefaultSpecifier' ||
        (s.type === 'ImportSpecifier' && s.imported.name === 'zodToJsonSchema')
      )
        names.add(s.local.name);
    }
  });
  return names;
}

/** Is the call the value of an `inputSchema` property (under `as T` at most)? And is it cast already? */
function inputSchemaSite(p: ASTPath<any>): { site?: Node; cast: boolean } {
  let cur = p;
  let cast = false;
  while (cur.parent && /^(TSAsExpression|TSSatisfiesExpression|ParenthesizedExpression)$/.test(cur.parent.node.type)) {
    cast ||= cur.parent.node.type === 'TSAsExpression';
    cur = cur.parent;
  }
  const prop = cur.parent?.node;
  const isValue =
    prop && /^(Object)?Property$/.test(prop.type) && prop.value === cur.node && propertyKey(prop) === 'inputSchema';
  return { site: isValue ? prop : undefined, cast };
}
