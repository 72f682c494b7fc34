/**
 * McpServer tools validate against their own schema before the callback runs: the exact checks the callback opens
 * with move into that schema (a zod object: zod-checks.ts; a `fromJsonSchema` literal: schema-checks.ts), and the
 * argument checks that stay are marked by the caller's `mark`.
 */
import type { Collection, JSCodeshift } from 'jscodeshift';
import { dominantQuote } from '../../kit/source-style.js';
import { moduleConstants, propertyKey, statementRemoval, valueReferenceCount } from '../../kit/ast.js';
import { isGuardStatement } from './syntax.js';
import { listConstants, typeGuards } from './file-facts.js';
import type { GuardContext } from './types.js';
import { zodNamespace } from '../../kit/import-edits.js';
import { objectLiteral } from '../json-schema-2020.js';
import { moveGuardsIntoSchema } from './schema-edits.js';
import type { TextEdit } from '../../kit/text-edits.js';
import { toolRegistrations } from '../../kit/tool-registrations.js';
import { zodGuardMoves } from './zod-methods.js';

type Node = any;
export type GuardMarker = (
  unmoved: { check: Node; reason: string }[],
  reading: Omit<GuardContext, 'declaredType' | 'declaredRequired'>
) => TextEdit[];

/**
 * McpServer tools validate against their own schema before the callback runs: the exact checks the callback opens
 * with move into that schema (a zod object: zod-checks.ts; a `fromJsonSchema` literal: schema-checks.ts).
 */
export function registeredToolEdits(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  ts: boolean,
  mark: GuardMarker
): TextEdit[] {
  const zod = zodNamespace(j, root);
  const program = root.get().node.program;
  const [guards, constants] = [typeGuards(program), listConstants(program)];
  const q = dominantQuote(src);
  const edits: TextEdit[] = [];
  for (const tool of toolRegistrations(j, root, src)) {
    const zodMove = zod ? zodGuardMoves(root, tool, zod, guards, constants) : undefined;
    if (zodMove) {
      edits.push(
        ...zodMove.edits,
        ...zodMove.moved.map(m => statementRemoval(src, m)),
        ...mark(zodMove.unmoved, zodMove.reading)
      );
      continue;
    }
    const schema = jsonSchemaLiteral(j, root, tool.config);
    const cb = tool.callback;
    const param = cb.params[0];
    if (!schema || cb.body.type !== 'BlockStatement' || !param) continue;
    const args = new Set<string>(param.type === 'Identifier' ? [param.name] : []);
    const locals = new Map<string, string>();
    if (param.type === 'ObjectPattern')
      for (const p of param.properties)
        if (propertyKey(p) && p.value?.type === 'Identifier') locals.set(p.value.name, propertyKey(p)!);
    const checks: Node[] = [];
    for (const s of cb.body.body) {
      if (!isGuardStatement(s)) break;
      checks.push(s);
    }
    const anyArgs = param.typeAnnotation?.typeAnnotation?.type === 'TSAnyKeyword';
    const reading = { argsNames: args, isArgs: () => false, locals, guards, constants };
    const move = moveGuardsIntoSchema(src, schema, checks, q, reading, (_, narrows) => ts && narrows && !anyArgs, true);
    if (move) edits.push(...move.edits, ...mark(move.unmoved, reading));
  }
  return edits;
}

/** The JSON Schema literal of `inputSchema: fromJsonSchema({…})` (or a module constant holding that call), used once. */
function jsonSchemaLiteral(j: JSCodeshift, root: Collection<any>, config: Node): Node | undefined {
  const consts = moduleConstants(root.get().node.program);
  let value = config?.properties?.find((p: Node) => propertyKey(p) === 'inputSchema')?.value;
  if (value?.type === 'Identifier') {
    if (valueReferenceCount(j, root, value.name) > 1) return undefined;
    value = consts.get(value.name);
  }
  if (value?.type !== 'CallExpression' || value.callee?.name !== 'fromJsonSchema') return undefined;
  let arg = value.arguments[0];
  if (arg?.type === 'Identifier') {
    if (valueReferenceCount(j, root, arg.name) > 1) return undefined;
    arg = consts.get(arg.name);
  }
  return objectLiteral(arg);
}
