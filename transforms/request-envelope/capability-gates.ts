/**
 * Tools registered only when the connecting client declared a capability:
 *
 *   const caps = server.server.getClientCapabilities() || {};
 *   if (caps.elicitation !== undefined) server.registerTool('ask', …);
 *
 * and `oninitialized` hooks that run such registrations once the client is known. On 2026-07-28 there is no
 * initialize: at set-up `getClientCapabilities()` describes nobody and the hook never fires, so the tool is never
 * registered for anyone. A request carries its client's capabilities itself, and the spec's answer to a request
 * that needs one the client did not declare is a -32021 error for that request (the SDK's inputRequired rounds
 * answer exactly that), not a tool list that depends on who asks (tools/list is the same for every caller). So
 * the gate goes: the registrations run for every client, with a NOTE saying so. Only where the gated code does
 * nothing but register (and log, and set a flag); anything else the capability decides keeps its TODO.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { encloses, isLogCall, isValueReference, statementsOf } from '../kit/ast.js';
import { isSpanEvent } from '../kit/tool-registrations.js';
import { rangeOf } from '../kit/text-edits.js';
import { someNode, visit } from '../kit/raw-walk.js';

type Node = any;

const REGISTER = /^(registerTool|registerPrompt|registerResource|tool|prompt|resource)$/;
const REGISTERS_BY_NAME = /^(register|install|add|mount|attach)/i;

/** The request handler a use of the capabilities sits in (whose context tells its client), if any. */
export type HandlerOf = (use: ASTPath<any>) => Node | undefined;

export interface GateLift {
  /** getClientCapabilities() calls this lift accounts for (removed, or left only in log lines). */
  handled: Set<Node>;
  /** Statements now registering for every client, to carry the NOTE. */
  ungated: Node[];
  /** Declarations kept because a log line prints them: the capabilities they hold are absent on 2026-07-28. */
  loggedOnly: Node[];
}

/**
 * The source the server is named by, from what a capability read or hook hangs off: `server.server` (the McpServer's
 * low-level Server) → `server`, `this.server.server` → `this.server`; a low-level server itself stays as it is.
 */
function serverText(src: string, receiver: Node): string | undefined {
  if (receiver?.type === 'MemberExpression' && !receiver.computed && receiver.property?.name === 'server')
    receiver = receiver.object;
  return receiver ? textOf(src, receiver) : undefined;
}

function unwrapValue(n: Node): Node {
  while (n && (n.type === 'TSAsExpression' || n.type === 'ParenthesizedExpression' || n.type === 'TSNonNullExpression'))
    n = n.expression;
  return n;
}

/** `caps.k`, `caps?.k`, and those compared with undefined/null, doubled `!!`, or passed to `Boolean(…)`. */
function capabilityTerm(p: ASTPath<any>): ASTPath<any> | undefined {
  const parent = p.parent;
  if (!/^(Optional)?MemberExpression$/.test(parent?.node.type ?? '') || parent.node.object !== p.node) return undefined;
  let term = parent;
  for (;;) {
    const up = term.parent?.node;
    if (!up) return term;
    if (up.type === 'ParenthesizedExpression') term = term.parent;
    // `caps.tasks?.requests?.elicitation?.create`: a capability's nested part is read as the capability is.
    else if (/^(Optional)?MemberExpression$/.test(up.type) && up.object === term.node && !up.computed)
      term = term.parent;
    else if (
      up.type === 'BinaryExpression' &&
      (up.operator === '!==' || up.operator === '!=') &&
      [up.left, up.right].some(
        (x: Node) =>
          x.type === 'NullLiteral' ||
          (x.type === 'Identifier' && x.name === 'undefined') ||
          (x.type === 'Literal' && x.value === null)
      )
    )
      term = term.parent;
    else if (
      up.type === 'UnaryExpression' &&
      up.operator === '!' &&
      term.parent.parent?.node.type === 'UnaryExpression' &&
      term.parent.parent.node.operator === '!'
    )
      term = term.parent.parent;
    else if (
      up.type === 'CallExpression' &&
      up.callee.type === 'Identifier' &&
      up.callee.name === 'Boolean' &&
      up.arguments.length === 1
    )
      term = term.parent;
    else return term;
  }
}

/** The `if` whose test has `term` as its whole test or as one operand of a chain of `&&`. */
function gateOf(term: ASTPath<any>): ASTPath<any> | undefined {
  let cur = term;
  while (cur.parent?.node.type === 'LogicalExpression' && cur.parent.node.operator === '&&') cur = cur.parent;
  const up = cur.parent;
  return up?.node.type === 'IfStatement' && up.node.test === cur.node ? up : undefined;
}

function conjuncts(test: Node): Node[] {
  const t = unwrapValue(test);
  return t.type === 'LogicalExpression' && t.operator === '&&' ? [...conjuncts(t.left), ...conjuncts(t.right)] : [t];
}

function isReport(n: Node): boolean {
  if (isLogCall(n)) return true;
  const callee = n?.type === 'CallExpression' ? n.callee : undefined;
  return isSpanEvent(n) || (callee?.type === 'MemberExpression' && callee.property?.name === 'sendLoggingMessage');
}

/** The statements a gate may hold: registrations, calls handed the server, loops of those, log lines, flags. */
function registersOnly(statement: Node, server: string, src: string): boolean {
  if (!statement) return true;
  if (statement.type === 'BlockStatement') return statement.body.every((s: Node) => registersOnly(s, server, src));
  if (statement.type === 'ForOfStatement') return registersOnly(statement.body, server, src);
  if (statement.type !== 'ExpressionStatement') return false;
  const e = unwrapValue(
    statement.expression.type === 'AwaitExpression' ? statement.expression.argument : statement.expression
  );
  if (e.type === 'AssignmentExpression')
    return (
      e.left.type === 'Identifier' &&
      /^(BooleanLiteral|Literal)$/.test(e.right.type) &&
      typeof e.right.value === 'boolean'
    );
  if (e.type !== 'CallExpression') return false;
  if (isReport(e)) return true;
  const callee = e.callee;
  if (callee.type === 'MemberExpression' && REGISTER.test(callee.property?.name ?? '')) return true;
  // `registerElicitationTools(server)`, `tool.installTo(server)`: named for registering, and handed the server.
  const name = callee.type === 'Identifier' ? callee.name : callee.property?.name;
  const handsServer = e.arguments.some((a: Node) => textOf(src, a) === server);
  if (handsServer && REGISTERS_BY_NAME.test(name ?? '')) return true;
  // `tools.forEach((tool) => tool.installTo(server))`
  if (callee.type === 'MemberExpression' && callee.property?.name === 'forEach' && e.arguments.length === 1) {
    const fn = e.arguments[0];
    if (!/^(Arrow)?FunctionExpression$/.test(fn.type)) return false;
    const body = fn.body.type === 'BlockStatement' ? fn.body : { type: 'ExpressionStatement', expression: fn.body };
    return registersOnly(body, server, src);
  }
  return false;
}

function onlyReports(statement: Node): boolean {
  if (!statement) return true;
  if (statement.type === 'BlockStatement') return statement.body.every(onlyReports);
  return statement.type === 'ExpressionStatement' && isReport(unwrapValue(statement.expression));
}

function sameCode(src: string, a: Node[], b: Node[]): boolean {
  const code = (ns: Node[]) => ns.map(n => textOf(src, n).replace(/\s+/g, '')).join('&&');
  return code(a) === code(b);
}

/** Value references of `name` inside `scope` that resolve to the binding declared by `declarator`. */
function references(j: JSCodeshift, scopePath: ASTPath<any>, declarator: ASTPath<any>): ASTPath<any>[] {
  const name = declarator.node.id.name;
  const binding = declarator.scope?.lookup(name);
  return j(scopePath)
    .find(j.Identifier, { name })
    .filter(
      (u: ASTPath<any>) => u.node !== declarator.node.id && isValueReference(u) && u.scope?.lookup(name) === binding
    )
    .paths();
}

interface Gate {
  ifPath: ASTPath<any>;
  /** The test's operands that read the capability. */
  terms: Node[];
  /** The test's other operands: what the `if` still tests once the gate goes. */
  rest: Node[];
}

/**
 * Plans and applies the lift for one `getClientCapabilities()` call outside any handler; returns false (and
 * changes nothing) when some use of the capabilities is not a gate over registrations or a log line.
 */
function liftOne(j: JSCodeshift, src: string, call: ASTPath<any>, lift: GateLift, handlerOf: HandlerOf): boolean {
  const server = serverText(src, call.node.callee.object);
  if (!server) return false;
  // `getClientCapabilities()`, `… || {}`, `… ?? {}` as the init of a const, or read in place.
  let value: ASTPath<any> = call;
  while (/^(TSAsExpression|ParenthesizedExpression)$/.test(value.parent?.node.type)) value = value.parent;
  if (
    value.parent?.node.type === 'LogicalExpression' &&
    value.parent.node.left === value.node &&
    /^(\|\||\?\?)$/.test(value.parent.node.operator)
  )
    value = value.parent;
  const declarator =
    value.parent?.node.type === 'VariableDeclarator' && value.parent.node.init === value.node
      ? value.parent
      : undefined;
  const gates = new Map<Node, Gate>();
  const flags: ASTPath<any>[] = [];
  const logged: ASTPath<any>[] = [];
  const addGate = (term: ASTPath<any>) => {
    const gate = gateOf(term);
    if (!gate) return false;
    const g = gates.get(gate.node) ?? { ifPath: gate, terms: [], rest: [] };
    g.terms.push(conjuncts(gate.node.test).find(c => encloses(c, term.node))!);
    gates.set(gate.node, g);
    return true;
  };
  const inReport = (u: ASTPath<any>) => {
    for (
      let cur: ASTPath<any> | null = u.parent;
      cur && !/Statement|Declaration$/.test(cur.node.type);
      cur = cur.parent
    )
      if (cur.node.type === 'CallExpression' && isReport(cur.node)) return true;
    return false;
  };
  // `const elicitation = caps.elicitation as { url?: object } | undefined;` read only as capabilities are (its own
  // gates and flags: `const supportsUrl = elicitation?.url !== undefined`): the part goes with them.
  // A handler reading the capabilities (or a flag made of them) answers its own request's client: it gets its own
  // copy of the declarations it reads, whose accessor call index.ts then reads from that request's envelope.
  const perRequest = new Map<Node, Set<Node>>();
  const readInHandler = (u: ASTPath<any>, held: Node[]): boolean => {
    const fn = handlerOf(u);
    if (!fn) return false;
    const needs = perRequest.get(fn) ?? new Set<Node>();
    for (const d of held) needs.add(d);
    perRequest.set(fn, needs);
    return true;
  };
  const readsPart = (term: ASTPath<any>, before: Node[]): boolean => {
    if (!/MemberExpression$/.test(term.node.type)) return false;
    let held = term;
    while (/^(TSAsExpression|TSNonNullExpression|ParenthesizedExpression)$/.test(held.parent?.node.type))
      held = held.parent;
    const part =
      held.parent?.node.type === 'VariableDeclarator' && held.parent.node.init === held.node ? held.parent : undefined;
    if (!part || part.node.id.type !== 'Identifier' || part.parent.node.kind !== 'const') return false;
    if (part.parent.node.declarations.length !== 1) return false;
    const uses = references(j, part.parent.parent, part);
    if (uses.length === 0 || !readsFrom(uses, [...before, part.parent.node])) return false;
    flags.push(part.parent);
    return true;
  };
  const readsFrom = (uses: ASTPath<any>[], held: Node[] = []): boolean =>
    uses.every(u => {
      if (inReport(u)) return logged.push(u) > 0;
      if (readInHandler(u, held)) return true;
      const term = capabilityTerm(u);
      if (!term) return false;
      if (addGate(term)) return true;
      if (readsPart(term, held)) return true;
      // `const supportsX: boolean = caps.x !== undefined;` read only by gates
      const flagDecl =
        term.parent?.node.type === 'VariableDeclarator' && term.parent.node.init === term.node
          ? term.parent
          : undefined;
      if (!flagDecl || flagDecl.node.id.type !== 'Identifier' || flagDecl.parent.node.kind !== 'const') return false;
      if (flagDecl.parent.node.declarations.length !== 1) return false;
      const flagUses = references(j, flagDecl.parent.parent, flagDecl);
      const flag = [...held, flagDecl.parent.node];
      if (flagUses.length === 0 || !flagUses.every(f => readInHandler(f, flag) || addGate(f))) return false;
      flags.push(flagDecl.parent);
      return true;
    });
  if (declarator) {
    if (declarator.node.id.type !== 'Identifier' || declarator.parent.node.kind !== 'const') return false;
    if (declarator.parent.node.declarations.length !== 1) return false;
    if (!readsFrom(references(j, declarator.parent.parent, declarator))) return false;
  } else {
    // Read in place: `if (server.server.getClientCapabilities()?.sampling) …`
    const term = capabilityTerm(value);
    if (!term || !addGate(term)) return false;
  }
  if (gates.size === 0 && perRequest.size === 0) {
    if (!declarator || logged.length === 0) return false;
  }
  // A copy reading `this.server` means another `this` inside a `function` handler: only arrows share the outer one.
  const copiesFor = new Map([...perRequest].map(([fn, needs]) => [fn, [declarator!.parent.node, ...needs]]));
  for (const [fn, copies] of copiesFor) {
    if (fn.type !== 'ArrowFunctionExpression' && copies.some(c => someNode(c, n => n.type === 'ThisExpression')))
      return false;
    // Nor where the handler's own parameters or locals take a name the copies declare or read (`async ({ caps }) =>`).
    const own = namesDeclaredBy(fn);
    if (copies.some(c => namesIn(c).some(n => own.has(n)))) return false;
  }
  for (const g of gates.values()) {
    const { ifPath, terms } = g;
    if (!registersOnly(ifPath.node.consequent, server, src)) return false;
    const rest = (g.rest = conjuncts(ifPath.node.test).filter(c => !terms.includes(c)));
    const alt = ifPath.node.alternate;
    // `else log('skipping …')`, or `else if (<the rest of the test>) log(…)`: what a client without it was told.
    const altGoes =
      !alt ||
      onlyReports(alt) ||
      (alt.type === 'IfStatement' &&
        !alt.alternate &&
        onlyReports(alt.consequent) &&
        sameCode(src, conjuncts(alt.test), rest));
    if (!altGoes) return false;
  }
  // Apply: the handlers' own copies, every gate, then the flags, then the declaration (kept when a log line prints it).
  for (const [fn, copies] of copiesFor) readPerRequest(j, src, fn, copies);
  for (const { ifPath, rest } of gates.values()) {
    const node = ifPath.node;
    if (rest.length > 0) {
      node.test = rest.reduce((a: Node, b: Node) => j.logicalExpression('&&', a, b));
      node.alternate = null;
      lift.ungated.push(node);
      continue;
    }
    const body: Node[] = statementsOf(node.consequent);
    if (body.length === 0) {
      j(ifPath).remove();
      continue;
    }
    body[0].comments = [...(node.comments ?? []), ...(body[0].comments ?? [])];
    lift.ungated.push(body[0]);
    ifPath.replace(...body);
  }
  for (const f of flags) j(f).remove();
  if (declarator) {
    if (logged.length === 0) j(declarator.parent).remove();
    else lift.loggedOnly.push(declarator.parent.node);
  }
  lift.handled.add(call.node);
  return true;
}

/** Lifts every capability gate it can; calls it cannot account for are left to the caller's TODO. */
export function liftCapabilityGates(
  j: JSCodeshift,
  src: string,
  outsideHandlers: ASTPath<any>[],
  handlerOf: HandlerOf
): GateLift {
  const lift: GateLift = { handled: new Set(), ungated: [], loggedOnly: [] };
  for (const call of outsideHandlers) {
    if (call.node.callee.property?.name !== 'getClientCapabilities') continue;
    liftOne(j, src, call, lift, handlerOf);
  }
  return lift;
}

/**
 * `x.oninitialized = () => { registerConditionalTools(server); … }`: the registrations in the hook run at set-up,
 * where the hook was assigned (the hook never fires on 2026-07-28). What else the hook does stays in it, marked
 * by the caller; a hook left empty goes. Returns the statements moved (to carry the NOTE) and whether the hook went.
 */
export function hoistHookRegistrations(
  j: JSCodeshift,
  src: string,
  assignment: ASTPath<any>
): { moved: Node[]; hookRemoved: boolean } {
  const none = { moved: [], hookRemoved: false };
  const fn = assignment.node.right;
  if (!/^(Arrow)?FunctionExpression$/.test(fn?.type) || fn.body.type !== 'BlockStatement') return none;
  const statement = assignment.parent;
  if (statement?.node.type !== 'ExpressionStatement' || !Array.isArray(statement.parent?.node.body)) return none;
  const server = serverText(src, assignment.node.left.object)!;
  const moved = fn.body.body.filter(
    (s: Node) => s.type === 'ExpressionStatement' && !onlyReports(s) && registersOnly(s, server, src)
  );
  if (moved.length === 0) return none;
  fn.body.body = fn.body.body.filter((s: Node) => !moved.includes(s));
  const container: Node[] = statement.parent.node.body;
  container.splice(container.indexOf(statement.node), 0, ...moved);
  const hookRemoved = fn.body.body.length === 0;
  if (hookRemoved) {
    moved[0].comments = [...(statement.node.comments ?? []), ...(moved[0].comments ?? [])];
    container.splice(container.indexOf(statement.node), 1);
  }
  return { moved, hookRemoved };
}

/**
 * Puts copies of `declarations` (the capabilities, then the parts and flags made of them, in source order) first in
 * the handler `fn`: the same names, now read for the request the handler answers.
 */
function readPerRequest(j: JSCodeshift, src: string, fn: Node, declarations: Node[]): void {
  const copies = [...new Set(declarations)]
    .sort((a, b) => a.start - b.start)
    .map(d => unplaced(j(textOf(src, d)).find(j.Program).get().node.body[0]));
  if (fn.body.type === 'BlockStatement') fn.body.body.unshift(...copies);
  else fn.body = j.blockStatement([...copies, j.returnStatement(fn.body)]);
}

/** The names a function's parameters and its body's own declarations bind. */
function namesDeclaredBy(fn: Node): Set<string> {
  const names = new Set<string>();
  for (const p of fn.params ?? []) for (const n of namesIn(p)) names.add(n);
  for (const st of fn.body?.type === 'BlockStatement' ? fn.body.body : [])
    if (st.type === 'VariableDeclaration') for (const d of st.declarations) for (const n of namesIn(d.id)) names.add(n);
  return names;
}

/** The variables a node names (not the properties it reads: `caps.roots` names `caps` only). */
function namesIn(node: Node): string[] {
  const names: string[] = [];
  visit(node, (n, parent, key) => {
    if (n.type !== 'Identifier') return;
    if (/MemberExpression$/.test(parent?.type ?? '') && key === 'property' && !parent.computed) return;
    if (/^(?:Object)?Property$/.test(parent?.type ?? '') && key === 'key' && !parent.computed && !parent.shorthand)
      return;
    names.push(n.name);
  });
  return names;
}

/** A parsed snippet's node without its positions, so that recast prints it as new code in its new place. */
function unplaced(node: Node): Node {
  visit(node, n => {
    n.loc = null;
    n.original = undefined;
  });
  return node;
}

/** A node's text as written: recast's offsets count a leading tab as four columns (text-edits.ts `rangeOf`). */
function textOf(src: string, node: Node): string {
  const { start, end } = rangeOf(src, node);
  return src.slice(start, end);
}
