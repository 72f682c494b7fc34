/**
 * A host class handed its server by its constructor: `class HttpHost { constructor(private server: McpServer) {} …
 * app.post('/mcp', … await this.server.connect(transport) …) }`, built in the same module as `new HttpHost(
 * buildServer(), port)`. The one instance would be connected once per session; 2026-07-28 serves a fresh server
 * per request, so, as a serving helper function does (local-handoffs.ts), the class takes a factory instead
 * (`private createServer: () => McpServer`), its connects connect `this.createServer()`, and every construction
 * hands one (`new HttpHost(() => buildServer(), port)`); the entry rewrites then serve that member per request.
 * Only for a class the module does not export (another module may construct it with an instance), that makes an
 * HTTP or SSE transport, reads the server for nothing but `connect`, and whose every reference is a construction.
 */
import type { ASTPath } from 'jscodeshift';
import { constructorOf, isValueReference, thisMember } from '../kit/ast.js';
import { connectOf } from './class-server-factory.js';
import { factoryName, typeAsFactory } from './factory-parameter.js';
import type { EntryContext } from './entry-context.js';
import { handFactory } from './handoffs.js';
import type { HandoffServe } from './handoff-plan.js';
import { exportedNames } from './local-handoffs.js';
import { TRANSPORT_CLASS } from './plan-ast.js';

type Node = any;

interface HeldServer {
  /** The class's constructor, which takes the server at `index`. */
  ctor: Node;
  index: number;
  /** The member holding it: `this.server`. */
  member: string;
  /** The constructor parameter: a parameter property's own, or the one assigned to the member. */
  param: Node;
  /** `private server: McpServer;` declared in the class body, if it is. */
  declared?: Node;
}

export function applyConstructorHandoffs(ctx: EntryContext): void {
  const { j, root } = ctx;
  const exported = exportedNames(ctx);
  root
    .find(j.ClassDeclaration)
    .filter((p: ASTPath<any>) => !!p.node.id && !exported.has(p.node.id.name) && makesTransports(ctx, p.node))
    .forEach((p: ASTPath<any>) => {
      const held = heldServer(ctx, p.node);
      if (!held) return;
      const name = p.node.id.name;
      const part = { role: 'hand' as const, local: name, index: held.index, construct: true };
      if (!onlyConstructed(ctx, p.node, held.index)) return;
      const handed = new Set(root.find(j.NewExpression, { callee: { type: 'Identifier', name } }).nodes());
      const servedBy = (use: ASTPath<any>) =>
        handed.has(use.parent?.node) && use.parent.node.arguments[held.index] === use.node;
      if (handFactory(ctx, part, servedBy)) takeFactoryMember(ctx, p.node, held);
    });
}

/** The class side of a handoff planned over the run: the exported class `part.fn` takes a factory at `part.index`. */
export function takeConstructorFactory(ctx: EntryContext, part: HandoffServe): boolean {
  const { j, root } = ctx;
  const cls = root
    .find(j.ClassDeclaration, { id: { name: part.fn } })
    .nodes()
    .find((c: Node) => makesTransports(ctx, c));
  const held = cls ? heldServer(ctx, cls) : undefined;
  if (!cls || !held || held.index !== part.index) return false;
  takeFactoryMember(ctx, cls, held);
  return true;
}

function makesTransports(ctx: EntryContext, cls: Node): boolean {
  const { j } = ctx;
  return j(cls.body)
    .find(j.NewExpression)
    .some((p: ASTPath<any>) => TRANSPORT_CLASS.test(p.node.callee?.name ?? ''));
}

/** The constructor parameter the class keeps as its server, when the class reads it for nothing but `connect`. */
function heldServer(ctx: EntryContext, cls: Node): HeldServer | undefined {
  const { j } = ctx;
  const ctor = constructorOf(cls.body);
  if (!ctor) return undefined;
  for (const [index, param] of (ctor.params as Node[]).entries()) {
    let member: string | undefined;
    let assignment: Node | undefined;
    if (param.type === 'TSParameterProperty' && param.parameter.type === 'Identifier') {
      member = param.parameter.name;
    } else if (param.type === 'Identifier') {
      // `this.server = server;`, the parameter's one use.
      const uses = j(ctor.body)
        .find(j.Identifier, { name: param.name })
        .filter((p: ASTPath<any>) => isValueReference(p))
        .paths();
      const parent = uses[0]?.parent?.node;
      if (uses.length !== 1 || parent?.type !== 'AssignmentExpression' || parent.right !== uses[0]!.node) continue;
      if (!thisMember(parent.left) || uses[0]!.parent.parent?.node.type !== 'ExpressionStatement') continue;
      member = parent.left.property.name;
      assignment = parent;
    }
    if (!member) continue;
    const name = member;
    const uses = j(cls.body)
      .find(j.MemberExpression)
      .filter((p: ASTPath<any>) => thisMember(p.node, name) && p.parent?.node !== assignment)
      .paths();
    if (uses.length === 0 || !uses.every((u: ASTPath<any>) => connectOf(u))) continue;
    const declared = cls.body.body.find(
      (m: Node) => m.type === 'ClassProperty' && !m.static && m.key?.type === 'Identifier' && m.key.name === name
    );
    // A member with a value of its own, or assigned anywhere else, is not only the constructor's server.
    if (declared?.value) continue;
    const assigned = j(cls.body)
      .find(j.AssignmentExpression)
      .filter((p: ASTPath<any>) => thisMember(p.node.left, name) && p.node !== assignment)
      .size();
    if (assigned) continue;
    return { ctor, index, member: name, param, declared };
  }
  return undefined;
}

/** Every reference to the class in the module is `new Class(…)` handing something at `index`. */
function onlyConstructed(ctx: EntryContext, cls: Node, index: number): boolean {
  const { j, root } = ctx;
  const name = cls.id.name;
  const references = root
    .find(j.Identifier, { name })
    .filter((p: ASTPath<any>) => isValueReference(p) && p.node !== cls.id)
    .paths();
  return (
    references.length > 0 &&
    references.every((p: ASTPath<any>) => {
      const parent = p.parent.node;
      const arg = parent.type === 'NewExpression' && parent.callee === p.node ? parent.arguments[index] : undefined;
      return /^(?:Identifier|CallExpression|NewExpression)$/.test(arg?.type ?? '');
    })
  );
}

/**
 * The member becomes a factory: renamed (a `server` that builds servers would mislead), typed `() => T` where it was
 * `T`, and each `this.server.connect(t)` connects `this.createServer()`.
 */
function takeFactoryMember(ctx: EntryContext, cls: Node, held: HeldServer): void {
  const { j, root } = ctx;
  const factory = factoryName(j, root);
  const asFactory = (id: Node) => typeAsFactory(j, id);
  j(cls.body)
    .find(j.MemberExpression)
    .filter((p: ASTPath<any>) => thisMember(p.node, held.member))
    .forEach((p: ASTPath<any>) => {
      const outer = p.parent.node;
      const built = j.callExpression(j.memberExpression(j.thisExpression(), j.identifier(factory)), []);
      if (outer.type === 'MemberExpression' && outer.object === p.node) outer.object = built;
      else p.node.property = j.identifier(factory);
    });
  if (held.param.type === 'TSParameterProperty') {
    held.param.parameter.name = factory;
    asFactory(held.param.parameter);
  } else {
    // Its one use is the assignment to the member: both take the factory's name.
    j(held.ctor.body)
      .find(j.Identifier, { name: held.param.name })
      .filter((p: ASTPath<any>) => isValueReference(p))
      .forEach((p: ASTPath<any>) => void (p.node.name = factory));
    held.param.name = factory;
    asFactory(held.param);
  }
  if (held.declared) {
    held.declared.key = j.identifier(factory);
    asFactory(held.declared);
  }
  ctx.factoryMembers.add(factory);
  ctx.changed = true;
}
