/**
 * A project's own server wrapper with a `connect` method of its own (fastmcp's `FastMCP` and its sessions, MongoDB's
 * `CliServer`): `wrapper.connect(transport)` runs that method, not the SDK's. Whether the wrapper serves 2026-07-28
 * is decided in its body, where `check` reports the SDK connect it makes (or the migration rewrote it); flagging
 * every caller too (a test suite connects in each test) reported one fix many times over. Which classes have such a
 * method is read from every file of the run, so a test importing the class from a workspace package knows it.
 */
import { parseAst } from '../parse.js';
import { visit } from '../../transforms/kit/raw-walk.js';
import { onlyInstanceOf } from '../../transforms/request-envelope/instance-classes.js';

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
  return onlyInstanceOf(code, index, classes);
}
