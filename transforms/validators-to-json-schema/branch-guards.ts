/**
 * The checks one tool's code opens with, moved into that tool's schema literal where exact: a branch of the
 * `tools/call` handler, the function a branch delegates to in the same module, or one in another module
 * (delegated-modules.ts). After declarations that only bind the arguments, every leading `if (COND) throw …` /
 * `return { isError }` is read; TypeScript's narrowing decides which moved checks must stay in the code as well.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { propertyKey, statementRemoval } from '../kit/ast.js';
import type { TextEdit } from '../kit/text-edits.js';
import { unusedImportRemoval } from '../kit/import-edits.js';
import { isGuardStatement } from './argument-guards/syntax.js';
import { fieldsRead, moveGuardsIntoSchema, readsOnlyArguments } from './argument-guards/schema-edits.js';
import { markerEdit } from '../kit/markers.js';
import type { TransformOptions } from '../kit/transform.js';
import { castType, settledFields } from './argument-guards/file-facts.js';
import type { GuardMarker } from './argument-guards/registered-tools.js';
import type { Json } from './argument-guards/types.js';
import { isRequestParam, orEmpty } from './low-level-tools.js';

type Node = any;

/** What reading a tool's checks needs from the file: its text and facts, and the handler's request name, if any. */
export interface BranchReading {
  j: JSCodeshift;
  src: string;
  program: Node;
  q: string;
  ts: boolean;
  mark: GuardMarker;
  guards: Map<string, { params: string[]; body: Node }>;
  constants: Map<string, Json[]>;
  /** The `tools/call` handler's request parameter; '' in a function that has none. */
  request: string;
}

/**
 * Moves the checks `statements` open with into `schema`; `args` names the arguments object there, `typed` the types
 * their names are declared or cast to.
 */
export function moveBranchGuards(
  r: BranchReading,
  schema: Node,
  statements: Node[],
  bound: { args: Set<string>; typed: Map<string, string> }
): { edits: TextEdit[]; removed: Node[] } | undefined {
  const { j, program, request } = r;
  const { args, typed } = bound;
  const locals = new Map<string, string>();
  const checks: Node[] = [];
  for (const s of statements) {
    if (
      s.type === 'VariableDeclaration' &&
      s.kind === 'const' &&
      s.declarations.every((d: Node) => bindsArguments(d, request, args, locals, typed))
    )
      continue;
    if (isGuardStatement(s)) {
      checks.push(s);
      continue;
    }
    break;
  }
  // A check may go although TypeScript narrows on it when the arguments are `any`, or cast to one type of the
  // file whose fields the check reads are required and settled (string, number, …).
  const types = new Set([...args, ...locals.keys()].map(a => typed.get(a)));
  const [only] = types;
  const settled = types.size === 1 && only && only !== 'any' ? settledFields(program, only) : undefined;
  const reading = {
    argsNames: args,
    isArgs: (n: Node) => !!request && isRequestParam(orEmpty(n), request, 'arguments'),
    locals,
    guards: r.guards,
    constants: r.constants
  };
  const callsGuard = (check: Node) =>
    j(check.test)
      .find(j.CallExpression)
      .some((p: ASTPath<any>) => p.node.callee.type === 'Identifier' && r.guards.has(p.node.callee.name));
  const loose = (check: Node) =>
    !mentionsRequest(j, check, request) &&
    (only === 'any' && types.size === 1
      ? true
      : !!settled && !callsGuard(check) && fieldsRead(check, reading).every(f => settled.has(f)));
  const move = moveGuardsIntoSchema(
    r.src,
    schema,
    checks,
    r.q,
    reading,
    (check, narrows) => r.ts && narrows && !loose(check)
  );
  if (!move) return undefined;
  return { edits: [...move.edits, ...r.mark(move.unmoved, reading)], removed: move.removed };
}

/**
 * The module's type guards and constant lists (`names`) only removed checks read, removed too (noUnusedLocals would
 * fail otherwise).
 */
export function unreadDeclarations(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  removed: Node[],
  names: string[]
): { edits: TextEdit[]; removed: Node[] } {
  const out = { edits: [] as TextEdit[], removed: [] as Node[] };
  for (const name of names) {
    // A declaration removed before this one (a type guard reading the list) counts as a removed check.
    const gone = [...removed, ...out.removed].reduce((n, s) => n + j(s).find(j.Identifier, { name }).size(), 0);
    const decl = gone ? declarationRemoval(j, root, name, gone) : undefined;
    if (!decl) continue;
    out.edits.push(statementRemoval(src, decl));
    out.removed.push(decl);
  }
  return out;
}

/** A check that reads only the arguments but stays is validation the schema does not say: a NOTE says so. */
export function guardNotes(src: string, options: TransformOptions, id: string): GuardMarker {
  return (unmoved, reading) =>
    unmoved.flatMap(({ check, reason }) => {
      if (!readsOnlyArguments(check, reading)) return [];
      const e = markerEdit(
        src,
        check,
        'NOTE',
        `${id}/hand-check`,
        `this argument check is not in the advertised inputSchema (${reason}); clients cannot see it, so say it in the schema where it can be said`,
        options
      );
      return e ? [e] : [];
    });
}

const ERROR_NAMES = ['ProtocolError', 'ProtocolErrorCode', 'McpError', 'ErrorCode'];

/** Error classes only the `gone` code used: their imports go. */
export function errorImportsOnlyIn(j: JSCodeshift, root: Collection<any>, src: string, gone: Node[]): TextEdit[] {
  return ERROR_NAMES.flatMap(name => {
    const refs = gone.reduce((n, s) => n + j(s).find(j.Identifier, { name }).size(), 0);
    return refs ? (unusedImportRemoval(j, root, src, name, refs) ?? []) : [];
  });
}

function mentionsRequest(j: JSCodeshift, node: Node, request: string): boolean {
  return !!request && j(node).find(j.Identifier, { name: request }).size() > 0;
}

/** `const a = request.params.arguments as T` (an alias) or `const { x, y } = a` (locals), else false. */
function bindsArguments(
  d: Node,
  request: string,
  args: Set<string>,
  locals: Map<string, string>,
  typed: Map<string, string>
): boolean {
  const init = orEmpty(d.init);
  const fromArgs =
    (!!request && isRequestParam(init, request, 'arguments')) || (init?.type === 'Identifier' && args.has(init.name));
  if (!fromArgs) return false;
  const type = castType(d.init) ?? (init?.type === 'Identifier' ? typed.get(init.name) : undefined);
  if (d.id.type === 'Identifier') {
    args.add(d.id.name);
    if (type) typed.set(d.id.name, type);
  } else if (d.id.type === 'ObjectPattern') {
    for (const p of d.id.properties) {
      const key = propertyKey(p);
      if (key && p.value?.type === 'Identifier') {
        locals.set(p.value.name, key);
        if (type) typed.set(p.value.name, type);
      }
      // A local with a default no longer tells absent from present: checks on it are not read.
      else if (p.type !== 'RestElement' && p.value?.type !== 'AssignmentPattern') return false;
    }
  } else return false;
  return true;
}

/** A type guard or list constant only the removed checks read goes too (noUnusedLocals would fail otherwise). */
function declarationRemoval(
  j: JSCodeshift,
  root: Collection<any>,
  name: string,
  goneReferences: number
): Node | undefined {
  const refs = root
    .find(j.Identifier, { name })
    .filter(
      (p: ASTPath<any>) =>
        !(p.parent.node.type === 'FunctionDeclaration' && p.parent.node.id === p.node) &&
        !(p.parent.node.type === 'VariableDeclarator' && p.parent.node.id === p.node)
    )
    .size();
  if (goneReferences === 0 || refs > goneReferences) return undefined;
  return root
    .get()
    .node.program.body.find(
      (s: Node) =>
        (s.type === 'FunctionDeclaration' && s.id?.name === name) ||
        (s.type === 'VariableDeclaration' && s.declarations.length === 1 && s.declarations[0]?.id?.name === name)
    );
}
