/**
 * Helpers in one module that ask the client for tools in others (`export async function elicitProject(server, …)`
 * awaiting `server.server.elicitInput(…)`, called by the tool modules). The helper must take the tools' context and
 * return the question, and every caller must pass its context and forward what comes back: neither file can decide
 * that alone. This plan, made over the whole run, pairs each exported helper that sends a server→client request with
 * every module that imports it; each file then checks its own part (helper-rounds.ts) and the engine drops the pair,
 * rewriting both again without it, when one of them cannot.
 */
import { packageScope } from '../kit/package-json.js';
import { parseAst } from '../kit/grammar.js';
import { wholeIdentifier } from '../kit/ast.js';
import { importedHelpers } from '../kit/module-imports.js';
import { someNode, visit } from '../kit/raw-walk.js';
import { arityOf } from './helper-rounds.js';
import type { Agreement, ModuleResolver, ProjectFile } from '../kit/transform.js';

type Node = any;

/**
 * `rounds`: some tool calls this helper beside another one the plan pairs (a project, then a team): each question
 * is one round of several, so the helper asks through the tool's `InputRounds` (keyed by its name) instead of its
 * context, and every tool calling it opens those rounds.
 */
export type AskingPart =
  | { role: 'asks'; fn: string; rounds?: boolean }
  | { role: 'forwards'; local: string; arity: { all: number; required: number }; rounds?: boolean };

/** A server→client request made by method (`x.elicitInput(`, …) in a file's text. */
export const ASKS = /\.\s*(?:elicitInput|createMessage|requestSampling|listRoots)\s*\(/;
const ASKING_METHODS = new Set(['elicitInput', 'createMessage', 'requestSampling', 'listRoots']);

export function planAskingHelpers(
  migrated: ProjectFile[],
  others: () => ProjectFile[],
  resolve: ModuleResolver
): Agreement[] {
  const agreements: Agreement[] = [];
  const scope = packageScope();
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
        // Only the packages that can reach the helper's module can call it: another package of a monorepo run with
        // a `confirm` of its own does not make the helper's callers unknown.
        if (other === f || !mentioned.test(other.text) || !scope.reaches(f.file, other.file)) continue;
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
  if (files && agreements.length > 1) markRounds(agreements, files);
  return agreements;
}

/** Marks the helpers some function of a caller calls beside another planned helper: they ask in rounds. */
function markRounds(agreements: Agreement[], files: ProjectFile[]): void {
  const helpersIn = new Map<string, Map<string, string>>();
  for (const a of agreements)
    for (const [file, part] of Object.entries(a.parts) as [string, AskingPart][])
      if (part.role === 'forwards') helpersIn.set(file, (helpersIn.get(file) ?? new Map()).set(part.local, a.key));
  const inRounds = new Set<string>();
  for (const [file, locals] of helpersIn) {
    if (locals.size < 2) continue;
    const f = files.find(x => x.file === file);
    const program = f && parseAst(f.file, f.text)?.program;
    if (!program) continue;
    const calledBy = new Map<Node, Set<string>>();
    visit(program, (n, _parent, _key, enclosing) => {
      const key = n.type === 'CallExpression' && n.callee.type === 'Identifier' ? locals.get(n.callee.name) : undefined;
      if (key && enclosing) calledBy.set(enclosing, (calledBy.get(enclosing) ?? new Set()).add(key));
    });
    for (const keys of calledBy.values()) if (keys.size > 1) for (const k of keys) inRounds.add(k);
  }
  for (const a of agreements)
    if (inRounds.has(a.key)) for (const part of Object.values(a.parts) as AskingPart[]) part.rounds = true;
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
