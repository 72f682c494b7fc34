/**
 * Helpers in one module that ask the client for tools in others (`export async function elicitProject(server, …)`
 * awaiting `server.server.elicitInput(…)`, called by the tool modules). The helper must take the tools' context and
 * return the question, and every caller must pass its context and forward what comes back: neither file can decide
 * that alone. This plan, made over the whole run, pairs each exported helper that sends a server→client request with
 * every module that imports it; each file then checks its own part (helper-rounds.ts) and the engine drops the pair,
 * rewriting both again without it, when one of them cannot.
 */
import { parseAst } from '../kit/grammar.js';
import { wholeIdentifier } from '../kit/ast.js';
import { importedHelpers } from '../kit/module-imports.js';
import { someNode } from '../kit/raw-walk.js';
import { arityOf } from './helper-rounds.js';
import type { Agreement, ModuleResolver, ProjectFile } from '../kit/transform.js';

type Node = any;

export type AskingPart =
  { role: 'asks'; fn: string } | { role: 'forwards'; local: string; arity: { all: number; required: number } };

const ASKS = /\.\s*(?:elicitInput|createMessage|requestSampling|listRoots)\s*\(/;
const ASKING_METHODS = new Set(['elicitInput', 'createMessage', 'requestSampling', 'listRoots']);

export function planAskingHelpers(
  migrated: ProjectFile[],
  others: () => ProjectFile[],
  resolve: ModuleResolver
): Agreement[] {
  const agreements: Agreement[] = [];
  const migrating = new Set(migrated);
  let files: ProjectFile[] | undefined;
  let byPath: Map<string, ProjectFile> | undefined;
  for (const f of migrated) {
    if (!ASKS.test(f.text) || !/\bexport\b/.test(f.text)) continue;
    const ast = parseAst(f.file, f.text);
    if (!ast) continue;
    for (const [name, fn] of exportedAsyncFunctions(ast.program)) {
      if (!someNode(fn.body, isAsking)) continue;
      // The files the run does not migrate are read only once such a helper is found: most runs have none.
      files ??= [...migrated, ...others()];
      byPath ??= new Map(files.map(x => [x.file, x]));
      const parts: Record<string, AskingPart> = { [f.file]: { role: 'asks', fn: name } };
      // The name as a whole identifier (`$` is a word character of identifiers, not of regexes).
      const mentioned = wholeIdentifier(name);
      let complete = true;
      for (const other of files) {
        if (other === f || !mentioned.test(other.text)) continue;
        const program = parseAst(other.file, other.text)?.program;
        const local = program && importedAs(program, other.file, f.file, name, byPath, resolve);
        // Named anywhere else (a barrel, a namespace import, a require): not every caller is known.
        if (!local || !migrating.has(other)) {
          complete = false;
          break;
        }
        parts[other.file] = { role: 'forwards', local, arity: arityOf(fn) };
      }
      if (complete && Object.keys(parts).length > 1) agreements.push({ key: `${f.file}#${name}#asks`, parts });
    }
  }
  return agreements;
}

/** A server→client request call: `x.elicitInput(…)` and the like. */
function isAsking(n: Node): boolean {
  return (
    n.type === 'CallExpression' &&
    /MemberExpression$/.test(n.callee?.type) &&
    ASKING_METHODS.has(n.callee.property?.name)
  );
}

/** `export async function f(…)` and `export const f = async (…) => …`, by name. */
function exportedAsyncFunctions(program: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const s of program.body as Node[]) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : undefined;
    if (d?.type === 'FunctionDeclaration' && d.async && d.id) out.set(d.id.name, d);
    if (d?.type === 'VariableDeclaration')
      for (const v of d.declarations)
        if (v.id.type === 'Identifier' && /^(Arrow)?Function(Expression)?$/.test(v.init?.type) && v.init.async)
          out.set(v.id.name, v.init);
  }
  return out;
}

/** The local name `file` imports `name` of `from` under, when that import is how it names it. */
function importedAs(
  program: Node,
  file: string,
  from: string,
  name: string,
  byPath: Map<string, ProjectFile>,
  resolve: ModuleResolver
): string | undefined {
  for (const [local, imported] of importedHelpers(program, file, byPath, resolve))
    if (imported.module === from && imported.name === name) return local;
  return undefined;
}
