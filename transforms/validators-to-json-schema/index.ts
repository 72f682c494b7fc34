/**
 * validators-to-json-schema: the schema a tool advertises is JSON Schema 2020-12 (SEP-1613, SEP-2106) and is the one enforced,
 * with invalid arguments answered as isError results (SEP-1303). Two passes over the file:
 *
 * 1. Schema literals (`fromJsonSchema({...})`, `inputSchema` / `outputSchema` literals, the constants they name)
 *    lose their draft-07 idioms (json-schema-2020.ts); `fromJsonSchema(literal)` inside a function
 *    is hoisted to module scope (it compiles eagerly, per request inside a factory); `zodToJsonSchema(X)` tool
 *    schemas become zod 4's own conversion (zod-json-schema.ts).
 * 2. Low-level `tools/list` + `tools/call` servers validate every call against the advertised schemas, and the
 *    hand-written checks the schema can say exactly move into it (tool-call-validation.ts).
 *
 * Skips, with markers: schemas that cannot be upgraded whole (TODO draft-schema), tool schemas built per call
 * from local values (NOTE schema-per-call), zodToJsonSchema with options (TODO zod-to-json-schema), tool lists
 * the validator cannot be built from (TODO tool-arguments).
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { dominantQuote, isTypeScript } from '../kit/source-style.js';
import {
  enclosingFunction,
  leadingStart,
  moduleScopeNames,
  propertyKey,
  readsOnly,
  statementIn,
  statementPathOf,
  uniqueName
} from '../kit/ast.js';
import { defineTransform, type RewriteContext, type TransformMeta, type TransformOptions } from '../kit/transform.js';
import { objectLiteral, toolSchemaLiterals, upgradeSchema } from './json-schema-2020.js';
import { importLineEdit, serverTypeImport, unusedImportRemoval } from '../kit/import-edits.js';
import { markerEdit } from '../kit/markers.js';
import { zodToJsonSchemaCalls } from './zod-json-schema.js';
import { validateToolCalls } from './tool-call-validation.js';
import { delegatedMoves, planDelegatedChecks, type DelegateMove, type DelegatePart } from './delegated-modules.js';
import { guardNotes } from './branch-guards.js';
import { listConstants, typeGuards } from './argument-guards/file-facts.js';
import { applyEdits, dedent, lineIndent, type TextEdit } from '../kit/text-edits.js';
import { parseForEdits } from '../kit/parse.js';

const meta: TransformMeta = {
  id: 'validators-to-json-schema',
  title: 'Validators → JSON Schema 2020-12',
  summary:
    'tool schemas → JSON Schema 2020-12 (draft idioms, zodToJsonSchema); low-level tools/call validated ' +
    'against them; exact hand-written checks moved in; argument errors → isError',
  spec: ['SEP-1613', 'SEP-2106', 'SEP-1303'],
  safety: 'review',
  prefilter: /fromJsonSchema|inputSchema|outputSchema|tools\/call|CallToolRequestSchema|zod-to-json-schema/,
  plan: planDelegatedChecks
};

type Node = any;

function validatorsToJsonSchema({ file, j, options }: RewriteContext<undefined>): string | undefined {
  const upgraded = upgradeSchemaLiterals(j, file.source, file.path, options) ?? file.source;
  // The second pass reads the upgraded text: it writes keywords into the same literals.
  const validated = validateToolCalls(j, upgraded, file.path, options, meta.id) ?? upgraded;
  const out = delegatedChecks(j, validated, file.path, options);
  return out === file.source ? undefined : out;
}

/**
 * This file's parts of the checks planned across modules (delegated-modules.ts): a handler that now validates the
 * arguments says so; a module whose exported function serves a tool moves the function's checks into the tool's
 * schema literal.
 */
function delegatedChecks(j: JSCodeshift, src: string, filePath: string, options: TransformOptions): string {
  const planned = (options.planned?.[meta.id] ?? []) as { key: string; part: DelegatePart }[];
  if (planned.length === 0) return src;
  // The validator built (`const checkToolArguments = toolArgumentsValidator(…)`), not a NOTE asking for one.
  if (/=\s*toolArgumentsValidator\(/.test(src))
    for (const { key, part } of planned) if (part.role === 'validate') options.honour?.(key);
  const moves = planned.filter((p): p is { key: string; part: DelegateMove } => p.part.role === 'move');
  if (moves.length === 0) return src;
  const root = parseForEdits(j, filePath, src);
  const program = root.get().node.program;
  const reading = {
    j,
    src,
    program,
    q: dominantQuote(src),
    ts: isTypeScript(filePath),
    mark: guardNotes(src, options, meta.id),
    guards: typeGuards(program),
    constants: listConstants(program),
    request: ''
  };
  const { edits, done } = delegatedMoves(reading, root, moves);
  for (const key of done) options.honour?.(key);
  return edits.length ? applyEdits(src, edits) : src;
}

/** Every tool schema literal upgraded to 2020-12; fromJsonSchema(literal) compiled once at module scope. */
function upgradeSchemaLiterals(
  j: JSCodeshift,
  src: string,
  filePath: string,
  options: TransformOptions
): string | undefined {
  const root = parseForEdits(j, filePath, src);
  const edits: TextEdit[] = [];
  const program = root.get().node.program;

  // 1. Every tool schema literal, once.
  const schemas = toolSchemaLiterals(j, root);
  const upgrades = new Map(
    schemas.map(({ literal, site }) => [literal, { site, upgrade: upgradeSchema(src, literal) }])
  );
  // A draft-06, draft-07 or 2019-09 schema still works (SEP-1613 lets $schema name a dialect, and the SDK validates
  // those), so what is left is a warning, as check rates it; the SDK refuses draft-04 and older at registration.
  const draftMarker = (problems: string[], literal: Node): { severity: 'TODO' | 'NOTE'; message: string } => {
    const refused = /draft-0[0-4]\b|draft\/0?[0-4]\b/.test(src.slice(literal.start, literal.end));
    return {
      severity: refused ? 'TODO' : 'NOTE',
      message:
        `this schema keeps its draft dialect: ${problems.join('; ')}. ` +
        (refused
          ? 'The SDK refuses draft-04 and older at registration, and 2026-07-28 reads schemas as JSON Schema 2020-12 ' +
            '(SEP-1613): rewrite it in 2020-12 and drop $schema'
          : 'It works as it is ($schema may name a dialect, SEP-1613, and the SDK validates this one), but clients ' +
            'need only support 2020-12: rewrite it in 2020-12 and drop $schema')
    };
  };

  // 2. fromJsonSchema(literal) compiled once, at module scope, with its upgrade (and marker) moved along.
  const hoisted = new Set<Node>();
  const hoists = new Map<number, string>();
  root.find(j.CallExpression, { callee: { type: 'Identifier', name: 'fromJsonSchema' } }).forEach((p: ASTPath<any>) => {
    if (!enclosingFunction(p)) return;
    const [arg] = p.node.arguments;
    const literal = objectLiteral(arg);
    const top = statementIn(program, p);
    const topNames = top ? moduleScopeNames(root, leadingStart(top.node)) : new Set<string>();
    const visible = literal ? readsOnly(j, literal, topNames) : arg?.type === 'Identifier' && topNames.has(arg.name);
    if (!visible || !top || p.node.arguments.length > 1) {
      // Only a tool's own schema is built per registration (per request inside a factory); other calls may run once.
      if (
        !/^(Object)?Property$/.test(p.parent?.node.type) ||
        !['inputSchema', 'outputSchema'].includes(propertyKey(p.parent.node) ?? '')
      )
        return;
      const e = markerEdit(
        src,
        statementPathOf(p).node,
        'NOTE',
        `${meta.id}/schema-per-call`,
        'fromJsonSchema compiles its schema on every call here (and inside a per-request factory, on every request); build it once at module scope',
        options
      );
      if (e) edits.push(e);
      return;
    }
    if (literal) hoisted.add(literal);
    const found = literal ? upgrades.get(literal) : undefined;
    const inner = (found?.upgrade.edits ?? []).map(e => ({
      ...e,
      start: e.start - p.node.start,
      end: e.end - p.node.start
    }));
    const call = dedent(applyEdits(src.slice(p.node.start, p.node.end), inner), lineIndent(src, p.node.start));
    const name = uniqueName(j, root, schemaName(p));
    const at = leadingStart(top.node);
    let marker = '';
    if (found?.upgrade.problems.length) {
      const draft = draftMarker(found.upgrade.problems, literal);
      const m = markerEdit(src, top.node, draft.severity, `${meta.id}/draft-schema`, draft.message, options);
      if (m) marker = m.text.trimStart();
    }
    hoists.set(at, `${hoists.get(at) ?? ''}${marker}const ${name} = ${call};\n\n`);
    edits.push({ start: p.node.start, end: p.node.end, text: name });
  });
  // One insertion per place, so several constants hoisted above one statement keep their source order.
  for (const [at, text] of hoists) edits.push({ start: at, end: at, text });

  for (const [literal, { site, upgrade }] of upgrades) {
    if (hoisted.has(literal)) continue;
    edits.push(...upgrade.edits);
    if (upgrade.problems.length === 0) continue;
    const draft = draftMarker(upgrade.problems, literal);
    const e = markerEdit(
      src,
      statementPathOf(site).node,
      draft.severity,
      `${meta.id}/draft-schema`,
      draft.message,
      options
    );
    if (e) edits.push(e);
  }

  edits.push(...zodConversions(j, root, src, filePath, options));
  const out = edits.length ? applyEdits(src, edits) : undefined;
  return out === src ? undefined : out;
}

/** zodToJsonSchema(X) tool schemas → zod 4's own 2020-12 conversion; the package import goes when unused. */
function zodConversions(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  filePath: string,
  options: TransformOptions
): TextEdit[] {
  const q = dominantQuote(src);
  const ts = isTypeScript(filePath);
  const zod = zodToJsonSchemaCalls(j, root, src, q, ts);
  const edits = [...zod.edits];
  for (const { call, reason } of zod.kept) {
    const e = markerEdit(
      src,
      statementPathOf(
        root
          .find(j.CallExpression)
          .filter((p: ASTPath<any>) => p.node === call)
          .paths()[0]!
      ).node,
      'TODO',
      `${meta.id}/zod-to-json-schema`,
      reason,
      options
    );
    if (e) edits.push(e);
  }
  if (zod.rewritten.size === 0) return edits;
  if (zod.needsZodImport) edits.push(importLineEdit(j, root, `import { z } from ${q}zod${q};`));
  if (zod.needsToolType) edits.push(...serverTypeImport(j, root, 'Tool', q));
  for (const [local, gone] of zod.rewritten) edits.push(...(unusedImportRemoval(j, root, src, local, gone) ?? []));
  return edits;
}

/** `registerTool('search_items', { inputSchema: fromJsonSchema(…) })` → `searchItemsInputSchema`. */
function schemaName(p: ASTPath<any>): string {
  const prop = p.parent?.node;
  const role = /^(Object)?Property$/.test(prop?.type) ? propertyKey(prop) : undefined;
  const call = p.parent?.parent?.parent?.node;
  const tool =
    call?.type === 'CallExpression' && /^(registerTool|tool)$/.test(call.callee?.property?.name ?? '')
      ? call.arguments[0]?.value
      : undefined;
  const suffix = role === 'outputSchema' ? 'OutputSchema' : 'InputSchema';
  if (typeof tool !== 'string') return role ? role : 'jsonSchema';
  const camel = tool
    .replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase())
    .replace(/^[^A-Za-z_$]+/, '');
  return `${camel.charAt(0).toLowerCase()}${camel.slice(1)}${suffix}`;
}

export default defineTransform({ meta, rewrite: validatorsToJsonSchema });
