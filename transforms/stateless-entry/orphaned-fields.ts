/**
 * A private field only the removed session plumbing read (`private sseResponse: Response | null = null`, set by the
 * SSE route and cleared at shutdown) is left with no use once that code goes. Fields the user had left unused before
 * the run are theirs: only those this run orphaned go, and only when dropping their initialiser drops no work.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { instanceFields, isEmptyCollection, isEmptyValue, removeStatement } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';

type Node = any;

/** The private fields of each class that the code reads or writes now: field node → its name. */
export function privateFieldsInUse(ctx: EntryContext): Map<Node, string> {
  const inUse = new Map<Node, string>();
  for (const [field, name] of privateFields(ctx.j, ctx.root))
    if (usesOf(ctx.j, field.parent.node, name) > 0) inUse.set(field.node, name);
  return inUse;
}

export function removeOrphanedFields(ctx: EntryContext, before: Map<Node, string>): void {
  const { j, root } = ctx;
  for (const [field, name] of privateFields(j, root)) {
    if (before.get(field.node) !== name || usesOf(j, field.parent.node, name) > 0) continue;
    if (!inert(field.node.value)) continue;
    const annotation = field.node.typeAnnotation;
    if (annotation)
      j(annotation)
        .find(j.Identifier)
        .forEach((p: ASTPath<any>) => void ctx.maybeUnused.add(p.node.name));
    removeStatement(j, field);
    ctx.changed = true;
  }
}

function privateFields(j: JSCodeshift, root: Collection<any>): [ASTPath<any>, string][] {
  const out: [ASTPath<any>, string][] = [];
  root.find(j.ClassBody).forEach((body: ASTPath<any>) => {
    for (const p of instanceFields(body))
      if (p.node.accessibility === 'private' && !p.node.decorators?.length) out.push([p, p.node.key.name]);
  });
  return out;
}

/**
 * `this.name` (or `other.name`: a private field of another instance is readable in the class too) anywhere in the
 * class, and `name` as a string or computed key (`this['name']`), which may reach it.
 */
function usesOf(j: JSCodeshift, classBody: Node, name: string): number {
  const direct = j(classBody).find(j.MemberExpression, { property: { name }, computed: false }).size();
  const byString = j(classBody)
    .find(j.Node)
    .filter((p: ASTPath<any>) => /^(?:StringLiteral|Literal)$/.test(p.node.type) && p.node.value === name)
    .size();
  return direct + byString;
}

/** No value, a literal, null, or an empty collection: nothing runs when it goes. */
function inert(value: Node): boolean {
  if (isEmptyValue(value)) return true;
  if (/^(?:StringLiteral|NumericLiteral|BooleanLiteral|Literal)$/.test(value.type)) return true;
  return isEmptyCollection(value, ['Map', 'Set']);
}
