/**
 * A class whose every instance a static method of its own builds, handing its constructor a fresh server:
 * `private constructor(private readonly mcp: McpServer) {}` and `static create() { const mcp = new McpServer(…); const
 * instance = new WeatherServer(mcp); instance.register(); return instance; }`. Its methods connect `this.mcp`, the one
 * server this instance holds; but the class knows how to build another: `WeatherServer.create().mcp` is a fresh server
 * set up exactly as this one was. That call is the per-request factory, valid inside the class (the field may be
 * private), so the handler is made in the method that serves.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { encloses } from './ast.js';
import { visit } from './raw-walk.js';

type Node = any;

/** `C.create().field` for `this.field` connected at `connect`, or undefined when the class is not built that way. */
export function staticBuilderCall(
  j: JSCodeshift,
  root: Collection<any>,
  connect: ASTPath<any>,
  field: string
): { call: Node; block: Node } | undefined {
  let method: ASTPath<any> | undefined;
  let cls: ASTPath<any> | undefined;
  for (let cur: ASTPath<any> | null = connect.parent; cur; cur = cur.parent) {
    if (!method && cur.node.type === 'ClassMethod') method = cur;
    if (cur.node.type === 'ClassDeclaration') {
      cls = cur;
      break;
    }
  }
  const name: string | undefined = cls?.node.id?.name;
  if (!cls || !name || !method || method.node.static || method.node.body?.type !== 'BlockStatement') return undefined;
  const members: Node[] = cls.node.body.body;
  const ctor = members.find(m => m.type === 'ClassMethod' && m.kind === 'constructor');
  const index = (ctor?.params ?? []).findIndex((p: Node) => takesField(p, field, ctor));
  if (index < 0) return undefined;
  // Another module may build an exported class with a public constructor, around a server of its own.
  const exported = /^Export(?:Named|Default)Declaration$/.test(cls.parent?.node.type ?? '');
  if (exported && ctor.accessibility !== 'private' && ctor.accessibility !== 'protected') return undefined;
  // Every instance is built in one static method that takes nothing and returns what it built.
  const builds = root.find(j.NewExpression, { callee: { type: 'Identifier', name } }).paths();
  if (builds.length !== 1) return undefined;
  const builder = members.find(
    m => m.type === 'ClassMethod' && m.static && m.kind === 'method' && encloses(m, builds[0]!.node)
  );
  if (!builder || builder.params.length !== 0 || builder.key?.type !== 'Identifier') return undefined;
  if (!returnsWhatItBuilt(builder, builds[0]!)) return undefined;
  // The field is set from the constructor alone.
  const reassigned = j(cls.node)
    .find(j.AssignmentExpression, { left: { type: 'MemberExpression', property: { name: field } } })
    .filter((p: ASTPath<any>) => !encloses(ctor, p.node))
    .size();
  if (reassigned) return undefined;
  const call = j.memberExpression(
    j.callExpression(j.memberExpression(j.identifier(name), j.identifier(builder.key.name)), []),
    j.identifier(field)
  );
  return { call, block: method.node.body };
}

/** `private readonly mcp: McpServer` as a parameter property, or a parameter the constructor stores in `this.mcp`. */
function takesField(param: Node, field: string, ctor: Node): boolean {
  if (param.type === 'TSParameterProperty') return param.parameter?.name === field;
  if (param.type !== 'Identifier') return false;
  return (ctor.body?.body ?? []).some(
    (s: Node) =>
      s.type === 'ExpressionStatement' &&
      s.expression.type === 'AssignmentExpression' &&
      s.expression.left.type === 'MemberExpression' &&
      s.expression.left.object.type === 'ThisExpression' &&
      s.expression.left.property?.name === field &&
      s.expression.right.type === 'Identifier' &&
      s.expression.right.name === param.name
  );
}

/** `return new C(…)`, or `const x = new C(…); …; return x` with every return returning it. */
function returnsWhatItBuilt(builder: Node, built: ASTPath<any>): boolean {
  const returns: Node[] = [];
  // A nested function's returns are its own.
  visit(builder.body, n => {
    if (/Function|ClassMethod/.test(n.type)) return false;
    if (n.type === 'ReturnStatement') returns.push(n);
  });
  if (returns.length === 0) return false;
  const holder = built.parent?.node;
  const local = holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier' ? holder.id.name : undefined;
  return returns.every(
    r => r.argument === built.node || (local && r.argument?.type === 'Identifier' && r.argument.name === local)
  );
}
