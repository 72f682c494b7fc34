/**
 * A class that builds its server once — `this.server = new McpServer(…)` in the constructor (or as the field's
 * initializer), registrations on `this.server` there or in methods only the constructor calls — and connects
 * `this.server` to every transport. v2 serves a fresh server per request over HTTP and refuses to connect one
 * instance twice, so the construction becomes a method that builds one (`createServer()`: the server, its setup with
 * `this.server` read as the new local, `return server`), setup methods take that server as a parameter, and each
 * connect site connects what the method returns. The entry rewrites then serve `() => this.createServer()` where
 * the connect was. Only when every use of the field is one of those, or a `close()` at shutdown (each request's
 * server closes with its request); anything else that holds on to the instance leaves the class as it was.
 */
import type { ASTPath } from 'jscodeshift';
import { instanceFields, isConstructor, isFunction, isValueReference, thisMember, within } from '../kit/ast.js';
import { buildsSdkServer } from '../kit/imports.js';
import type { EntryContext } from './entry-context.js';
import { projectServerSubclass, STDIO_CLASS } from './project-classes.js';

type Node = any;

const SERVER_CLASS = /^(?:Mcp)?Server$/;
const FACTORY_NAMES = ['createServer', 'buildServer', 'createMcpServer'];

interface ClassPlan {
  field: string;
  init: Node;
  /** The constructor statement that assigned the field (absent for a field initializer). */
  assignment?: ASTPath<any>;
  /** The field's declaration in the class body, when it has one. */
  declaration?: ASTPath<any>;
  /** Constructor statements that set the server up, in order. */
  setup: ASTPath<any>[];
  /** Methods that set the server up, called once from a constructor statement: method path → that call. */
  setupMethods: Map<Node, Node>;
  connects: ASTPath<any>[];
  /** `this.server` handed to a helper that takes a factory (a planned handoff): it hands one instead. */
  handed: ASTPath<any>[];
  /**
   * Accessors that only hand the instance out (`getServer(): McpServer { return this.server; }`, for tests or an
   * embedding app): each call builds a server instead, set up the same way.
   */
  accessors: ASTPath<any>[];
  closes: ASTPath<any>[];
  /**
   * Methods the class never calls itself that only register on the server (`async init() { this.server.registerTool(
   * …) }`, called by the code that built the object, before it serves): their registrations go into the factory.
   */
  deferred: Node[];
  /**
   * The construction or its setup reads the constructor's parameters or locals (`new Server({ name: config.name })`):
   * a method cannot see them, so the factory is an arrow the constructor keeps in the field's place.
   */
  captures: Set<string>;
}

export function classServersToFactories(ctx: EntryContext): void {
  const { j, root } = ctx;
  root.find(j.ClassBody).forEach((body: ASTPath<any>) => {
    const plan = planClass(ctx, body);
    if (plan) applyPlan(ctx, body, plan);
  });
}

function methodBody(member: Node): Node | undefined {
  if (/^(?:ClassMethod|ClassPrivateMethod)$/.test(member.type)) return member.body;
  if (member.type === 'MethodDefinition') return member.value?.body;
  return undefined;
}

function memberName(member: Node): string | undefined {
  return member.key?.type === 'Identifier' ? member.key.name : undefined;
}

/** `new McpServer(…)` / `new Server(…)` of the SDK (not a project class of that name), or of a project subclass. */
function isServerConstruction(ctx: EntryContext, node: Node): boolean {
  if (node?.type !== 'NewExpression' || node.callee.type !== 'Identifier') return false;
  if (!SERVER_CLASS.test(node.callee.name)) return projectServerSubclass(ctx, node.callee);
  return buildsSdkServer(ctx.j, ctx.root, node);
}

function planClass(ctx: EntryContext, body: ASTPath<any>): ClassPlan | undefined {
  const { j } = ctx;
  const members: Node[] = body.node.body;
  const ctor = members.find(isConstructor);
  const ctorBody = ctor ? methodBody(ctor) : undefined;
  // The field: assigned a new server in a top-level constructor statement, or initialised with one.
  let field: string | undefined;
  let init: Node;
  let assignment: ASTPath<any> | undefined;
  const ctorStatements: ASTPath<any>[] = ctorBody
    ? j(ctorBody)
        .find(j.Statement)
        .filter((p: ASTPath<any>) => p.parent.node === ctorBody)
        .paths()
    : [];
  for (const s of ctorStatements) {
    const e = s.node.type === 'ExpressionStatement' ? s.node.expression : undefined;
    if (
      e?.type === 'AssignmentExpression' &&
      e.operator === '=' &&
      thisMember(e.left) &&
      isServerConstruction(ctx, e.right)
    ) {
      if (field) return undefined;
      field = e.left.property.name;
      init = e.right;
      assignment = s;
    }
  }
  const fieldDeclarations = instanceFields(body);
  if (!field) {
    const initialised = fieldDeclarations.filter(p => isServerConstruction(ctx, p.node.value));
    if (initialised.length !== 1) return undefined;
    field = memberName(initialised[0]!.node)!;
    init = initialised[0]!.node.value;
  }
  const captures = new Set<string>();
  const capture = (statement: ASTPath<any>) => {
    for (const name of constructorLocalsRead(ctx, statement, ctor)) captures.add(name);
  };
  if (assignment && ctor) capture(assignment);
  const declaration = fieldDeclarations.find(p => memberName(p.node) === field);
  if (declaration && assignment && declaration.node.value) return undefined;
  if (members.some(m => memberName(m) === field && !/^(?:ClassProperty|PropertyDefinition)$/.test(m.type)))
    return undefined;

  const plan: ClassPlan = {
    field,
    init,
    assignment,
    declaration,
    setup: [],
    setupMethods: new Map(),
    connects: [],
    handed: [],
    accessors: [],
    closes: [],
    deferred: [],
    captures
  };
  const uses = j(body)
    .find(j.MemberExpression, { object: { type: 'ThisExpression' }, property: { name: field }, computed: false })
    .paths();
  const after = (s: ASTPath<any>) => !assignment || Number(s.name) > Number(assignment.name);
  for (const use of uses) {
    if (assignment && use.node === assignment.node.expression.left) continue;
    const method = methodOf(use, body.node);
    if (!method) return undefined; // `this` is not the instance here (a nested `function`), or outside a method
    if (method === ctor) {
      // Connected in a callback the constructor registers (a route: `this.app.post('/mcp', async (req, res) => {
      // … await this.server.connect(transport) … })`): it runs per request, after construction, like a method's.
      const connect = connectOf(use);
      if (connect && insideFunctionWithin(use, ctor)) {
        plan.connects.push(connect);
        continue;
      }
      // Connected as it is built: there is no moment to hand a factory to an entry.
      if (connect) return undefined;
      const statement = ctorStatements.find(s => within(use, s));
      if (!statement || !after(statement)) return undefined;
      if (closeStatementOf(use)) {
        plan.closes.push(closeStatementOf(use)!);
        continue;
      }
      if (!isSetupStatement(statement.node, field)) return undefined;
      capture(statement);
      if (!plan.setup.includes(statement)) plan.setup.push(statement);
      continue;
    }
    const connect = connectOf(use);
    if (connect) {
      plan.connects.push(connect);
      continue;
    }
    const call = use.parent?.node;
    if (ctx.classHands.some(h => h.calls.includes(call) && call.arguments[h.index] === use.node)) {
      plan.handed.push(use);
      continue;
    }
    const close = closeStatementOf(use);
    if (close) {
      plan.closes.push(close);
      continue;
    }
    if (accessorReturning(method, use)) {
      plan.accessors.push(use);
      continue;
    }
    // A method that only the constructor calls, once, as a statement, sets the server up: it takes it as a parameter.
    const setupCall =
      plan.setupMethods.get(method) ?? setupCallOf(ctx, body.node, method, ctorStatements.filter(after));
    if (setupCall) {
      plan.setupMethods.set(method, setupCall);
      continue;
    }
    if (!plan.deferred.includes(method) && !onlyRegistersLater(ctx, body.node, method, field)) return undefined;
    if (!plan.deferred.includes(method)) plan.deferred.push(method);
  }
  if (plan.connects.length + plan.handed.length === 0) return undefined;
  // Read by an arrow the constructor makes, a name must keep the value it had there; a typed class declares the arrow.
  // Served only over stdio, the one instance is all there is: it stays as it is, as the constructor built it.
  if (
    captures.size &&
    (!assignment ||
      reassigned(ctx, ctor, captures) ||
      typedWithoutType(ctx, declaration) ||
      (!plan.handed.length && plan.connects.every(c => connectsStdio(ctx, c))))
  )
    return undefined;
  // A close inside the server's own setup goes with it; one in a statement that is moved stays a close of that server.
  plan.closes = plan.closes.filter(c => !plan.setup.some(s => within(c, s)));
  return plan;
}

/** `getServer() { return this.server; }`: a method of no parameters whose one statement returns the field. */
function accessorReturning(method: Node, use: ASTPath<any>): boolean {
  const fn = method.type === 'MethodDefinition' ? method.value : method;
  const statements: Node[] = methodBody(method)?.body ?? [];
  return (
    !fn.params?.length &&
    method.kind === 'method' &&
    !method.static &&
    statements.length === 1 &&
    statements[0].type === 'ReturnStatement' &&
    statements[0].argument === use.node &&
    use.parent?.node === statements[0]
  );
}

/** Is there a function between `use` and the member `member` (a callback it registers)? */
function insideFunctionWithin(use: ASTPath<any>, member: Node): boolean {
  const own = methodBody(member);
  for (let cur = use.parent; cur && cur.node !== own; cur = cur.parent) if (isFunction(cur.node)) return true;
  return false;
}

/** The class member whose `this` the expression reads: arrows pass it through, a nested `function` does not. */
function methodOf(use: ASTPath<any>, classBody: Node): Node | undefined {
  for (let cur: ASTPath<any> | null = use.parent; cur; cur = cur.parent) {
    if (cur.parent?.node === classBody) return methodBody(cur.node) ? cur.node : undefined;
    if (isFunction(cur.node) && cur.node.type !== 'ArrowFunctionExpression') {
      // A method's own function node (MethodDefinition's value) is the method.
      if (cur.parent?.node.type === 'MethodDefinition' && cur.parent.parent?.node === classBody) continue;
      return undefined;
    }
  }
  return undefined;
}

/** `this.server.connect(transport)`: the call. */
export function connectOf(use: ASTPath<any>): ASTPath<any> | undefined {
  const member = use.parent;
  const call = member?.parent;
  if (member?.node.type !== 'MemberExpression' || member.node.object !== use.node) return undefined;
  if (member.node.property?.name !== 'connect' || call?.node.type !== 'CallExpression') return undefined;
  return call.node.callee === member.node && call.node.arguments.length === 1 ? call : undefined;
}

/** `await this.server.close();` or `this.server.close();` as a statement of its own. */
function closeStatementOf(use: ASTPath<any>): ASTPath<any> | undefined {
  const member = use.parent;
  const call = member?.parent;
  if (member?.node.type !== 'MemberExpression' || member.node.property?.name !== 'close') return undefined;
  if (call?.node.type !== 'CallExpression' || call.node.callee !== member.node || call.node.arguments.length)
    return undefined;
  const wrapped = call.parent?.node.type === 'AwaitExpression' ? call.parent : call;
  const statement = wrapped.parent;
  return statement?.node.type === 'ExpressionStatement' && statement.parent?.node.type === 'BlockStatement'
    ? statement
    : undefined;
}

/** `this.server.registerTool(…)`, `this.server.onerror = …`, `tools.forEach(t => this.server.registerTool(…))`. */
function isSetupStatement(statement: Node, field: string): boolean {
  if (statement.type !== 'ExpressionStatement') return false;
  const e = statement.expression;
  if (e.type === 'AssignmentExpression') {
    // An assignment into the server (`this.server.server.onerror = …`), never to another field of the object.
    let target = e.left;
    while (target.type === 'MemberExpression' && !(thisMember(target) && target.property.name === field))
      target = target.object;
    return target !== e.left && thisMember(target);
  }
  if (e.type !== 'CallExpression') return false;
  // A shutdown hook registered with the process runs once, not per request.
  const callee = e.callee;
  return !(
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'process'
  );
}

/** `this.server.connect(new StdioServerTransport())`, or of a local built so in the same function. */
function connectsStdio(ctx: EntryContext, connect: ASTPath<any>): boolean {
  const { j } = ctx;
  const isStdio = (n: Node) =>
    n?.type === 'NewExpression' && n.callee.type === 'Identifier' && ctx.sdkName(n.callee.name) === STDIO_CLASS;
  const arg = connect.node.arguments[0];
  if (isStdio(arg)) return true;
  if (arg?.type !== 'Identifier') return false;
  let fn: ASTPath<any> | null = connect.parent;
  while (fn && !isFunction(fn.node)) fn = fn.parent;
  return (
    !!fn &&
    j(fn.node)
      .find(j.VariableDeclarator, { id: { type: 'Identifier', name: arg.name } })
      .some((p: ASTPath<any>) => isStdio(p.node.init))
  );
}

/** Is any of `names` assigned anywhere in the constructor (`options = { ...defaults, ...options }`)? */
function reassigned(ctx: EntryContext, ctor: Node, names: Set<string>): boolean {
  const { j } = ctx;
  const fn = ctor.type === 'MethodDefinition' ? ctor.value : ctor;
  const targets = (p: ASTPath<any>) =>
    j(p.node.type === 'UpdateExpression' ? p.node.argument : p.node.left)
      .find(j.Identifier)
      .some((q: ASTPath<any>) => names.has(q.node.name));
  const direct = (p: ASTPath<any>) => {
    const t = p.node.type === 'UpdateExpression' ? p.node.argument : p.node.left;
    return t.type === 'Identifier' ? names.has(t.name) : targets(p) && t.type !== 'MemberExpression';
  };
  return j(fn.body).find(j.AssignmentExpression).some(direct) || j(fn.body).find(j.UpdateExpression).some(direct);
}

/** A TypeScript class whose server field has no type: the factory's field could not be declared. */
function typedWithoutType(ctx: EntryContext, declaration: ASTPath<any> | undefined): boolean {
  if (!/\.[cm]?tsx?$/.test(ctx.file)) return false;
  return !declaration?.node.typeAnnotation?.typeAnnotation;
}

/**
 * The constructor's parameters and locals the statement reads (which a method cannot see). By name: a parameter
 * property (`constructor(private readonly root: string)`) is no binding ast-types' scopes know of.
 */
function constructorLocalsRead(ctx: EntryContext, statement: ASTPath<any>, ctor: Node | undefined): string[] {
  if (!ctor) return [];
  const { j } = ctx;
  const fn = ctor.type === 'MethodDefinition' ? ctor.value : ctor;
  const names = new Set<string>();
  for (const param of fn.params ?? []) {
    const target = param.type === 'TSParameterProperty' ? param.parameter : param;
    j(target)
      .find(j.Identifier)
      .forEach((p: ASTPath<any>) => void names.add(p.node.name));
    if (target.type === 'Identifier') names.add(target.name);
  }
  j(fn.body)
    .find(j.VariableDeclarator)
    .forEach((p: ASTPath<any>) =>
      j(p.node.id)
        .find(j.Identifier)
        .forEach((q: ASTPath<any>) => void names.add(q.node.name))
    );
  j(fn.body)
    .find(j.FunctionDeclaration)
    .forEach((p: ASTPath<any>) => void (p.node.id && names.add(p.node.id.name)));
  return j(statement)
    .find(j.Identifier)
    .filter((p: ASTPath<any>) => names.has(p.node.name) && isValueReference(p))
    .nodes()
    .map((n: Node) => n.name as string);
}

/**
 * `this.setupHandlers()` as a top-level statement of the constructor, the only call of that method anywhere in the
 * class: the call. (A method called from elsewhere too would need the server there as well.)
 */
function setupCallOf(
  ctx: EntryContext,
  classBody: Node,
  method: Node,
  ctorStatements: ASTPath<any>[]
): Node | undefined {
  const name = memberName(method);
  if (!name || isConstructor(method) || method.static || method.kind === 'get' || method.kind === 'set')
    return undefined;
  const calls = ctx
    .j(classBody)
    .find(ctx.j.MemberExpression, { object: { type: 'ThisExpression' }, property: { name } })
    .paths();
  if (calls.length !== 1) return undefined;
  const call = calls[0]!.parent;
  if (call?.node.type !== 'CallExpression' || call.node.callee !== calls[0]!.node) return undefined;
  const statement = ctorStatements.find(s => s.node.type === 'ExpressionStatement' && s.node.expression === call.node);
  return statement ? call.node : undefined;
}

/**
 * A method the class never calls, every statement of which registers on the server (`this.server.registerTool(…)`,
 * `registerReports(this.server)`), with no `await` or `return`: what its callers ran once before serving, the
 * factory runs for every server it builds.
 */
function onlyRegistersLater(ctx: EntryContext, classBody: Node, method: Node, field: string): boolean {
  const { j } = ctx;
  const name = memberName(method);
  const body = methodBody(method);
  if (!name || !body || isConstructor(method) || method.static || method.kind === 'get' || method.kind === 'set')
    return false;
  const calledHere = j(classBody)
    .find(j.MemberExpression, { object: { type: 'ThisExpression' }, property: { name } })
    .size();
  if (calledHere || body.body.length === 0) return false;
  const mentionsServer = (st: Node) =>
    j(st)
      .find(j.MemberExpression, { object: { type: 'ThisExpression' }, property: { name: field } })
      .size() > 0;
  // Its own awaits and returns (not those of the handlers it registers) would change what the factory is.
  const ownFlow = (st: Node) =>
    j(st)
      .find(j.Node)
      .some(
        (p: ASTPath<any>) =>
          /^(?:AwaitExpression|YieldExpression|ReturnStatement)$/.test(p.node.type) && !insideFunctionWithin(p, method)
      );
  return (body.body as Node[]).every(st => isSetupStatement(st, field) && mentionsServer(st) && !ownFlow(st));
}

function applyPlan(ctx: EntryContext, body: ASTPath<any>, plan: ClassPlan): void {
  const { j } = ctx;
  const members: Node[] = body.node.body;
  const taken = new Set(members.map(memberName).filter(Boolean));
  const factory = FACTORY_NAMES.find(n => !taken.has(n));
  if (!factory) return;
  const moved = [...plan.setup].sort((a, b) => Number(a.name) - Number(b.name));
  const local = localName(ctx, [...moved.map(s => s.node), ...plan.setupMethods.keys(), ...plan.deferred]);
  const serverType = plan.declaration?.node.typeAnnotation?.typeAnnotation;
  const typed = (id: Node) => {
    if (serverType) id.typeAnnotation = j.tsTypeAnnotation(serverType);
    return id;
  };
  const asLocal = (root: Node) =>
    j(root)
      .find(j.MemberExpression, { object: { type: 'ThisExpression' }, property: { name: plan.field }, computed: false })
      .replaceWith(() => j.identifier(local));
  for (const s of moved) asLocal(s.node);
  for (const [method, call] of plan.setupMethods) {
    asLocal(methodBody(method));
    const params = method.type === 'MethodDefinition' ? method.value.params : method.params;
    params.push(typed(j.identifier(local)));
    call.arguments.push(j.identifier(local));
  }
  const setupCalls = [...plan.setupMethods.values()];
  const ctorBody = members.find(isConstructor) ? methodBody(members.find(isConstructor)) : undefined;
  // The constructor calls of setup methods move with the server, in the order they were in.
  const calledFromCtor = ctorBody
    ? (ctorBody.body as Node[]).filter(
        s => s.type === 'ExpressionStatement' && setupCalls.includes(s.expression) && !moved.some(m => m.node === s)
      )
    : [];
  const statements: Node[] = ctorBody
    ? (ctorBody.body as Node[]).filter(s => moved.some(m => m.node === s) || calledFromCtor.includes(s))
    : [];
  // A method its callers ran once before serving: its registrations come last, as they did.
  const later: Node[] = [];
  for (const m of plan.deferred) {
    const own = methodBody(m);
    asLocal(own);
    later.push(...own.body);
    own.body = [];
    ctx.note(
      m,
      'setup-moved',
      `what ${memberName(m)}() registered on the server moved into ${factory}(), which builds a server per request; ` +
        `${memberName(m)}() has nothing left to do`
    );
  }
  const factoryBody = j.blockStatement([
    j.variableDeclaration('const', [j.variableDeclarator(j.identifier(local), plan.init)]),
    ...statements,
    ...later,
    j.returnStatement(j.identifier(local))
  ]);
  if (plan.captures.size) {
    placeFactoryArrow(ctx, plan, factory, factoryBody, ctorBody, statements);
    ctx.factoryMembers.add(factory);
  } else placeFactoryMethod(ctx, body, plan, factory, factoryBody, serverType);
  if (ctorBody) {
    ctorBody.body = (ctorBody.body as Node[]).filter(s => !statements.includes(s) && s !== plan.assignment?.node);
  }
  // A constructor left with nothing to do (no parameters, no base class) goes.
  const ctor = members.find(isConstructor);
  const ctorParams = ctor ? (ctor.type === 'MethodDefinition' ? ctor.value.params : ctor.params) : [];
  const superClass = body.parent?.node.superClass;
  if (ctor && ctorBody && ctorBody.body.length === 0 && !ctorParams.length && !superClass && !ctor.comments?.length)
    members.splice(members.indexOf(ctor), 1);
  for (const c of plan.closes) c.prune();
  const fresh = () => j.callExpression(j.memberExpression(j.thisExpression(), j.identifier(factory)), []);
  for (const c of plan.connects) c.node.callee.object = fresh();
  for (const h of plan.handed) {
    const args: Node[] = h.parent.node.arguments;
    args[args.indexOf(h.node)] = j.arrowFunctionExpression([], fresh());
  }
  for (const a of plan.accessors) {
    a.parent.node.argument = fresh();
    const method = members.find(m => methodBody(m)?.body?.includes(a.parent.node));
    if (method)
      ctx.note(
        method,
        'fresh-server',
        `${memberName(method)}() builds a fresh server on each call now (the class keeps none: one instance cannot ` +
          `serve two requests); a caller that serves what it returns serves \`() => …${memberName(method)}()\``
      );
  }
  ctx.generated.push(factory);
  ctx.changed = true;
}

/** `private createServer(): McpServer { … }` in the field's place, after the constructor. */
function placeFactoryMethod(
  ctx: EntryContext,
  body: ASTPath<any>,
  plan: ClassPlan,
  factory: string,
  factoryBody: Node,
  serverType: Node
): void {
  const { j } = ctx;
  const members: Node[] = body.node.body;
  const method = j.classMethod('method', j.identifier(factory), [], factoryBody);
  if (serverType) method.returnType = j.tsTypeAnnotation(serverType);
  if (plan.declaration?.node.accessibility) (method as Node).accessibility = 'private';
  if (plan.declaration) members.splice(members.indexOf(plan.declaration.node), 1);
  const ctorIndex = members.findIndex(isConstructor);
  const at = ctorIndex >= 0 ? ctorIndex + 1 : members.findIndex(m => methodBody(m));
  members.splice(at < 0 ? members.length : at, 0, method);
}

/**
 * `this.createServer = () => { … }` where the constructor last touched the server (every name it reads is declared
 * by then), the field declared as `private readonly createServer: () => Server` in the server field's place.
 */
function placeFactoryArrow(
  ctx: EntryContext,
  plan: ClassPlan,
  factory: string,
  factoryBody: Node,
  ctorBody: Node,
  moved: Node[]
): void {
  const { j } = ctx;
  const assign = j.expressionStatement(
    j.assignmentExpression(
      '=',
      j.memberExpression(j.thisExpression(), j.identifier(factory)),
      j.arrowFunctionExpression([], factoryBody)
    )
  );
  // What the comment over the construction said, it says over the arrow that now builds.
  assign.comments = plan.assignment!.node.comments;
  const own: Node[] = ctorBody.body;
  const last = Math.max(own.indexOf(plan.assignment!.node), ...moved.map(s => own.indexOf(s)));
  own.splice(last + 1, 0, assign);
  const declaration = plan.declaration?.node;
  if (!declaration) return;
  const type = declaration.typeAnnotation?.typeAnnotation;
  if (!type) {
    declaration.key = j.identifier(factory);
    return;
  }
  const fnType = j.tsFunctionType([]);
  fnType.typeAnnotation = j.tsTypeAnnotation(type);
  const field = j.classProperty(j.identifier(factory), null, j.tsTypeAnnotation(fnType));
  (field as Node).accessibility = declaration.accessibility;
  (field as Node).readonly = true;
  field.comments = declaration.comments;
  plan.declaration!.replace(field);
}

/** `server`, unless the moved code already reads a `server` of its own. */
function localName(ctx: EntryContext, nodes: Node[]): string {
  const { j } = ctx;
  for (const name of ['server', 'mcpServer', 'builtServer']) {
    const clash = nodes.some(n =>
      j(n)
        .find(j.Identifier, { name })
        .some((p: ASTPath<any>) => isValueReference(p))
    );
    if (!clash) return name;
  }
  return 'builtServer';
}
