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
import type { Agreement, ProjectFile } from '../kit/transform.js';
import { isNonReference, takesParameter } from './plan-ast.js';

type Node = any;

/** The classes of a file whose method `method` takes a factory at `index`, and the methods it hands it on to. */
export interface HandoffServeMethod {
  role: 'serve-method';
  method: string;
  index: number;
  classes: string[];
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
  const candidates = new Map<string, { iface?: string; cls: string; file: string; method: string; index: number }>();
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
  const all = [...migrated, ...others()];
  const migrating = new Set(migrated.map(f => f.file));
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
    const receivers = new Set<string>([c.iface ?? c.cls]);
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
    if (!c.iface) implementers.set(c.file, [c.cls]);
    // Another way to be one that no rewrite here follows: a subclass (it may override the method), or an object typed
    // as the interface (`const fake: TransportProvider = { connect: async server => … }`, a test's stand-in).
    if (all.some(f => [...receivers].some(r => otherwiseOne(f.text, r)))) continue;
    if (!ok) continue;
    for (const [file, classes] of implementers)
      ok = put(file, { role: 'serve-method', method: c.method, index: c.index, classes }) && ok;
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
    // The callers: `<receiver>.method(server)` where the receiver is declared as the interface or a class.
    let calls = 0;
    for (const f of all) {
      if (!mentions(f, [...receivers, ...makers]) || !f.text.includes(`.${c.method}(`)) continue;
      const program = programOf(f);
      const found = program ? receiverCalls(program, c.method, [...receivers], makers) : undefined;
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
        makers
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
  makers: string[] = []
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
  visit(program, n => {
    if (/Function|ClassMethod/.test(n.type))
      for (const p of n.params ?? []) declare(p.type === 'TSParameterProperty' ? p.parameter : p);
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
