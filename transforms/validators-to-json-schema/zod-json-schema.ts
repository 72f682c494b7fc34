/**
 * `zodToJsonSchema(X)` (the zod-to-json-schema package) as a tool's `inputSchema` → `z.toJSONSchema(X, { io:
 * 'input', unrepresentable: 'any' })`: zod 4 (which the v2 SDK requires) converts its own schemas, to JSON Schema
 * 2020-12, the dialect 2026-07-28 reads (SEP-1613). The package emitted draft-07. `io: 'input'` describes what a
 * caller may send (a field with a default is optional), as the SDK does for zod input schemas; `unrepresentable:
 * 'any'` keeps a date or a custom type from throwing at start-up (that part accepts anything; the parse the
 * handler keeps still checks it). Calls with options (names, targets, `$ref` strategies) are marked, not guessed.
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
    if (p.node.arguments.length !== 1 || p.node.arguments[0].type === 'SpreadElement') {
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
    const arg = src.slice(p.node.arguments[0].start, p.node.arguments[0].end);
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
