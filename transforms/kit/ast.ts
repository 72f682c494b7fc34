/** AST helpers shared by the transforms: identifiers, statements, names, printing. */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { isOurMarker } from './marker-vocabulary.js';
import { lineStartOf, type TextEdit } from './text-edits.js';

type Node = any;

/** The identifier at the root of `a.b.c(...)`, `a[0].b = …`, `a.b!.c`, or `await a.b()`. */
export function rootIdentifier(node: Node): string | undefined {
  let n = node;
  for (;;) {
    if (!n) return undefined;
    switch (n.type) {
      case 'Identifier':
        return n.name;
      case 'AwaitExpression':
      case 'TSNonNullExpression':
      case 'TSAsExpression':
      case 'ParenthesizedExpression':
      case 'ChainExpression':
        n = n.expression ?? n.argument;
        break;
      case 'CallExpression':
      case 'OptionalCallExpression':
        n = n.callee;
        break;
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        n = n.object;
        break;
      case 'AssignmentExpression':
        n = n.left;
        break;
      default:
        return undefined;
    }
  }
}

/** Does the subtree reference identifier `name` as a value (not as a property key or member name)? */
export function mentions(j: JSCodeshift, node: Node, names: Set<string> | string): boolean {
  const set = typeof names === 'string' ? new Set([names]) : names;
  if (set.size === 0 || !node) return false;
  if (node.type === 'Identifier') return set.has(node.name);
  return j(node)
    .find(j.Identifier)
    .some((p: ASTPath<any>) => set.has(p.node.name) && isValueReference(p));
}

/** A class member that is its constructor (babel's `ClassMethod`, ESTree's `MethodDefinition`). */
export function isConstructor(member: any): boolean {
  return /^(?:ClassMethod|MethodDefinition)$/.test(member?.type) && member.kind === 'constructor';
}

/** The constructor of a class body, if it declares one. */
export function constructorOf(classBody: any): any {
  return classBody.body.find(isConstructor);
}

/** `this.name` (any name when none is given): a property read off `this`, not computed. */
export function thisMember(node: any, name?: string): boolean {
  return (
    node?.type === 'MemberExpression' &&
    !node.computed &&
    node.object.type === 'ThisExpression' &&
    node.property.type === 'Identifier' &&
    (name === undefined || node.property.name === name)
  );
}

export function isValueReference(p: ASTPath<any>): boolean {
  const parent = p.parent?.node;
  if (!parent) return true;
  if (
    (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') &&
    parent.property === p.node &&
    !parent.computed
  )
    return false;
  if (
    (parent.type === 'ObjectProperty' || parent.type === 'Property') &&
    parent.key === p.node &&
    !parent.computed &&
    !parent.shorthand
  )
    return false;
  if (parent.type === 'TSPropertySignature' || parent.type === 'TSQualifiedName' || parent.type === 'TSTypeReference')
    return false;
  // A parameter of a declaration or a function type names a binding of its own, never the outer one; so does a
  // constructor's parameter property (`constructor(private server: McpServer)`).
  if (
    /^TS(DeclareFunction|DeclareMethod|FunctionType|MethodSignature|CallSignatureDeclaration|ParameterProperty)$/.test(
      parent.type
    )
  )
    return false;
  if (parent.type === 'ClassProperty' || parent.type === 'ObjectMethod' || parent.type === 'ClassMethod')
    return parent.key !== p.node;
  return true;
}

/** The statement path (a direct child of a Program or block body) that contains `p`. */
export function enclosingStatement(p: ASTPath<any>): ASTPath<any> | undefined {
  let cur: ASTPath<any> | null = p;
  while (cur && cur.parent) {
    const t = cur.parent.node.type;
    if ((t === 'Program' || t === 'BlockStatement' || t === 'TSModuleBlock') && Array.isArray(cur.parent.node.body))
      return cur;
    cur = cur.parent;
  }
  return undefined;
}

/** The statement path in the given block body (Program or BlockStatement node) that contains `p`. */
export function statementIn(block: Node, p: ASTPath<any>): ASTPath<any> | undefined {
  let cur: ASTPath<any> | null = p;
  while (cur && cur.parent) {
    if (cur.parent.node === block) return cur;
    cur = cur.parent;
  }
  return undefined;
}

/** The statements of a branch or body: a block's own, or the one statement (or expression body) it is. */
export function statementsOf(s: Node): Node[] {
  return s.type === 'BlockStatement' ? s.body : [s];
}

/** `x as T`, `<T>x`, `x!`, `x satisfies T`, `(x)`: the expression under TypeScript's casts and parentheses. */
export function uncast(n: Node): Node {
  while (
    /^(?:TSAsExpression|TSTypeAssertion|TSNonNullExpression|TSSatisfiesExpression|ParenthesizedExpression)$/.test(
      n?.type
    )
  )
    n = n.expression;
  return n;
}

/** `name` as a whole identifier in source text (`$` is a word character of identifiers, not of regexes). */
export function wholeIdentifier(name: string): RegExp {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
}

export function isFunction(node: Node): boolean {
  return [
    'FunctionDeclaration',
    'FunctionExpression',
    'ArrowFunctionExpression',
    'ObjectMethod',
    'ClassMethod',
    'ClassPrivateMethod'
  ].includes(node?.type);
}

/** Is there a function between `p` and its ancestor `top` (a callback that runs later, not while `top` runs)? */
export function insideFunctionBelow(p: ASTPath<any>, top: Node): boolean {
  for (let cur = p.parent; cur && cur.node !== top; cur = cur.parent) if (isFunction(cur.node)) return true;
  return false;
}

/** Functions the file declares by name: `function f() {}` and `const f = () => {}` / `function () {}`. */
export function functionsByName(j: JSCodeshift, root: Collection<any>): Map<string, Node> {
  const named = new Map<string, Node>();
  root.find(j.VariableDeclarator).forEach((p: ASTPath<any>) => {
    if (p.node.id.type === 'Identifier' && isFunction(p.node.init)) named.set(p.node.id.name, p.node.init);
  });
  root.find(j.FunctionDeclaration).forEach((p: ASTPath<any>) => p.node.id && named.set(p.node.id.name, p.node));
  return named;
}

/** The function a route's handler argument is, inline or by name. */
export function handlerFunction(arg: Node, named: Map<string, Node>): Node | undefined {
  return arg?.type === 'Identifier' ? named.get(arg.name) : isFunction(arg) ? arg : undefined;
}

/** A name not yet bound or used anywhere in the file, starting from `base`. */
export function uniqueName(j: JSCodeshift, root: Collection<any>, base: string): string {
  const used = new Set<string>();
  root.find(j.Identifier).forEach((p: ASTPath<any>) => used.add(p.node.name));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/**
 * The first line of a node's code, shortened: how a marker names a place. A line number would be wrong as soon as
 * a later rewrite inserts code above it; the code itself is still there to search for.
 */
export function codeExcerpt(j: JSCodeshift, node: Node, max = 72): string {
  // The code, not the comments printed above it.
  const lines = j(node).toSource().split('\n');
  let inBlock = false;
  const first =
    lines
      .map(l => l.trim())
      .find(l => {
        if (inBlock) {
          inBlock = !l.includes('*/');
          return false;
        }
        if (l.startsWith('/*')) {
          inBlock = !l.includes('*/');
          return false;
        }
        return l !== '' && !l.startsWith('//');
      }) ?? lines[0]!.trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** `setRequestHandler('logging/setLevel' | SetLevelRequestSchema | types.SetLevelRequestSchema, …)`. */
export function registersSetLevel(call: Node): boolean {
  const first = call.arguments?.[0];
  return (
    first?.value === 'logging/setLevel' ||
    first?.name === 'SetLevelRequestSchema' ||
    first?.property?.name === 'SetLevelRequestSchema'
  );
}

export function lineOf(node: Node): number {
  return node?.loc?.start?.line ?? 1;
}

export function columnOf(node: Node): number {
  return (node?.loc?.start?.column ?? 0) + 1;
}

/**
 * Removes a statement but keeps its leading comments (file headers, license blocks, doc comments of what
 * follows) by handing them to the next statement, or to the previous one when it was last. Comments matching
 * `obsolete` describe only what is removed and go with it.
 */
export function removeStatement(j: JSCodeshift, p: ASTPath<any>, obsolete?: RegExp): void {
  const dropped = obsolete ? obsoleteComments(p.node.comments ?? [], obsolete) : new Set<any>();
  const comments = (p.node.comments ?? []).filter((c: any) => c.leading && !isOurMarker(c.value) && !dropped.has(c));
  const parent = p.parent?.node;
  const siblings: Node[] | undefined = parent && Array.isArray(parent.body) ? parent.body : undefined;
  if (comments.length && siblings) {
    const i = siblings.indexOf(p.node);
    const next = siblings[i + 1];
    const prev = siblings[i - 1];
    if (next) next.comments = [...comments, ...(next.comments ?? [])];
    else if (prev)
      prev.comments = [
        ...(prev.comments ?? []),
        ...comments.map((c: any) => ({ ...c, leading: false, trailing: true }))
      ];
  }
  j(p).remove();
}

/**
 * The comments `obsolete` describes. Line comments on consecutive lines are one sentence (`// to support several
 * connections we keep a lookup from` / `// sessionId to transport`): when one line matches, the run goes whole.
 */
function obsoleteComments(comments: any[], obsolete: RegExp): Set<any> {
  const runs: any[][] = [];
  for (const c of comments) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    const continues =
      !!last && c.type === 'CommentLine' && last.type === 'CommentLine' && c.loc?.start.line === last.loc?.end.line + 1;
    if (continues) run!.push(c);
    else runs.push([c]);
  }
  return new Set(runs.filter(run => run.some(c => obsolete.test(c.value))).flat());
}

/** A declarator goes: its whole statement when it is the only one, else itself (a bundle's `let a = …, b = …`). */
export function removeDeclarator(j: JSCodeshift, d: ASTPath<any>): void {
  if (d.parent.node.declarations.length === 1) removeStatement(j, d.parent);
  else j(d).remove();
}

/** The nearest ancestor (or self) that sits directly in a body list: where a marker comment can go. */
export function statementPathOf(p: ASTPath<any>): ASTPath<any> {
  let cur = p;
  while (cur.parent && !Array.isArray(cur.parent.node.body)) cur = cur.parent;
  return cur;
}

/** Object-literal properties in either grammar: TypeScript's ObjectProperty or the JavaScript parser's estree Property. */
export function objectProperties(j: JSCodeshift, root: Collection<any>, key?: string): ASTPath<any>[] {
  const filter = key ? { key: { name: key } } : undefined;
  return [...root.find(j.ObjectProperty, filter).paths(), ...root.find(j.Property, filter as any).paths()];
}

/**
 * Names declared or imported at module scope: only those can hold state that outlives a request. With `before`,
 * only those a statement at that offset can read when the module runs: imports and function declarations are
 * hoisted, a variable or class declared further down is not initialised yet.
 */
export function moduleScopeNames(root: Collection<any>, before = Infinity): Set<string> {
  const names = new Set<string>();
  for (const s of root.get().node.program.body as Node[]) {
    const decl = s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' ? s.declaration : s;
    if (!decl) continue;
    const earlier = s.start < before;
    if (decl.type === 'ImportDeclaration') for (const spec of decl.specifiers ?? []) names.add(spec.local.name);
    if (decl.type === 'VariableDeclaration' && earlier)
      for (const d of decl.declarations) if (d.id.type === 'Identifier') names.add(d.id.name);
    if (decl.type === 'FunctionDeclaration' && decl.id) names.add(decl.id.name);
    if (decl.type === 'ClassDeclaration' && decl.id && earlier) names.add(decl.id.name);
  }
  return names;
}

/** References to `name` in the module's values besides its declaration and an `export { name }`. */
export function valueReferenceCount(j: JSCodeshift, root: Collection<any>, name: string): number {
  return root
    .find(j.Identifier, { name })
    .filter((p: ASTPath<any>) => {
      const parent = p.parent.node;
      if (/^(?:FunctionDeclaration|VariableDeclarator)$/.test(parent.type) && parent.id === p.node) return false;
      // `keyof typeof handlers` reads a type, not the value.
      if (parent.type === 'ExportSpecifier' || parent.type === 'TSTypeQuery') return false;
      if (/MemberExpression$/.test(parent.type) && parent.property === p.node && !parent.computed) return false;
      return !(/^(?:ObjectProperty|Property)$/.test(parent.type) && parent.key === p.node && !parent.shorthand);
    })
    .size();
}

/** Every value reference to `name` that resolves to `scope` (its declaration's own name included). */
export function referencesOf(j: JSCodeshift, root: Collection<any>, name: string, scope: any): ASTPath<any>[] {
  return root
    .find(j.Identifier, { name })
    .filter((p: ASTPath<any>) => isValueReference(p) && p.scope?.lookup(name) === scope)
    .paths();
}

/** No value at all: nothing written, `null` or `undefined` (a slot declared to be filled later, or cleared). */
export function isEmptyValue(n: Node): boolean {
  return (
    !n ||
    n.type === 'NullLiteral' ||
    (n.type === 'Literal' && n.value === null) ||
    (n.type === 'Identifier' && n.name === 'undefined')
  );
}

/**
 * An empty collection as written: `{}`, `[]`, or `new C()` with no arguments for one of `classes` (`Map`, `Set`).
 * What counts depends on the caller: a collection nothing fills yet, or one an instance starts out holding.
 */
export function isEmptyCollection(n: Node, classes: string[] = []): boolean {
  if (n?.type === 'ObjectExpression') return n.properties.length === 0;
  if (n?.type === 'ArrayExpression') return n.elements.length === 0;
  return (
    n?.type === 'NewExpression' &&
    n.callee?.type === 'Identifier' &&
    classes.includes(n.callee.name) &&
    n.arguments.length === 0
  );
}

/** The path of the function `p` is in (its nearest), if any. */
export function enclosingFunctionPath(p: ASTPath<any>): ASTPath<any> | undefined {
  for (let cur = p.parent; cur; cur = cur.parent) if (isFunction(cur.node)) return cur;
  return undefined;
}

/** The function `p` is in that is declared at module level under a name (`function f`, `const f = () => …`). */
export function moduleLevelFunction(p: ASTPath<any>): { fn: Node; name: string; exported: boolean } | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    if (!isFunction(cur.node)) continue;
    const holder = cur.node.type === 'FunctionDeclaration' ? cur : cur.parent;
    const named = cur.node.type === 'FunctionDeclaration' ? cur.node.id?.name : holder?.node.id?.name;
    const declaration = cur.node.type === 'FunctionDeclaration' ? cur : holder?.parent;
    const top = declaration?.parent?.node.type === 'ExportNamedDeclaration' ? declaration.parent : declaration;
    const atModule = top?.parent?.node.type === 'Program';
    const declarator = cur.node.type === 'FunctionDeclaration' || holder?.node.type === 'VariableDeclarator';
    if (named && atModule && declarator)
      return { fn: cur.node, name: named, exported: top?.node.type === 'ExportNamedDeclaration' };
  }
  return undefined;
}

/**
 * The name a function is called by: a declaration's, a method's, or the variable or property holding it
 * (`const handle = async () => …`, `handle = async () => …` in a class); a named function expression's own last.
 */
export function callableName(fn: ASTPath<any>): string | undefined {
  const n = fn.node;
  if (n.type === 'FunctionDeclaration') return n.id?.name;
  if (/^(?:ClassMethod|ObjectMethod|ClassPrivateMethod)$/.test(n.type) && n.key?.type === 'Identifier')
    return n.key.name;
  const parent = fn.parent?.node;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (
    /^(?:ClassProperty|MethodDefinition|ObjectProperty|Property)$/.test(parent?.type) &&
    parent.key?.type === 'Identifier'
  )
    return parent.key.name;
  return n.id?.type === 'Identifier' ? n.id.name : undefined;
}

/**
 * The source text of `node` when it is a chain of names (`server`, `this.server.server`, `this.#server`): no call,
 * computed key or cast in it, so it can be evaluated again elsewhere with the same result and no effect.
 */
export function nameChainText(src: string, node: Node): string | undefined {
  let cur = node;
  while (cur?.type === 'MemberExpression' && !cur.computed && /^(?:Identifier|PrivateName)$/.test(cur.property.type))
    cur = cur.object;
  if (cur?.type !== 'Identifier' && cur?.type !== 'ThisExpression') return undefined;
  return src.slice(node.start, node.end);
}

/** The innermost function `p` sits in, if any. */
export function enclosingFunction(p: ASTPath<any>): Node | undefined {
  for (let cur = p.parent; cur; cur = cur.parent) if (isFunction(cur.node)) return cur.node;
  return undefined;
}

/**
 * Does `node` read, as values, only these names (so a copy at module scope would see the same things)? Names it binds
 * itself (`([name, op]) => …`) and the runtime's globals (`Object`, `JSON`) are seen the same anywhere.
 */
export function readsOnly(j: JSCodeshift, node: Node, names: Set<string>): boolean {
  // A bare name is a read itself (`find` searches below the node, not the node).
  if (node?.type === 'Identifier') return node.name === 'undefined' || names.has(node.name);
  const own = boundWithin(j, node);
  const visible = (name: string) => names.has(name) || own.has(name) || name in globalThis;
  return !j(node)
    .find(j.Identifier)
    .some((p: ASTPath<any>) => {
      const parent = p.parent.node;
      const isKey =
        /^(Object)?Property$/.test(parent.type) && parent.key === p.node && !parent.computed && !parent.shorthand;
      const isMember = /MemberExpression$/.test(parent.type) && parent.property === p.node && !parent.computed;
      const isType =
        /^TS/.test(parent.type) &&
        parent.type !== 'TSAsExpression' &&
        parent.type !== 'TSNonNullExpression' &&
        parent.type !== 'TSSatisfiesExpression';
      return !isKey && !isMember && !isType && p.node.name !== 'undefined' && !visible(p.node.name);
    });
}

/** Names `node` binds inside itself: its functions' parameters and its own declarations. */
function boundWithin(j: JSCodeshift, node: Node): Set<string> {
  const bound = new Set<string>();
  const patternNames = (pattern: Node) => {
    if (pattern?.type === 'Identifier') bound.add(pattern.name);
    else if (pattern)
      j(pattern)
        .find(j.Identifier)
        .forEach((p: ASTPath<any>) => {
          const parent = p.parent.node;
          // `{ key: local }`: the value binds, the key does not (a shorthand is both).
          if (/^(Object)?Property$/.test(parent.type) && parent.key === p.node && !parent.shorthand) return;
          bound.add(p.node.name);
        });
  };
  j(node)
    .find(j.Function)
    .forEach((p: ASTPath<any>) => (p.node.params as Node[]).forEach(patternNames));
  j(node)
    .find(j.VariableDeclarator)
    .forEach((p: ASTPath<any>) => patternNames(p.node.id));
  return bound;
}

/** A branch's one statement: the statement itself, or the only one in its block (undefined for more, or none). */
export function onlyStatement(branch: Node | undefined): Node | undefined {
  if (!branch || branch.type !== 'BlockStatement') return branch;
  return branch.body.length === 1 ? branch.body[0] : undefined;
}

/** Where a statement begins, counting the comments written above it (a hoisted constant goes above those). */
export function leadingStart(node: Node): number {
  const comments: Node[] = (node.comments ?? node.leadingComments ?? []).filter(
    (c: Node) => c.leading !== false && c.end <= node.start
  );
  return Math.min(node.start, ...comments.map(c => c.start));
}

/**
 * Removes a statement with the comments above it and its line, or just its text when it shares the line. With
 * `keepComments`, the comments above stay (they say what the code around does) and read on into what follows.
 */
export function statementRemoval(src: string, s: Node, keepComments = false): TextEdit {
  const start = keepComments ? s.start : leadingStart(s);
  const lineStart = lineStartOf(src, start);
  const endOfLine = src.indexOf('\n', s.end);
  const lineEnd = endOfLine < 0 ? src.length : endOfLine + 1;
  const alone = /^[ \t]*$/.test(src.slice(lineStart, start)) && /^[ \t]*(\r?\n|$)/.test(src.slice(s.end, lineEnd));
  if (!alone) return { start: s.start, end: s.end, text: '' };
  // A blank line left after the removed block would follow another blank line or an opening brace (or a comment kept
  // above it, which then reads on into the code after): drop it too.
  const blankAfter = /^[ \t]*\r?\n/.exec(src.slice(lineEnd));
  const before = src.slice(0, lineStart);
  const kept = keepComments && /\/\/[^\n]*\n[ \t]*$|\*\/[ \t]*\n[ \t]*$/.test(src.slice(0, s.start));
  const eat =
    blankAfter &&
    (kept || /\n[ \t]*\r?\n$/.test(before) || /\{[ \t]*\r?\n$/.test(before) || /:[ \t]*\r?\n$/.test(before))
      ? blankAfter[0].length
      : 0;
  return { start: lineStart, end: lineEnd + eat, text: '' };
}

/** `undefined`, or `void 0` as compilers write it. */
export function isUndefinedValue(n: Node): boolean {
  return (
    (n?.type === 'Identifier' && n.name === 'undefined') ||
    (n?.type === 'UnaryExpression' && n.operator === 'void' && /Literal$/.test(n.argument?.type))
  );
}

/** The key of an object property (or pattern property) written as a name or a string; undefined when computed. */
export function propertyKey(p: Node): string | undefined {
  if (!p || p.computed || !p.key) return undefined;
  return p.key.type === 'Identifier' ? p.key.name : typeof p.key.value === 'string' ? p.key.value : undefined;
}

/** The function an object-literal property holds: a method (`run() {}`) or a function value (`run: async () => …`). */
export function propertyFunction(p: Node): Node | undefined {
  if (p?.type === 'ObjectMethod') return p;
  return isFunction(p?.value) ? p.value : undefined;
}

/** A type reference's type argument list (`<A, B>`): babel names it typeParameters, the TS parser typeArguments. */
export function typeArgumentList(ref: Node): Node | undefined {
  return ref?.typeParameters ?? ref?.typeArguments;
}

/** A type reference's type arguments, `[]` when it has none. */
export function typeArgumentsOf(ref: Node): Node[] {
  return typeArgumentList(ref)?.params ?? [];
}

/** The property of an object literal with this key, if any. */
export function propertyNamed(obj: Node, key: string): Node | undefined {
  return obj?.properties?.find((p: Node) => propertyKey(p) === key);
}

/** The names logging hangs on (`console.error`, `logger.info`, `log.warn`). */
export const LOGGER_NAMES = /^(?:console|logger|log)$/;
const LOG_METHODS = /^(?:log|info|warn|error|debug|trace)$/;

/** `console.error(…)`, `logger.info(…)`: a call that only writes a log line. */
export function isLogCall(n: Node): boolean {
  const callee = n?.type === 'CallExpression' ? n.callee : undefined;
  return (
    callee?.type === 'MemberExpression' &&
    !callee.computed &&
    callee.object.type === 'Identifier' &&
    LOGGER_NAMES.test(callee.object.name) &&
    LOG_METHODS.test(callee.property?.name ?? '')
  );
}

/** Is `name` read (as a value) in `scope` anywhere but inside `declaration`: does anything else still use it? */
export function isReferencedOutside(
  j: JSCodeshift,
  scope: ASTPath<any>,
  name: string,
  declaration: ASTPath<any>
): boolean {
  return j(scope)
    .find(j.Identifier, { name })
    .some((r: ASTPath<any>) => isValueReference(r) && !within(r, declaration));
}

/** Does `outer`'s source range hold `inner`'s (a node inside it, or itself)? */
export function encloses(outer: Node, inner: Node): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** Is `p` the node `ancestor` stands for, or inside it? */
export function within(p: ASTPath<any>, ancestor: ASTPath<any>): boolean {
  for (let cur: ASTPath<any> | null = p; cur; cur = cur.parent) if (cur.node === ancestor.node) return true;
  return false;
}

/**
 * The declared result of a function, seen through `Promise<…>`, when a rewrite must widen it: undefined when there
 * is no annotation or the annotation already names what `admits` matches.
 */
export function resultTypeToWiden(src: string, fn: Node, admits: RegExp): Node | undefined {
  const type = fn?.returnType?.typeAnnotation;
  if (!type || admits.test(src.slice(type.start, type.end))) return undefined;
  const promised =
    type.type === 'TSTypeReference' && type.typeName?.name === 'Promise' ? type.typeParameters?.params?.[0] : undefined;
  return promised ?? type;
}

/** A string literal (either grammar's node), optionally with this value. */
export function isStringLiteral(n: Node, value?: string): boolean {
  const ok = n?.type === 'StringLiteral' || (n?.type === 'Literal' && typeof n.value === 'string');
  return ok && (value === undefined || n.value === value);
}

/**
 * A `function* ()` TypeScript's ES2015 output hands to `__awaiter` in place of an async function: its `yield` is an
 * `await` (compiled npm packages).
 */
export function isAwaiterGenerator(fn: ASTPath<any> | undefined): boolean {
  const call = fn?.parent?.node;
  return !!fn?.node.generator && call?.type === 'CallExpression' && call.callee?.name === '__awaiter';
}

/**
 * Where a helper's parameters and work are: the function itself, or for TypeScript's ES2015 output of an async
 * function the generator it hands to `__awaiter` — `(server_1, ...args_1) => __awaiter(void 0, [server_1, ...args_1],
 * void 0, function* (server, endpoint = '/sse') {…})` (defaults move the parameters onto the generator, which gets them
 * in order), or `(server) => __awaiter(this, void 0, void 0, function* () {…})` (they stay outside). `params` is the
 * list to read and edit, `owner` the function declaring them, `body` the block doing the work.
 */
export function asyncCore(fn: Node): { params: Node[]; body: Node; owner: Node } {
  const own = { params: fn.params, body: fn.body, owner: fn };
  const returned = fn.body?.type === 'BlockStatement' && fn.body.body.length === 1 ? fn.body.body[0] : undefined;
  const call = returned?.type === 'ReturnStatement' ? returned.argument : fn.body;
  if (call?.type !== 'CallExpression' || call.callee?.name !== '__awaiter') return own;
  const generator = call.arguments[3];
  if (!generator?.generator || generator.body?.type !== 'BlockStatement') return own;
  if (generator.params.length === 0) return { params: fn.params, body: generator.body, owner: fn };
  // The generator's parameters are the caller's arguments only when the wrapper forwards its own, in order.
  const forwarded = call.arguments[1];
  const names = (fn.params as Node[]).map(p => (p.type === 'RestElement' ? p.argument?.name : p.name));
  const inOrder =
    forwarded?.type === 'ArrayExpression' &&
    forwarded.elements.length === names.length &&
    forwarded.elements.every(
      (e: Node, i: number) => (e?.type === 'SpreadElement' ? e.argument?.name : e?.name) === names[i]
    );
  return inOrder ? { params: generator.params, body: generator.body, owner: generator } : own;
}

/**
 * The function a compiled route callback really is: for an `__awaiter` generator, the function that returns the
 * `__awaiter(…)` call (`(req, res) => __awaiter(this, void 0, void 0, function* () {…})`); else the function itself.
 */
export function awaiterOwner(fn: ASTPath<any>): ASTPath<any> {
  if (!isAwaiterGenerator(fn)) return fn;
  const call = fn.parent!;
  const holder = call.parent?.node.type === 'ReturnStatement' ? call.parent.parent?.parent : call.parent;
  const owner = holder?.node;
  const returnsCall =
    owner &&
    /Function/.test(owner.type) &&
    (owner.body === call.node || (owner.body?.type === 'BlockStatement' && owner.body.body.length === 1));
  return returnsCall ? holder! : fn;
}

/**
 * Module-level `const X = …` initializers by name; with `exported: false`, only those the module keeps to itself
 * (another module may read an exported one, so editing it in place is not this module's call).
 */
export function moduleConstants(program: Node, { exported = true } = {}): Map<string, Node> {
  const found = new Map<string, Node>();
  for (let s of program.body) {
    if (s.type === 'ExportNamedDeclaration' && s.declaration) {
      if (!exported) continue;
      s = s.declaration;
    }
    if (s.type !== 'VariableDeclaration' || s.kind !== 'const') continue;
    for (const d of s.declarations) if (d.id.type === 'Identifier' && d.init) found.set(d.id.name, d.init);
  }
  return found;
}

/**
 * Array methods whose callback runs where they are called, before they return: code in such a callback runs where
 * the call does (logging-to-otel's stdout exemption and `check`'s `stdio-console-log` judge it there, alike).
 */
export const RUNS_CALLBACK_IN_PLACE = ['forEach', 'map', 'filter', 'some', 'every', 'reduce', 'flatMap'];

/** The instance fields a class body declares itself, named by an identifier (`private server: McpServer`, `transports = {}`). */
export function instanceFields(body: ASTPath<any>): ASTPath<any>[] {
  const members = body.get('body');
  const out: ASTPath<any>[] = [];
  for (let i = 0; i < members.value.length; i++) {
    const p: ASTPath<any> = members.get(i);
    if (
      /^(?:ClassProperty|PropertyDefinition)$/.test(p.node.type) &&
      !p.node.static &&
      p.node.key?.type === 'Identifier'
    )
      out.push(p);
  }
  return out;
}

/** Does a declaration target bind `name` (`x`, `{ x = 1 }`, `{ a: { x } }`, `[x]`, `...x`, a parameter property)? */
export function bindsName(target: Node, name: string): boolean {
  if (!target) return false;
  switch (target.type) {
    case 'Identifier':
      return target.name === name;
    case 'ObjectPattern':
      return (target.properties as Node[]).some(p =>
        p.type === 'RestElement' ? bindsName(p.argument, name) : bindsName(p.value, name)
      );
    case 'ArrayPattern':
      return (target.elements as Node[]).some(e => bindsName(e, name));
    case 'AssignmentPattern':
      return bindsName(target.left, name);
    case 'RestElement':
      return bindsName(target.argument, name);
    case 'TSParameterProperty':
      return bindsName(target.parameter, name);
    default:
      return false;
  }
}
