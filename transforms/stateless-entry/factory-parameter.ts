/**
 * What a server parameter, member or signature becomes when it takes a factory instead of one instance: its name (a
 * `server` that builds servers would mislead) and its type, `() => T` where it was `T`. One spelling for the helper,
 * constructor and method handoffs, so the factories of one file read alike.
 */
import type { Collection, JSCodeshift } from 'jscodeshift';
import { uniqueName } from '../kit/ast.js';

type Node = any;

const FACTORY_NAMES = ['createServer', 'serverFactory', 'makeServer'];

/** The first of the usual factory names the module does not use yet. */
export function factoryName(j: JSCodeshift, root: Collection<any>): string {
  return FACTORY_NAMES.find(n => uniqueName(j, root, n) === n) ?? uniqueName(j, root, FACTORY_NAMES[0]!);
}

/** The name an interface's signature gives the factory: a signature has no scope to collide with. */
export const SIGNATURE_FACTORY_NAME = FACTORY_NAMES[0]!;

/** `id: T` → `id: () => T`, in place; an untyped `id` stays untyped. */
export function typeAsFactory(j: JSCodeshift, id: Node): void {
  const annotation = id.typeAnnotation?.typeAnnotation;
  if (!annotation) return;
  const type = j.tsFunctionType([]);
  type.typeAnnotation = j.tsTypeAnnotation(annotation);
  id.typeAnnotation = j.tsTypeAnnotation(type);
}
