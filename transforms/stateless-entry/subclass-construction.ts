/**
 * What a project's server subclass does as it is built, read before it is built per request: collections an
 * instance fills over time (`private seen = new Map()`, `this.history = []`) would start empty on every call, and work
 * such as `new Pool(…)`, `new Browser(…)` or a timer would run, and leak, once per request. Only the constructor's own
 * statements and the field initialisers count: the tools' handlers run per call in either case.
 */
import { visit } from '../kit/raw-walk.js';
import { isEmptyCollection } from '../kit/ast.js';

type Node = any;

/** Built per request they cost nothing that outlives the request, or are the SDK's own registration helpers. */
const HARMLESS =
  /^(?:Error|TypeError|RangeError|Date|URL|URLSearchParams|RegExp|ResourceTemplate|TextEncoder|TextDecoder)$/;
const COLLECTIONS = /^(?:Map|Set|WeakMap|WeakSet|Array)$/;
const TIMERS = /^(?:setInterval|setTimeout|setImmediate)$/;

/** True when building the class keeps state or starts work that building it per request would change. */
export function buildsStateOrWork(classNode: Node): boolean {
  let found = false;
  const check = (root: Node) =>
    visit(root, n => {
      if (found) return false;
      // A function made here runs later (a handler, a callback): not construction.
      if (n !== root && /Function/.test(n.type)) return false;
      if (n.type === 'NewExpression' && n.callee?.type === 'Identifier') {
        if (COLLECTIONS.test(n.callee.name) || !HARMLESS.test(n.callee.name)) found = true;
      }
      if (n.type === 'CallExpression' && n.callee?.type === 'Identifier' && TIMERS.test(n.callee.name)) found = true;
      // `this.history = []` in the constructor: a collection the instance fills later.
      if (n.type === 'AssignmentExpression' && n.left?.type === 'MemberExpression' && isEmptyCollection(n.right))
        found = true;
      return undefined;
    });
  for (const member of classNode?.body?.body ?? []) {
    if (member.static) continue;
    if (/^(?:ClassProperty|PropertyDefinition)$/.test(member.type) && member.value) {
      if (isEmptyCollection(member.value)) return true;
      check(member.value);
    }
    const ctor =
      (member.type === 'ClassMethod' && member.kind === 'constructor') ||
      (member.type === 'MethodDefinition' && member.kind === 'constructor');
    if (ctor) {
      check(member.type === 'MethodDefinition' ? member.value.body : member.body);
    }
    if (found) return true;
  }
  return found;
}
