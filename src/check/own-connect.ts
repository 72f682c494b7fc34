/**
 * A project's own server wrapper with a `connect` method of its own (fastmcp's `FastMCP` and its sessions, MongoDB's
 * `CliServer`): `wrapper.connect(transport)` runs that method, not the SDK's. Whether the wrapper serves 2026-07-28
 * is decided in its body, where `check` reports the SDK connect it makes (or the migration rewrote it); flagging
 * every caller too (a test suite connects in each test) reported one fix many times over. Which classes have such a
 * method is read from every file of the run, so a test importing the class from a workspace package knows it.
 */
import { parseAst } from '../parse.js';
import { visit } from '../../transforms/kit/raw-walk.js';

type Node = any;

const MEMBER_NAMED_CONNECT = /^[ \t]*(?:(?:public|private|protected|override|readonly|async)\s+)*connect\s*[(=<:]/m;

/** Names of the classes the text declares with an instance method or arrow property named `connect`. */
export function ownConnectClasses(file: string, text: string): string[] {
  // Most files declare no class with a connect (one starts a line, maybe after modifiers): the parse, without tokens,
  // is only for those that might.
  if (!/\bclass\b/.test(text) || !MEMBER_NAMED_CONNECT.test(text)) return [];
  const ast = parseAst(file, text, { tokens: false });
  if (!ast) return [];
  const names: string[] = [];
  visit(ast.program, node => {
    if ((node.type === 'ClassDeclaration' || node.type === 'ClassExpression') && node.id?.name && declaresConnect(node))
      names.push(node.id.name);
  });
  return names;
}

/** The classes with a connect of their own across a run's files, once each. */
export function ownConnectClassesOf(files: { file: string; text: string }[]): string[] {
  return [...new Set(files.flatMap(f => ownConnectClasses(f.file, f.text)))];
}

function declaresConnect(cls: Node): boolean {
  return cls.body.body.some(
    (m: Node) =>
      !m.static &&
      !m.computed &&
      m.key?.type === 'Identifier' &&
      m.key.name === 'connect' &&
      (m.type === 'ClassMethod' || (m.type === 'ClassProperty' && /Function/.test(m.value?.type ?? '')))
  );
}

/**
 * Is the `.connect` at `index` called on a value this file declares only as an instance of such a class: typed as
 * one (`let server: CliServer | undefined`), made with `new` (`const server = new FastMCP(…)`) or by a function the
 * file declares to return one, and never as anything else? A name also typed or made as another class (an SDK
 * server) stays a finding.
 */
export function onOwnConnectClass(code: string, index: number, classes: ReadonlySet<string>): boolean {
  if (classes.size === 0) return false;
  const receiver = /(#?[A-Za-z_$][\w$]*)\s*\??\s*$/.exec(code.slice(Math.max(0, index - 120), index))?.[1];
  if (!receiver) return false;
  const name = receiver.replace(/\$/g, '\\$');
  // `name: Type`, `name?: Type`, `name = new Type(`, `name: Type = new Type(`; object keys with a value (`server:
  // config`) name no class and say nothing either way.
  const evidence = new RegExp(
    String.raw`(?<![\w$])${name}\s*\??\s*(?::\s*(?:new\s+)?([A-Z][\w$]*)|=\s*(?:await\s+)?new\s+([A-Za-z_$][\w$]*))`,
    'g'
  );
  const found = [...code.matchAll(evidence)].map(m => m[1] ?? m[2]!);
  // `const session = this.#createSession(auth)`: what the function the file declares says it returns.
  const called = new RegExp(
    String.raw`(?<![\w$])${name}\s*=\s*(?:await\s+)?(?:this\.)?(#?[A-Za-z_$][\w$]*)\s*[(<]`,
    'g'
  );
  for (const m of code.matchAll(called)) {
    const returned = returnedClass(code, m[1]!);
    if (returned) found.push(returned);
  }
  // A type parameter (`session: T` in `class FastMCP<T>`) names no class either way.
  const classNames = found.filter(cls => !typeParameter(code, cls));
  return classNames.length > 0 && classNames.every(cls => classes.has(cls));
}

/**
 * Does the code declare `name` as a type parameter: of a class, interface, type or function (`class FastMCP<T>`), or
 * anywhere with a constraint (`<T extends …>`)? A type argument (`Promise<AppServer>`) is neither.
 */
function typeParameter(code: string, name: string): boolean {
  const n = name.replace(/\$/g, '\\$');
  return new RegExp(
    String.raw`\b(?:class|interface|type|function)\s+[\w$]+\s*<[^>]*?(?<![\w$])${n}\s*(?:extends\b|=|[,>])|` +
      String.raw`[<,]\s*${n}\s+extends\b`
  ).test(code);
}

/** The class a function or method the code declares says it returns (`name(…): C`, `: Promise<C>`), if it says. */
function returnedClass(code: string, fn: string): string | undefined {
  const name = fn.replace(/\$/g, '\\$');
  return new RegExp(
    String.raw`(?<![\w$.])${name}\s*(?:<[^>()]*>)?\s*\([^()]*\)\s*:\s*(?:Promise\s*<\s*)?([A-Z][\w$]*)`
  ).exec(code)?.[1];
}
