/**
 * This file's side of an exported-instance handoff (instance-plan.ts): the module that builds the instance exports a
 * factory holding its construction and setup, and keeps exporting an instance built from it; a module that connected
 * the instance per request connects what the factory returns. Each side reports whether it could.
 */
import type { ASTPath } from 'jscodeshift';
import { isValueReference } from '../kit/ast.js';
import type { EntryContext } from './entry-context.js';
import { moduleDeclarations, setsUp } from './plan-ast.js';
import type { HandoffImport, HandoffProvide } from './instance-plan.js';

type Node = any;

/** `const mcp = new McpServer(…)` + its setup → `export function createMcpServer() { …; return mcp; }`, `const mcp = createMcpServer()`. */
export function provideFactory(ctx: EntryContext, part: HandoffProvide): boolean {
  const { j } = ctx;
  const body: Node[] = ctx.program.body;
  const [found] = moduleDeclarations(body, part.name);
  const holder = found?.statement;
  const declarator = found?.declaration.declarations.length === 1 ? found.declaration.declarations[0] : undefined;
  if (!declarator || declarator.init?.type !== 'NewExpression') return false;
  const setup = body.filter(s => s !== holder && setsUp(s, part.name));
  const factory = j.functionDeclaration(
    j.identifier(part.factory),
    [],
    j.blockStatement([
      j.variableDeclaration('const', [j.variableDeclarator(j.identifier(part.name), declarator.init)]),
      ...setup,
      j.returnStatement(j.identifier(part.name))
    ])
  );
  const exported = j.exportNamedDeclaration(factory, []);
  // The instance is built where its setup ended: a setup statement may read what is declared after the server
  // (`const db = open(); registerDb(mcp, db)`), which the factory, called earlier, would read in its dead zone.
  const last = setup[setup.length - 1];
  declarator.init = j.callExpression(j.identifier(part.factory), []);
  const rest = body.filter(s => !setup.includes(s));
  if (!last) rest.splice(rest.indexOf(holder), 0, exported);
  else {
    // The factory where the server was declared; the instance before what followed the last setup statement.
    rest[rest.indexOf(holder)] = exported;
    const following = body.slice(body.indexOf(last) + 1).find(s => rest.includes(s));
    rest.splice(following ? rest.indexOf(following) : rest.length, 0, holder);
  }
  ctx.program.body = rest;
  ctx.generated.push(part.factory);
  ctx.changed = true;
  return true;
}

/** `import mcp from './mcp'` … `mcp.connect(transport)` → `import { createMcpServer } from './mcp'` … `createMcpServer().connect(…)`. */
export function importFactory(ctx: EntryContext, part: HandoffImport): boolean {
  const { j, root } = ctx;
  const declaration = root
    .find(j.ImportDeclaration, { source: { value: part.source } })
    .filter((p: ASTPath<any>) => (p.node.specifiers ?? []).some((s: Node) => s.local?.name === part.local))
    .paths()[0];
  if (!declaration) return false;
  const uses = root
    .find(j.Identifier, { name: part.local })
    .filter((p: ASTPath<any>) => isValueReference(p) && !/^Import/.test(p.parent.node.type))
    .paths();
  const connects = uses.filter(
    (p: ASTPath<any>) => p.parent.node.type === 'MemberExpression' && p.parent.node.property?.name === 'connect'
  );
  if (!connects.length || connects.length !== uses.length) return false;
  for (const p of connects) p.parent.node.object = j.callExpression(j.identifier(part.factory), []);
  const specifiers: Node[] = (declaration.node.specifiers ?? []).filter((s: Node) => s.local?.name !== part.local);
  specifiers.push(j.importSpecifier(j.identifier(part.factory), j.identifier(part.factory)));
  declaration.node.specifiers = specifiers;
  ctx.changed = true;
  return true;
}
