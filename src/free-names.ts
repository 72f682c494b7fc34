/**
 * A rewrite must never leave a reference to something that no longer exists where it is used: code moved out of
 * the scope that declared what it reads, a declaration removed while something still uses it. Detected on the text
 * alone: a name the input declares somewhere, that the output then refers to without a declaration in scope (a free
 * variable of the output that was not one of the input). Newly used globals (`console`, `Promise`) are not declared
 * by the input and do not count. The engine then keeps the code as it was (stage.ts).
 *
 * Nor may a rewrite refer to a name that exists nowhere: a generated factory that was never placed left
 * `serveStdio(() => createServer())` calling nothing (a ReferenceError at start-up). A name the output reads that
 * the input neither declared nor read, and that is no global of JavaScript, Node or TypeScript's lib, is caught too.
 */
import { parse } from '@babel/parser';
import traverseModule from '@babel/traverse';
import { babelOptions } from '../transforms/kit/grammar.js';

interface Scope {
  globals: Record<string, unknown>;
  bindings: Record<string, unknown>;
}
type Traverse = (ast: unknown, visitors: Record<string, (path: { scope: Scope; stop(): void }) => void>) => void;
// @babel/traverse is CommonJS with its function on `default`.
const traverse = ((traverseModule as unknown as { default?: Traverse }).default ??
  traverseModule) as unknown as Traverse;

interface Param {
  type: string;
  name?: string;
}

interface Names {
  free: Set<string>;
  declared: Set<string>;
}

function namesOf(file: string, text: string): Names | undefined {
  let ast;
  try {
    ast = parse(text, babelOptions(file, { errorRecovery: false }));
  } catch {
    return undefined;
  }
  const free = new Set<string>();
  const declared = new Set<string>();
  // Babel gives a `declare function f(server: T)` no scope, so its parameters read as references to outer names.
  const declaredParams = new Set<string>();
  const declaredTypes = new Set<string>();
  traverse(ast, {
    Program(path) {
      for (const name of Object.keys(path.scope.globals)) free.add(name);
      for (const name of Object.keys(path.scope.bindings)) declared.add(name);
    },
    TSDeclareFunction(path) {
      for (const p of (path as unknown as { node: { params: { type: string; name?: string }[] } }).node.params)
        if (p.type === 'Identifier' && p.name) declaredParams.add(p.name);
    },
    // Nor do the parameters of a signature in a type (`interface P { connect(createServer: () => Server): void }`).
    'TSMethodSignature|TSFunctionType|TSCallSignatureDeclaration|TSConstructSignatureDeclaration'(path) {
      const node = (path as unknown as { node: { parameters?: Param[]; params?: Param[] } }).node;
      for (const p of node.parameters ?? node.params ?? [])
        if (p.type === 'Identifier' && p.name) declaredParams.add(p.name);
    },
    // Nor does it bind a constructor's parameter property (`constructor(private server: T)`): it reads as a global.
    TSParameterProperty(path) {
      const param = (
        path as unknown as { node: { parameter: { type: string; name?: string; left?: { name?: string } } } }
      ).node.parameter;
      const name = param.type === 'AssignmentPattern' ? param.left?.name : param.name;
      if (name) declaredParams.add(name);
    },
    Scopable(path) {
      for (const name of Object.keys(path.scope.bindings)) declared.add(name);
    },
    // Babel's scopes hold no type aliases, interfaces or type parameters: a rewrite that declares `type X = …` in
    // place of an import of X, or writes a generic, reads them as references to nothing.
    TSTypeAliasDeclaration(path) {
      declaredTypes.add((path as unknown as { node: { id: { name: string } } }).node.id.name);
    },
    TSInterfaceDeclaration(path) {
      declaredTypes.add((path as unknown as { node: { id: { name: string } } }).node.id.name);
    },
    TSTypeParameter(path) {
      const name = (path as unknown as { node: { name: string | { name: string } } }).node.name;
      declaredTypes.add(typeof name === 'string' ? name : name.name);
    }
  });
  for (const name of declaredParams) free.delete(name);
  for (const name of declaredTypes) {
    free.delete(name);
    declared.add(name);
  }
  return { free, declared };
}

/**
 * The last texts measured: the stage asks about each rewrite's input and output, and one rewrite's output is the
 * next one's input, so each text is parsed and traversed once, not twice.
 */
const recent = new Map<string, Names | undefined>();

function cachedNamesOf(file: string, text: string): Names | undefined {
  const key = `${file}\0${text}`;
  if (recent.has(key)) return recent.get(key);
  const names = namesOf(file, text);
  if (recent.size >= 4) recent.delete(recent.keys().next().value!);
  recent.set(key, names);
  return names;
}

/** Names the input declares that the output refers to with no declaration in scope. */
export function lostReferences(file: string, before: string, after: string): string[] {
  const was = cachedNamesOf(file, before);
  const now = cachedNamesOf(file, after);
  if (!was || !now) return [];
  return [...now.free].filter(n => !was.free.has(n) && was.declared.has(n)).sort();
}

/** Globals a rewrite may start to use: the runtime's own, CommonJS module scope, and TypeScript's lib types. */
const KNOWN_GLOBALS = new Set([
  ...Object.getOwnPropertyNames(globalThis),
  'require',
  'module',
  'exports',
  '__dirname',
  '__filename',
  'NodeJS',
  'Record',
  'Partial',
  'Required',
  'Readonly',
  'Pick',
  'Omit',
  'Exclude',
  'Extract',
  'NonNullable',
  'ReturnType',
  'Parameters',
  'Awaited',
  'InstanceType',
  'PromiseLike',
  'Iterable',
  'AsyncIterable',
  'PropertyKey'
]);

/** Names the output reads that the input neither declared nor read, and that no runtime or lib provides. */
export function undeclaredReferences(file: string, before: string, after: string): string[] {
  const was = cachedNamesOf(file, before);
  const now = cachedNamesOf(file, after);
  if (!was || !now) return [];
  return [...now.free].filter(n => !was.free.has(n) && !was.declared.has(n) && !KNOWN_GLOBALS.has(n)).sort();
}
