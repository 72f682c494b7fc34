/**
 * Servers handed to a serving helper in another module: `startHttp(server)` in index.ts, where http.ts connects the
 * one instance it was given to a transport per request. 2026-07-28 needs a fresh server per request, so the helper
 * must take a factory and every caller must pass one. Neither file can decide that alone: this plan, made over the
 * whole run before any file is rewritten, pairs each such helper with every call of it. A pair is only planned when
 * the helper reads its parameter for nothing but `connect(transport)` and every reference to it in the run is a plain
 * call. A caller that does not use MCP itself (it builds the server through a module that does) is rewritten for its
 * part too; the engine then drops any pair one of its files could not honour (see handoffs.ts) and rewrites those
 * files again without it.
 */
import { parseAst } from '../kit/grammar.js';
import { planInstanceHandoffs, type HandoffImport, type HandoffProvide } from './instance-plan.js';
import { someNode, visit } from '../kit/raw-walk.js';
import { besideConnect, isNonReference, setsUp, takesParameter, TRANSPORT_CLASS } from './plan-ast.js';
import { asyncCore, constructorOf } from '../kit/ast.js';
import { declaredFunctions, exportedFunctions } from '../kit/module-functions.js';
import { reexportIndex, type Reexports } from './reexports.js';
import { importedHelpers } from '../kit/module-imports.js';
import type { Agreement, ModuleResolver, ProjectFile } from '../kit/transform.js';
import { planMethodHandoffs, type HandoffDeclareMethod, type HandoffServeMethod } from './method-handoff-plan.js';

type Node = any;

export interface HandoffServe {
  role: 'serve';
  fn: string;
  index: number;
  /** The helper is a class handed the server by its constructor (constructor-handoffs.ts takes it). */
  construct?: boolean;
  /**
   * Functions of the same module the helper hands its server on to (`runHttp(server)` → `buildApp(server)`), the
   * one that connects first: each takes a factory too, and the helper passes its own on.
   */
  inner?: InnerHelper[];
}
export interface InnerHelper {
  fn: string;
  index: number;
}
export interface HandoffCall {
  role: 'hand';
  local: string;
  index: number;
  /** The helper is a class handed the server by its constructor: `new Host(server)`. */
  construct?: boolean;
  /** The helper is this method of an object declared as one of `receivers` (method-handoff-plan.ts). */
  method?: string;
  receivers?: string[];
  /** Functions declared to return such an object: what they return is a receiver too. */
  makers?: string[];
  /** Untyped parameters (`fn#index`) every caller hands such an object (JavaScript). */
  params?: string[];
}
export type HandoffPart =
  HandoffServe | HandoffCall | HandoffProvide | HandoffImport | HandoffServeMethod | HandoffDeclareMethod;

const SERVES_PER_REQUEST = /\.connect\s*\(/;
const TRANSPORT = /\b(?:SSEServerTransport|\w*StreamableHTTPServerTransport)\b/;
const STDIO = /\bStdioServerTransport\b/;
const STDIO_CLASS = /^StdioServerTransport$/;

export function planHandoffs(
  migrated: ProjectFile[],
  others: () => ProjectFile[],
  resolve: ModuleResolver
): Agreement[] {
  const agreements: Agreement[] = [];
  let files: ProjectFile[] | undefined;
  let byPath: Map<string, ProjectFile> | undefined;
  let reexports: Reexports | undefined;
  // The helpers planned to take a factory, by `file#name#index`: a relay handing its parameter on to one of them
  // takes a factory too.
  const planned = new Set<string>();
  const plan = (
    f: ProjectFile,
    program: Node,
    name: string,
    index: number,
    callersAmong?: Set<string>,
    construct = false,
    inner: InnerHelper[] = []
  ) => {
    // A call in its own module hands it an instance, unless that call is a relay's handing on its own parameter
    // (`runHttp(server)` → `buildApp(server)`): then the relay is the helper, and takes this one along.
    if (ownReferences(program, name) > 0) {
      if (construct || inner.length >= MAX_RELAY_DEPTH) return;
      for (const relay of ownModuleRelays(program, name, index) ?? [])
        plan(f, program, relay.fn, relay.index, callersAmong, false, [...inner, { fn: name, index }]);
      return;
    }
    // The files the run does not migrate are read only once a helper is found: most runs have none.
    files ??= [...migrated, ...others()];
    byPath ??= new Map(files.map(x => [x.file, x]));
    reexports ??= reexportIndex(files, byPath, resolve);
    const flavour = construct ? { construct } : {};
    const chain = inner.length ? { inner } : {};
    const parts: Record<string, HandoffPart> = { [f.file]: { role: 'serve', fn: name, index, ...flavour, ...chain } };
    let calls = 0;
    // Each function of the chain may be called from other modules too: each caller hands a factory to the one it
    // calls (one per file: a file calling two of them is not planned).
    for (const link of [...inner, { fn: name, index }]) {
      // Callers may import it through a barrel, under another name.
      const names = [...reexports.aliases(f.file, link.fn)];
      for (const other of files) {
        if (other === f || !names.some(n => other.text.includes(n))) continue;
        const use = callsOf(other, f.file, link.fn, link.index, byPath, resolve, reexports, construct);
        if (use === 'none') continue;
        if (use === 'impossible' || parts[other.file]) return;
        parts[other.file] = { role: 'hand', local: use.local, index: link.index, ...flavour };
        calls++;
      }
    }
    if (calls === 0) return;
    if (callersAmong && !Object.keys(parts).some(file => callersAmong.has(file))) return;
    agreements.push({ key: `${f.file}#${name}`, parts });
    for (const link of [...inner, { fn: name, index }]) planned.add(`${f.file}#${link.fn}#${link.index}`);
  };
  for (const f of migrated) {
    if (!SERVES_PER_REQUEST.test(f.text) || !TRANSPORT.test(f.text) || !connectsAParameter(f.text)) continue;
    const ast = parseAst(f.file, f.text);
    if (!ast) continue;
    for (const helper of servingHelpers(ast.program)) plan(f, ast.program, helper.name, helper.index);
    // A host class handed its server by its constructor: built in another module as `new Host(server)`.
    for (const host of servingHosts(ast.program)) plan(f, ast.program, host.name, host.index, undefined, true);
  }
  // Relays, to a fixpoint: `startTransport(server, mode)` handing its server on to a planned helper (and
  // connecting it over stdio, or nothing else) takes a factory it passes on; a chain of them is planned link by link.
  for (let round = 0; round < MAX_RELAY_DEPTH && planned.size; round++) {
    const before = planned.size;
    const plannedHelpers = [...planned].map(k => {
      const [file, name, index] = k.split('#');
      return { file: file!, name: name!, index: Number(index) };
    });
    const names = new Set(plannedHelpers.flatMap(h => [...reexports!.aliases(h.file, h.name)]));
    for (const f of migrated) {
      if (![...names].some(n => f.text.includes(n))) continue;
      const ast = parseAst(f.file, f.text);
      if (!ast) continue;
      const helpers = importedHelpers(ast.program, f.file, byPath!, resolve);
      const handsOn = (call: Node, argument: number) => {
        const imported = call.callee?.type === 'Identifier' ? helpers.get(call.callee.name) : undefined;
        return (
          !!imported &&
          plannedHelpers.some(
            h => h.index === argument && reexports!.reaches(imported.module, imported.name, h.file, h.name)
          )
        );
      };
      for (const [name, fn] of exportedFunctions(ast.program)) {
        const core = asyncCore(fn);
        core.params.forEach((p: Node, index: number) => {
          if (planned.has(`${f.file}#${name}#${index}`) || p.type !== 'Identifier') return;
          if (onlyConnected(core.body, p.name, handsOn)) plan(f, ast.program, name, index);
        });
      }
    }
    if (planned.size === before) break;
  }
  // `remote ? startHttp(server) : startStdio(server)`: a caller that now hands a planned helper a factory has no
  // instance left for its stdio helper, so that helper takes the factory too (serveStdio builds a server per
  // connection from it). Only then: a server handed to a stdio helper alone stays as it is (serveStdio(() => server)).
  const handing = new Set(
    agreements.flatMap(a => Object.keys(a.parts).filter(k => (a.parts[k] as HandoffPart).role === 'hand'))
  );
  if (handing.size)
    for (const f of migrated) {
      if (!STDIO.test(f.text) || !SERVES_PER_REQUEST.test(f.text) || !connectsAParameter(f.text)) continue;
      const ast = parseAst(f.file, f.text);
      if (!ast) continue;
      for (const helper of servingHelpers(ast.program, STDIO_CLASS))
        plan(f, ast.program, helper.name, helper.index, handing);
    }
  // An instance one module exports and another connects per request: the first exports a factory the second serves.
  agreements.push(...planInstanceHandoffs(migrated, resolve, () => (files ??= [...migrated, ...others()])));
  // A server handed to a method of a transport object (`provider.connect(server)`): that method takes a factory.
  agreements.push(...planMethodHandoffs(migrated, others));
  return agreements;
}

/** How many links of relays between a caller and the serving helper are followed. */
const MAX_RELAY_DEPTH = 3;

/**
 * Cheap text test before a parse (most files connect a local, not a parameter): does some function's parameter list
 * name an object `connect` is called on? Parameter lists with parentheses inside are not read: such a helper is missed
 * (left as it is, marked), never wrongly planned.
 */
function connectsAParameter(text: string): boolean {
  const connected = new Set([...text.matchAll(/([A-Za-z_$][\w$]*)\s*\.\s*connect\s*\(/g)].map(m => m[1]!));
  for (const m of text.matchAll(/\(([^()]*)\)\s*(?::[^={;]+)?(?:=>|\{)/g))
    for (const param of m[1]!.split(',')) {
      // A constructor's parameter property names its binding after its modifiers (`private readonly server: T`).
      const name = /^\s*(?:(?:public|private|protected|readonly|override)\s+)*([A-Za-z_$][\w$]*)/.exec(param)?.[1];
      if (name && connected.has(name)) return true;
    }
  return false;
}

/**
 * Exported classes that make HTTP or SSE transports and keep a constructor parameter as their server, read for
 * nothing but `this.<member>.connect(…)`: `constructor(private server: McpServer)` or `this.server = server`. The
 * class's side (constructor-handoffs.ts) checks the rest and may still decline; the engine then drops the pair.
 */
function servingHosts(program: Node): { name: string; index: number }[] {
  const out: { name: string; index: number }[] = [];
  for (const s of program.body as Node[]) {
    const cls = s.type === 'ExportNamedDeclaration' ? s.declaration : undefined;
    if (cls?.type !== 'ClassDeclaration' || !cls.id) continue;
    if (!someNode(cls.body, n => n.type === 'NewExpression' && TRANSPORT_CLASS.test(n.callee?.name ?? ''))) continue;
    const ctor = constructorOf(cls.body);
    if (!ctor) continue;
    (ctor.params as Node[]).forEach((param, index) => {
      const member =
        param.type === 'TSParameterProperty' && param.parameter.type === 'Identifier'
          ? param.parameter.name
          : param.type === 'Identifier'
            ? assignedMember(ctor.body, param.name)
            : undefined;
      if (member && onlyConnectedMember(cls.body, member)) out.push({ name: cls.id.name, index });
    });
  }
  return out;
}

/** `this.<member> = name;` among the constructor's statements: the member's name. */
function assignedMember(body: Node, name: string): string | undefined {
  for (const st of body.body as Node[]) {
    const e = st.type === 'ExpressionStatement' ? st.expression : undefined;
    if (e?.type === 'AssignmentExpression' && e.right.type === 'Identifier' && e.right.name === name)
      if (e.left.type === 'MemberExpression' && e.left.object.type === 'ThisExpression' && !e.left.computed)
        return e.left.property.name;
  }
  return undefined;
}

/** Every read of `this.<member>` in the class is `this.<member>.connect(…)` (its one assignment aside). */
function onlyConnectedMember(classBody: Node, member: string): boolean {
  let connects = 0;
  let other = false;
  visit(classBody, (n, parent, key) => {
    if (n.type !== 'MemberExpression' || n.object.type !== 'ThisExpression' || n.computed) return;
    if (n.property.name !== member) return;
    if (parent?.type === 'AssignmentExpression' && key === 'left') return;
    const connects_ = parent?.type === 'MemberExpression' && key === 'object' && parent.property?.name === 'connect';
    if (connects_) connects++;
    else other = true;
  });
  return connects > 0 && !other;
}

/**
 * The module's functions that connect a parameter (and use it for nothing else) to transports they create. One not
 * exported is planned through the exported relays handing it their server (`ownModuleRelays`).
 */
function servingHelpers(program: Node, transport: RegExp = TRANSPORT_CLASS): { name: string; index: number }[] {
  const out: { name: string; index: number }[] = [];
  const functions = declaredFunctions(program.body);
  for (const [name, fn] of functions) {
    const core = asyncCore(fn);
    if (!someNode(core.body, n => n.type === 'NewExpression' && transport.test(n.callee?.name ?? ''))) continue;
    // Its own per-request helpers (`freshTransport(server, res)` declared inside it) connect what they are handed.
    const reachable = new Map([...functions, ...declaredFunctions(core.body.body ?? [])]);
    core.params.forEach((p: Node, index: number) => {
      if (p.type === 'Identifier' && onlyConnected(core.body, p.name, undefined, reachable)) out.push({ name, index });
    });
  }
  return out;
}

/**
 * The functions of the module that call `name` handing it their own parameter at `index`, and use that parameter for
 * nothing else (`export function runHttp(server, port) { const app = buildApp(server); … }`), each with the
 * parameter's position; undefined when some reference to `name` in the module is anything else.
 */
function ownModuleRelays(program: Node, name: string, index: number): InnerHelper[] | undefined {
  const relays: InnerHelper[] = [];
  let accepted = 0;
  const handsOn = (call: Node, argument: number) =>
    argument === index && call.callee?.type === 'Identifier' && call.callee.name === name;
  for (const [relay, fn] of declaredFunctions(program.body)) {
    if (relay === name) continue;
    const core = asyncCore(fn);
    const handing = new Set<string>();
    core.params.forEach((p: Node, at: number) => {
      if (p.type !== 'Identifier' || !onlyConnected(core.body, p.name, handsOn)) return;
      relays.push({ fn: relay, index: at });
      handing.add(p.name);
    });
    visit(core.body, n => {
      if (n.type === 'CallExpression' && handsOn(n, index) && handing.has(n.arguments[index]?.name)) accepted++;
    });
  }
  return relays.length && accepted === ownReferences(program, name) ? relays : undefined;
}

/** How many references to `name` its module holds, besides declaring and exporting it. */
function ownReferences(program: Node, name: string): number {
  let count = 0;
  visit(program, (n, parent, key) => {
    if (n.type !== 'Identifier' || n.name !== name || !parent || isNonReference(parent, key)) return;
    const declares =
      (/^(?:FunctionDeclaration|VariableDeclarator|ClassDeclaration)$/.test(parent.type) && key === 'id') ||
      parent.type === 'ExportSpecifier';
    if (!declares) count++;
  });
  return count;
}

/**
 * `helper(…, server, …)` where `helper` is one of `functions` and uses the parameter there for nothing but connecting
 * it: it connects a server of its own, built for that call.
 */
export function connectsArgument(call: Node, arg: Node, functions: Map<string, Node> | undefined): boolean {
  const fn = call?.type === 'CallExpression' && call.callee?.type === 'Identifier' && functions?.get(call.callee.name);
  if (!fn) return false;
  const core = asyncCore(fn);
  const param = core.params[call.arguments.indexOf(arg)];
  return param?.type === 'Identifier' && onlyConnected(core.body, param.name);
}

/**
 * Every reference to `name` in `body` is `name.connect(x)`, an argument a planned helper takes a factory for
 * (`handsOn`), or sits in a top-level statement that sets the server up first (`registerTools(server)`, which the
 * helper's side moves into a local factory: handoffs.ts), and nothing in `body` declares it again.
 */
function onlyConnected(
  body: Node,
  name: string,
  handsOn?: (call: Node, argument: number) => boolean,
  functions?: Map<string, Node>
): boolean {
  const setup = new Set<Node>((body.body ?? []).filter((s: Node) => setsUp(s, name)));
  // A serving helper's function that connects the server may use it otherwise too: it gets a server of its own.
  const beside = handsOn ? new Set<Node>() : besideConnect(body, name);
  let served = 0;
  let handed = 0;
  let other = false;
  for (const statement of body.body ?? []) {
    visit(statement, (n, parent, key) => {
      if (takesParameter(n, name)) return false;
      if (n.type !== 'Identifier' || n.name !== name) return;
      if (parent && isNonReference(parent, key)) return;
      if (parent?.type === 'CallExpression' && key === 'arguments' && connectsArgument(parent, n, functions)) {
        served++;
        return;
      }
      if (parent?.type === 'CallExpression' && key === 'arguments' && handsOn?.(parent, parent.arguments.indexOf(n))) {
        handed++;
        return;
      }
      const callee = parent?.type === 'MemberExpression' && key === 'object' ? parent : undefined;
      const connects = !!callee && !callee.computed && callee.property.name === 'connect';
      if (beside.has(n)) {
        if (connects) served++;
      } else if (connects) {
        if (setup.has(statement)) other = true;
        served++;
      } else if (!setup.has(statement)) other = true;
    });
  }
  // A variable of the same name inside would make some of those references another variable's (a function taking
  // a parameter of that name was passed over above).
  const redeclared = someNode(body, n => n.type === 'VariableDeclarator' && n.id?.name === name);
  // A relay hands the server on at least once; a helper without handsOn connects it.
  return (handsOn ? handed > 0 : served > 0) && !other && !redeclared;
}

/**
 * How `other` uses helper `name` of `helperFile`: not at all, only as plain calls with the server at `index`
 * (under local name `local`), or in a way a rewrite cannot follow (re-export, namespace import, passed around).
 */
function callsOf(
  other: ProjectFile,
  helperFile: string,
  name: string,
  index: number,
  byPath: Map<string, ProjectFile>,
  resolve: ModuleResolver,
  reexports: Reexports,
  construct = false
): 'none' | 'impossible' | { local: string } {
  const ast = parseAst(other.file, other.text);
  if (!ast) return 'impossible';
  let local: string | undefined;
  for (const s of ast.program.body as Node[]) {
    const source = s.source?.value;
    if (typeof source !== 'string' || !source.startsWith('.')) continue;
    const module = resolve(other.file, source).find(c => byPath.has(c));
    if (!module || !reexports.exposes(module, helperFile, name)) continue;
    // A barrel's re-export calls nothing: the files importing from the barrel are read in their own right.
    if (s.type === 'ExportNamedDeclaration' || s.type === 'ExportAllDeclaration') continue;
    if (s.type !== 'ImportDeclaration') return 'impossible';
    for (const spec of s.specifiers ?? []) {
      if (spec.type === 'ImportNamespaceSpecifier') return 'impossible';
      if (
        spec.type === 'ImportSpecifier' &&
        reexports.reaches(module, spec.imported.name ?? spec.imported.value, helperFile, name)
      )
        local = spec.local.name;
    }
  }
  // `await import('./http.js')`, `require('./http')`: calls through a module object no plan follows.
  if (loadsAtRuntime(ast.program, other.file, helperFile, name, byPath, resolve, reexports)) return 'impossible';
  if (!local) return 'none';
  const target = local;
  let bad = false;
  let calls = 0;
  visit(ast.program, (n, parent, key) => {
    if (n.type !== 'Identifier' || n.name !== target || !parent) return;
    if (parent.type === 'ImportSpecifier' || isNonReference(parent, key)) return;
    if (parent.type === (construct ? 'NewExpression' : 'CallExpression') && key === 'callee') {
      const arg = parent.arguments[index];
      // `this.server`: a class's one server, which the class rewrite can build per request (class-server-factory.ts).
      const field = arg?.type === 'MemberExpression' && arg.object.type === 'ThisExpression' && !arg.computed;
      if (arg && (field || /^(?:Identifier|CallExpression|NewExpression)$/.test(arg.type))) {
        calls++;
        return;
      }
    }
    bad = true;
  });
  return bad || calls === 0 ? 'impossible' : { local: target };
}

/** Does the program load the helper's module (or a barrel exposing the helper) by `import()` or `require()`? */
function loadsAtRuntime(
  program: Node,
  from: string,
  helperFile: string,
  name: string,
  byPath: Map<string, ProjectFile>,
  resolve: ModuleResolver,
  reexports: Reexports
): boolean {
  return someNode(program, n => {
    const dynamic = n.type === 'ImportExpression' || (n.type === 'CallExpression' && n.callee?.type === 'Import');
    const required = n.type === 'CallExpression' && n.callee?.type === 'Identifier' && n.callee.name === 'require';
    const source = n.type === 'ImportExpression' ? n.source : n.arguments?.[0];
    if (!(dynamic || required) || typeof source?.value !== 'string' || !source.value.startsWith('.')) return false;
    const module = resolve(from, source.value).find(c => byPath.has(c));
    return !!module && reexports.exposes(module, helperFile, name);
  });
}
