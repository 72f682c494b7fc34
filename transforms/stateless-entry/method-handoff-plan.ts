/**
 * A server handed to a method of a transport object: `transportProvider.connect(server)`, where each provider class
 * (`HttpTransportProvider implements TransportProvider`) connects the one instance it was given, over HTTP once per
 * session through its own methods (`this.setupRoutes(server)` → `this.handlePost(server, req, res)` →
 * `server.connect(transport)`), or once over stdio. 2026-07-28 needs a fresh server per request, so the method takes
 * a factory, every implementation of it connects what the factory builds, the interface declares the factory, and
 * every caller hands one: planned over the run, because the class, the interface and the callers sit in different
 * modules. Only when every use of the parameter, method to method, is a `connect` or a hand-on to the next, every
 * implementation of an interface does the same, and each call's receiver is declared as the interface or a class.
 */
import { parseAst } from '../kit/grammar.js';
import { visit } from '../kit/raw-walk.js';
import { packageScope } from '../kit/package-json.js';
import type { Agreement, ProjectFile } from '../kit/transform.js';
import { isNonReference, takesParameter } from './plan-ast.js';

type Node = any;

/** The classes of a file whose method `method` takes a factory at `index`, and the methods it hands it on to. */
export interface HandoffServeMethod {
  role: 'serve-method';
  method: string;
  index: number;
  classes: string[];
  /** Per class, its methods no other code of the run names (JavaScript has no `private` to say so). */
  unreferenced?: Record<string, string[]>;
}
/** The interface the classes implement declares the method's parameter as a factory. */
export interface HandoffDeclareMethod {
  role: 'declare-method';
  method: string;
  index: number;
  interfaces: string[];
}

/** A method's parameter, by `method#index`. */
type ParamKey = string;

const SERVES = /\.connect\s*\(/;
const TRANSPORTS = /\b(?:SSEServerTransport|\w*StreamableHTTPServerTransport|StdioServerTransport)\b/;

export function planMethodHandoffs(migrated: ProjectFile[], others: () => ProjectFile[]): Agreement[] {
  const candidates = new Map<string, Candidate>();
  for (const f of migrated) {
    if (!SERVES.test(f.text) || !TRANSPORTS.test(f.text) || !/\bclass\b/.test(f.text)) continue;
    const program = parseAst(f.file, f.text)?.program;
    if (!program) continue;
    for (const cls of classesOf(program)) {
      const methods = methodsOf(cls.body);
      for (const key of servedParameters(cls.body)) {
        const [method, index] = key.split('#');
        const m = methods.get(method!);
        if (!m || m.accessibility === 'private' || m.accessibility === 'protected') continue;
        if (calledOnThis(cls.body, method!)) continue;
        const ifaces = implemented(cls);
        for (const iface of ifaces.length ? ifaces : [undefined])
          candidates.set(`${iface ?? cls.id.name}#${method}#${index}`, {
            iface,
            cls: cls.id.name,
            file: f.file,
            method: method!,
            index: Number(index)
          });
      }
    }
  }
  if (candidates.size === 0) return [];
  groupStructuralCandidates(candidates);
  const all = [...migrated, ...others()];
  const migrating = new Set(migrated.map(f => f.file));
  // What a candidate's names can mean is read in the packages that can reach its classes: its own and those that
  // depend on it. A run over a monorepo holds packages that never meet, whose own `startServer(mode)` or
  // `handleSessionRequest` kept another package's providers from taking a factory.
  const scope = packageScope();
  const inView = (c: Candidate) =>
    all.filter(f => [c.file, ...(c.group ?? []).map(g => g.file)].some(home => scope.reaches(home, f.file)));

  const parsed = new Map<string, Node | undefined>();
  const programOf = (f: ProjectFile) => {
    if (!parsed.has(f.file)) parsed.set(f.file, parseAst(f.file, f.text)?.program);
    return parsed.get(f.file);
  };
  const agreements: Agreement[] = [];
  for (const [key, c] of candidates) {
    const parts: Record<string, unknown> = {};
    const put = (file: string, part: unknown) => {
      if (parts[file]) return false;
      parts[file] = part;
      return true;
    };
    // Every class of the run implementing the interface serves its method the same way, in a file being migrated.
    const receivers = new Set<string>([c.iface ?? c.cls, ...(c.group ?? []).map(g => g.cls)]);
    const implementers = new Map<string, string[]>();
    let ok = true;
    for (const f of all) {
      if (!c.iface || !f.text.includes(c.iface) || !/\bimplements\b/.test(f.text)) continue;
      const program = programOf(f);
      if (!program) continue;
      for (const cls of classesOf(program)) {
        if (!implemented(cls).includes(c.iface)) continue;
        if (!migrating.has(f.file) || !servedParameters(cls.body).has(`${c.method}#${c.index}`)) ok = false;
        implementers.set(f.file, [...(implementers.get(f.file) ?? []), cls.id.name]);
        receivers.add(cls.id.name);
      }
    }
    if (!c.iface)
      for (const g of c.group ?? [{ cls: c.cls, file: c.file }])
        implementers.set(g.file, [...(implementers.get(g.file) ?? []), g.cls]);
    // JavaScript implements nothing: a class of the run with the method that does not serve its parameter is
    // another kind of receiver, which no call site could be told apart from.
    const seen = inView(c);
    if (c.group && seen.some(f => f.text.includes(`${c.method}(`) && othersWithMethod(programOf(f), c, receivers)))
      continue;
    // Another way to be one that no rewrite here follows: a subclass (it may override the method), or an object typed
    // as the interface (`const fake: TransportProvider = { connect: async server => … }`, a test's stand-in).
    if (all.some(f => [...receivers].some(r => otherwiseOne(f.text, r)))) continue;
    if (!ok) continue;
    for (const [file, classes] of implementers) {
      const own = all.find(f => f.file === file);
      const unreferenced = c.group && own ? unreferencedMethods(own, seen, programOf(own), classes) : undefined;
      ok =
        put(file, {
          role: 'serve-method',
          method: c.method,
          index: c.index,
          classes,
          ...(unreferenced ? { unreferenced } : {})
        }) && ok;
    }
    if (c.iface) {
      const declares = new RegExp(`\\binterface\\s+${c.iface.replace(/[$]/g, '\\$')}\\b`);
      const declaring = all.filter(f => declares.test(f.text));
      const declared = declaring.filter(f => declaresMethod(programOf(f), c.iface!, c.method, c.index));
      if (declared.length !== 1 || declaring.length !== 1 || !migrating.has(declared[0]!.file)) continue;
      ok =
        put(declared[0]!.file, { role: 'declare-method', method: c.method, index: c.index, interfaces: [c.iface] }) &&
        ok;
    }
    // Functions of the run declared to return one (`createTransportProvider(kind): TransportProvider`).
    const mentions = (f: ProjectFile, names: Iterable<string>) => [...names].some(n => f.text.includes(n));
    const makers = [
      ...new Set(all.flatMap(f => (mentions(f, receivers) ? makersIn(programOf(f), [...receivers]) : [])))
    ];
    // Untyped parameters every caller of their function hands a receiver (`startServer(transportProvider)`, called
    // as `startServer(createTransportProvider(config))` or with a variable holding one): JavaScript's way to say so.
    const params = c.group ? receiverParameters(seen, programOf, c.method, [...receivers], makers) : [];
    const paramFunctions = params.map(p => p.split('#')[0]!);
    // The callers: `<receiver>.method(server)` where the receiver is declared as the interface or a class.
    let calls = 0;
    for (const f of seen) {
      if (!mentions(f, [...receivers, ...makers, ...paramFunctions]) || !f.text.includes(`.${c.method}(`)) continue;
      const program = programOf(f);
      const found = program ? receiverCalls(program, c.method, [...receivers], makers, params) : undefined;
      if (found === undefined) {
        ok = false;
        break;
      }
      const handing = found.filter(call => call.arguments.length > c.index);
      if (handing.length === 0) continue;
      if (handing.some(call => !/^(?:Identifier|CallExpression|NewExpression)$/.test(call.arguments[c.index].type)))
        ok = false;
      const hand = {
        role: 'hand',
        local: c.method,
        index: c.index,
        method: c.method,
        receivers: [...receivers],
        makers,
        ...(params.length ? { params } : {})
      };
      ok = put(f.file, hand) && ok;
      calls += handing.length;
    }
    if (!ok || calls === 0) continue;
    agreements.push({ key: `method:${key}`, parts });
  }
  return agreements;
}

/** `extends Name`, or a value typed as it: `: Name =`, `as Name`, `satisfies Name`, `(): Name {` returning a literal. */
function otherwiseOne(text: string, name: string): boolean {
  if (!text.includes(name)) return false;
  const n = name.replace(/[$]/g, '\\$');
  return new RegExp(
    `\\bextends\\s+${n}\\b|:\\s*${n}\\s*=\\s*\\{|\\bas\\s+${n}\\b|\\bsatisfies\\s+${n}\\b|:\\s*${n}\\s*\\{\\s*return\\s*\\{`
  ).test(text);
}

function classesOf(program: Node): Node[] {
  const out: Node[] = [];
  visit(program, n => {
    if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) out.push(n);
  });
  return out;
}

function implemented(cls: Node): string[] {
  return (cls.implements ?? []).flatMap((i: Node) => (i.expression?.type === 'Identifier' ? [i.expression.name] : []));
}

export function methodsOf(classBody: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const m of classBody.body as Node[])
    if (m.type === 'ClassMethod' && m.kind === 'method' && !m.static && !m.computed && m.key?.type === 'Identifier')
      out.set(m.key.name, m);
  return out;
}

/** `this.method(…)` somewhere in the class: the method is one link of a chain, not where callers hand a server. */
function calledOnThis(classBody: Node, method: string): boolean {
  let found = false;
  visit(classBody, n => {
    const callee = n.type === 'CallExpression' ? n.callee : undefined;
    if (
      callee?.type === 'MemberExpression' &&
      callee.object.type === 'ThisExpression' &&
      callee.property?.name === method
    )
      found = true;
  });
  return found;
}

/**
 * The methods' parameters used for nothing but `param.connect(…)` and handing on to another such parameter of the
 * class (`this.handlePost(param, req, res)`), inside nested callbacks too, each at least one of those: `method#index`.
 */
export function servedParameters(classBody: Node): Set<ParamKey> {
  const uses = new Map<ParamKey, { connects: number; handsOn: ParamKey[] }>();
  for (const [name, m] of methodsOf(classBody))
    (m.params as Node[]).forEach((param, index) => {
      if (param.type !== 'Identifier') return;
      const found = parameterUses(m.body, param.name);
      if (found) uses.set(`${name}#${index}`, found);
    });
  // Drop what hands on to a parameter that is not served itself, until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const [key, u] of uses)
      if (u.handsOn.some(k => !uses.has(k)) || (u.connects === 0 && u.handsOn.length === 0)) {
        uses.delete(key);
        changed = true;
      }
  }
  return new Set(uses.keys());
}

/** How `name` is used in `body`: connected, or handed on to `this.<method>(…)`; undefined for any other use. */
export function parameterUses(body: Node, name: string): { connects: number; handsOn: ParamKey[] } | undefined {
  let connects = 0;
  const handsOn: ParamKey[] = [];
  let other = false;
  visit(
    body,
    (n, parent, key) => {
      if (takesParameter(n, name)) return false;
      if (n.type === 'VariableDeclarator' && n.id?.name === name) other = true;
      if (n.type !== 'Identifier' || n.name !== name || !parent || isNonReference(parent, key)) return;
      if (
        parent.type === 'MemberExpression' &&
        key === 'object' &&
        !parent.computed &&
        parent.property?.name === 'connect'
      )
        connects++;
      else if (
        parent.type === 'CallExpression' &&
        key === 'arguments' &&
        parent.callee?.type === 'MemberExpression' &&
        parent.callee.object.type === 'ThisExpression' &&
        !parent.callee.computed
      )
        handsOn.push(`${parent.callee.property.name}#${parent.arguments.indexOf(n)}`);
      else other = true;
    },
    { skipTypes: true }
  );
  return other ? undefined : { connects, handsOn };
}

/** `interface Name { method(p: T, …): R }` in the program, with a plain parameter at `index`. */
function declaresMethod(program: Node, name: string, method: string, index: number): boolean {
  let found = false;
  visit(program, n => {
    if (n.type !== 'TSInterfaceDeclaration' || n.id?.name !== name) return;
    for (const m of n.body.body as Node[])
      if (m.type === 'TSMethodSignature' && m.key?.name === method && m.parameters?.[index]?.type === 'Identifier')
        found = true;
  });
  return found;
}

/** The functions of the program declared to return one of `receivers` (or a promise of one). */
function makersIn(program: Node, receivers: string[]): string[] {
  const out: string[] = [];
  const returns = (fn: Node) => {
    let type = fn?.returnType?.typeAnnotation;
    if (!type) return returnsOnlyNew(fn, receivers);
    if (type?.type === 'TSTypeReference' && type.typeName?.name === 'Promise') type = type.typeParameters?.params?.[0];
    return type?.type === 'TSTypeReference' && receivers.includes(type.typeName?.name);
  };
  if (!program) return out;
  visit(program, n => {
    if (n.type === 'FunctionDeclaration' && n.id && returns(n)) out.push(n.id.name);
    if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && /Function/.test(n.init?.type ?? ''))
      if (returns(n.init)) out.push(n.id.name);
  });
  return out;
}

/**
 * The calls `x.method(…)` in the program whose receiver is declared as one of `receivers` (a parameter or variable
 * annotated with it, or a variable built with `new Receiver(…)` or by one of `makers`, functions declared to return
 * one), or is such a call itself (`createProvider(kind).connect(server)`); undefined when a receiver's name is
 * declared otherwise too in this file (which call is which would take scopes to tell).
 */
export function receiverCalls(
  program: Node,
  method: string,
  receivers: string[],
  makers: string[] = [],
  params: string[] = []
): Node[] | undefined {
  const typed = new Set<string>();
  const untyped = new Set<string>();
  const madeByOne = (init: Node): boolean => {
    const call = init?.type === 'AwaitExpression' ? init.argument : init;
    return call?.type === 'CallExpression' && call.callee?.type === 'Identifier' && makers.includes(call.callee.name);
  };
  const declare = (id: Node, init?: Node) => {
    if (id?.type !== 'Identifier') return;
    const annotation = id.typeAnnotation?.typeAnnotation;
    const named = annotation?.type === 'TSTypeReference' ? annotation.typeName?.name : undefined;
    const built = init?.type === 'NewExpression' ? init.callee?.name : undefined;
    if (receivers.includes(named) || receivers.includes(built) || madeByOne(init)) typed.add(id.name);
    else untyped.add(id.name);
  };
  visit(program, (n, parent) => {
    if (/Function|ClassMethod/.test(n.type)) {
      const name = n.id?.name ?? (parent?.type === 'VariableDeclarator' ? parent.id?.name : undefined);
      (n.params ?? []).forEach((p: Node, i: number) => {
        if (name && p.type === 'Identifier' && params.includes(`${name}#${i}`)) typed.add(p.name);
        // An untyped parameter its function never calls the method on is no receiver of these calls, whatever
        // its name (`setupProcessHandlers(transportProvider)` only closing it).
        else if (p.type === 'Identifier' && !p.typeAnnotation && !callsMethodOn(n.body, p.name, method)) return;
        else declare(p.type === 'TSParameterProperty' ? p.parameter : p);
      });
    }
    if (n.type === 'VariableDeclarator') declare(n.id, n.init);
  });
  const calls: Node[] = [];
  visit(program, n => {
    const callee = n.type === 'CallExpression' ? n.callee : undefined;
    if (callee?.type !== 'MemberExpression' || callee.computed || callee.property?.name !== method) return;
    const receiver = callee.object;
    if ((receiver.type === 'Identifier' && typed.has(receiver.name)) || madeByOne(receiver)) calls.push(n);
  });
  return [...typed].some(name => untyped.has(name)) ? undefined : calls;
}

interface Candidate {
  iface?: string;
  cls: string;
  file: string;
  method: string;
  index: number;
  /** JavaScript: the classes serving this method alike, though they declare no interface in common. */
  group?: { cls: string; file: string }[];
}

/**
 * Classes declaring no interface (JavaScript) that serve the same method's parameter (`HttpTransportProvider` and
 * `StdioTransportProvider`, each `connect(server)`): one candidate, as an interface would make them.
 */
function groupStructuralCandidates(candidates: Map<string, Candidate>): void {
  const byMethod = new Map<string, [string, Candidate][]>();
  for (const [key, c] of candidates) {
    if (c.iface) continue;
    const k = `${c.method}#${c.index}`;
    byMethod.set(k, [...(byMethod.get(k) ?? []), [key, c]]);
  }
  for (const [k, entries] of byMethod) {
    if (entries.length < 2) continue;
    for (const [key] of entries) candidates.delete(key);
    const [, first] = entries[0]!;
    candidates.set(`~${k}`, { ...first, group: entries.map(([, c]) => ({ cls: c.cls, file: c.file })) });
  }
}

/** A class of the program, not one of `receivers`, with a method named like the candidate's. */
function othersWithMethod(program: Node, c: Candidate, receivers: Set<string>): boolean {
  if (!program) return false;
  return classesOf(program).some(cls => !receivers.has(cls.id.name) && methodsOf(cls.body).has(c.method));
}

/** A function whose every return (one at least, or an arrow's expression body) is `new Receiver(…)`. */
function returnsOnlyNew(fn: Node, receivers: string[]): boolean {
  if (!fn) return false;
  const made = (e: Node) => e?.type === 'NewExpression' && receivers.includes(e.callee?.name);
  if (fn.body?.type !== 'BlockStatement') return made(fn.body);
  let returns = 0;
  let other = false;
  visit(fn.body, n => {
    if (n !== fn.body && /Function/.test(n.type)) return false;
    if (n.type !== 'ReturnStatement') return;
    returns++;
    if (!made(n.argument)) other = true;
  });
  return returns > 0 && !other;
}

/**
 * `fn#index` for each named function of the run whose untyped parameter at `index` is called on for `method`
 * (`transportProvider.connect(server)`), when every reference to the function in the run is a call handing that
 * parameter a receiver: `new Receiver(…)`, a maker's result, or a variable declared as one.
 */
function receiverParameters(
  all: ProjectFile[],
  programOf: (f: ProjectFile) => Node,
  method: string,
  receivers: string[],
  makers: string[]
): string[] {
  const out: string[] = [];
  const calledOn = new RegExp(String.raw`\b(\w+)\.${method}\(`, 'g');
  for (const f of all) {
    const names = new Set([...f.text.matchAll(calledOn)].map(m => m[1]!));
    if (!names.size) continue;
    const program = programOf(f);
    if (!program) continue;
    visit(program, (n, parent) => {
      if (!/Function/.test(n.type)) return;
      const fn = n.id?.name ?? (parent?.type === 'VariableDeclarator' ? parent.id?.name : undefined);
      if (!fn) return;
      (n.params as Node[]).forEach((p, i) => {
        if (p.type !== 'Identifier' || p.typeAnnotation || !names.has(p.name)) return;
        if (everyCallHandsOne(all, programOf, fn, i, receivers, makers)) out.push(`${fn}#${i}`);
      });
    });
  }
  return out;
}

function everyCallHandsOne(
  all: ProjectFile[],
  programOf: (f: ProjectFile) => Node,
  fn: string,
  index: number,
  receivers: string[],
  makers: string[]
): boolean {
  let calls = 0;
  for (const f of all) {
    if (!f.text.includes(fn)) continue;
    const program = programOf(f);
    if (!program) return false;
    const typed = new Set<string>();
    visit(program, n => {
      if (n.type !== 'VariableDeclarator' || n.id?.type !== 'Identifier') return;
      const init = n.init?.type === 'AwaitExpression' ? n.init.argument : n.init;
      if (handsOne(init, receivers, makers, new Set())) typed.add(n.id.name);
    });
    let ok = true;
    visit(program, (n, parent, key) => {
      if (n.type !== 'Identifier' || n.name !== fn || !parent || isNonReference(parent, key)) return;
      // Its declaration, and the import and export specifiers that carry the name.
      if (/Function/.test(parent.type) && key === 'id') return;
      if (parent.type === 'VariableDeclarator' && key === 'id') return;
      if (/^(?:Import|Export)\w*Specifier$/.test(parent.type)) return;
      if (parent.type === 'CallExpression' && key === 'callee') {
        calls++;
        if (!handsOne(parent.arguments[index], receivers, makers, typed)) ok = false;
        return;
      }
      ok = false;
    });
    if (!ok) return false;
  }
  return calls > 0;
}

function handsOne(arg: Node, receivers: string[], makers: string[], typed: Set<string>): boolean {
  const e = arg?.type === 'AwaitExpression' ? arg.argument : arg;
  if (e?.type === 'NewExpression') return receivers.includes(e.callee?.name);
  if (e?.type === 'CallExpression') return e.callee?.type === 'Identifier' && makers.includes(e.callee.name);
  return e?.type === 'Identifier' && typed.has(e.name);
}

/** `name.method(…)` somewhere in `body`. */
function callsMethodOn(body: Node, name: string, method: string): boolean {
  let found = false;
  visit(body, n => {
    if (
      n.type === 'CallExpression' &&
      n.callee?.type === 'MemberExpression' &&
      !n.callee.computed &&
      n.callee.property?.name === method &&
      n.callee.object?.type === 'Identifier' &&
      n.callee.object.name === name
    )
      found = true;
  });
  return found;
}

/**
 * For each class: its methods whose name no other file of the run mentions and its own file mentions only inside the
 * class (a compiled class's helpers, `handleSseRequest`, which TypeScript had declared private).
 */
/**
 * Could `text` (another module) reach a method called `name`: a member read (`provider.name`, `?.name`), a quoted
 * name (`provider['name']`, a spy on it), or the name between braces (destructured, or a shorthand property)? A bare
 * function of its own by the same name cannot (another package's `const handleSessionRequest = …` kept a provider's
 * `handleSessionRequest` from being rewritten when both were migrated in one run).
 */
function namesMember(text: string, name: string): boolean {
  if (!text.includes(name)) return false;
  return new RegExp(String.raw`\??\.\s*${name}\b|['"\x60]${name}['"\x60]|\{[^{}]*\b${name}\b[^{}]*\}`).test(text);
}

function unreferencedMethods(
  own: ProjectFile,
  all: ProjectFile[],
  program: Node,
  classes: string[]
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!program) return out;
  for (const cls of classesOf(program)) {
    if (!classes.includes(cls.id.name)) continue;
    const names = [...methodsOf(cls.body).keys()].filter(name => {
      const mention = new RegExp(String.raw`\b${name}\b`);
      if (all.some(f => f.file !== own.file && namesMember(f.text, name))) return false;
      return [...own.text.matchAll(new RegExp(mention, 'g'))].every(m => m.index! >= cls.start && m.index! < cls.end);
    });
    out[cls.id.name] = names;
  }
  return out;
}
