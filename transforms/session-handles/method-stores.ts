/**
 * Method stores: state kept per session behind an object's methods rather than a bare Map — a module-level
 * `const store = new GameStore()` whose methods take the session id first (`store.start(sid)`, `store.get(sid)`,
 * `store.end(sid)`). The object keys its entries by whatever it is handed, so a handle can stand where the session
 * id stood; its handle is named after the class (`GameStore` holds games), and a method whose name says it ends an
 * entry (`end`, `deleteGame`) drops an expired handle's state.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { DROP_WORDS, handleNoun } from './handle-naming.js';

type Node = any;

/** Built-in collections are stores of their own (`Map`, `Set`), handled as such; any other class is a method store. */
const COLLECTIONS = /^(?:Map|WeakMap|Set|WeakSet|Array|Object|Date|Promise|Error|URL|RegExp)$/;
/** A method that ends an entry: an accessor's drop verbs, bare or leading (`end`, `endGame`), and a few more. */
const ENDS_ENTRY = new RegExp(
  `^(?:${[...DROP_WORDS, 'finish', 'stop', 'dispose', 'reset', 'release', 'evict', 'forget', 'discard', 'purge'].join('|')})(?=[A-Z_]|$)`
);
/** Objects that report or pass things on rather than keep them: a logger, tracer, metrics or event bus. */
const NOT_STATE = /log|trac|metric|analytic|telemetr|audit|monitor|emitter|event|bus|queue|notif/i;
/** What a class name says about how it keeps things rather than what: `QuizBook` and `GameManager` hold quizzes and games. */
const KEEPER = /(?:Book|Manager|Service|Repository|Repo|Tracker|Keeper|Holder|Pool|Provider|Container)$/;

/**
 * Module-level names bound to an instance of a class that is not a built-in collection, with that class's name; and
 * objects imported by name from the project's own modules (`import { games } from './games.js'`), with their own
 * name (nothing says their class).
 */
export function methodStores(j: JSCodeshift, root: any): Map<string, string> {
  const out = new Map<string, string>();
  // An import the file only calls methods of (never calls itself: that is an accessor).
  const usedAsObject = (name: string) =>
    root.find(j.CallExpression, { callee: { type: 'MemberExpression', object: { type: 'Identifier', name } } }).size() >
      0 && root.find(j.CallExpression, { callee: { type: 'Identifier', name } }).size() === 0;
  for (const s of root.get().node.program.body as Node[]) {
    if (s.type === 'ImportDeclaration' && s.importKind !== 'type' && /^\.\.?\//.test(String(s.source.value)))
      for (const spec of s.specifiers ?? [])
        if (spec.type === 'ImportSpecifier' && spec.importKind !== 'type' && usedAsObject(spec.local.name))
          if (!NOT_STATE.test(spec.local.name)) out.set(spec.local.name, spec.local.name);
    const decl = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (decl?.type !== 'VariableDeclaration' || decl.kind !== 'const') continue;
    for (const d of decl.declarations) {
      const callee = d.init?.type === 'NewExpression' ? d.init.callee : undefined;
      if (d.id.type !== 'Identifier' || callee?.type !== 'Identifier' || COLLECTIONS.test(callee.name)) continue;
      if (!NOT_STATE.test(d.id.name) && !NOT_STATE.test(callee.name)) out.set(d.id.name, callee.name);
    }
  }
  return out;
}

/** The noun of a method store's handle: the class it is an instance of says what it holds (`GameStore` → game). */
export function methodStoreNoun(store: string, className: string, names: Record<string, string>): string {
  if (Object.hasOwn(names, store)) return handleNoun(store, names);
  return handleNoun(className.replace(KEEPER, '') || className, names);
}

/**
 * The one method of `store` the file calls with a single argument whose name says it ends an entry, as the code
 * that drops an expired handle's state (`id => { void store.end(id); }`); none when there is no such method, or
 * more than one (which of them frees everything is not known).
 */
export function endingMethod(j: JSCodeshift, root: any, store: string): string | undefined {
  const names = new Set<string>();
  root
    .find(j.CallExpression, {
      callee: { type: 'MemberExpression', computed: false, object: { type: 'Identifier', name: store } }
    })
    .forEach((p: ASTPath<any>) => {
      const method = p.node.callee.property?.name;
      if (method && ENDS_ENTRY.test(method) && p.node.arguments.length === 1) names.add(method);
    });
  return names.size === 1 ? [...names][0] : undefined;
}
