/**
 * A server that declares the logging capability logs (v1 refused `notifications/message` without it), and often does
 * so through code of another module it hands the server to: `const log = new McpLogger(server, 'db')`, then
 * `log.info(…)` in the handlers. That module's log calls become span events, which need a span to land in: the
 * handlers that use such an object (or call an imported function with the server, `logTo(server, …)`) are traced
 * like those that log in this file. Tracing a handler that turns out not to log only adds a span.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { propertyKey, wholeIdentifier } from '../kit/ast.js';
import { readProjectModule } from '../kit/project-modules.js';
import { parseFresh } from '../kit/parse.js';

type Node = any;

/** Names a handler's text mentions when it may log through the server's handed-on logging (regexes, one per name). */
export function handedLoggingPatterns(j: JSCodeshift, root: any, file: string): RegExp[] {
  const servers = loggingServers(j, root);
  if (!servers.size) return [];
  const mentionsServer = (args: Node[]) =>
    args.some(
      (a: Node) =>
        (a.type === 'Identifier' && servers.has(a.name)) ||
        (a.type === 'MemberExpression' && a.object.type === 'Identifier' && servers.has(a.object.name))
    );
  const patterns: RegExp[] = [];
  root.find(j.VariableDeclarator, { id: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    let init = p.node.init;
    if (init?.type === 'AwaitExpression') init = init.argument;
    if ((init?.type === 'NewExpression' || init?.type === 'CallExpression') && mentionsServer(init.arguments))
      patterns.push(wholeIdentifier(p.node.id.name));
  });
  // One walk over the calls: an imported function called with the server.
  const imported = projectImports(j, root);
  const called = new Set<string>();
  if (imported.size)
    root.find(j.CallExpression, { callee: { type: 'Identifier' } }).forEach((c: ASTPath<any>) => {
      const name = c.node.callee.name;
      if (imported.has(name) && !called.has(name) && mentionsServer(c.node.arguments)) called.add(name);
    });
  for (const name of called) patterns.push(callsName(name));
  // `attachLogger(server.server)`, then `logger.info(…)` in the handlers: the module the server was handed to keeps
  // it (the function stores its parameter in a module variable), and whatever else the file takes from that module
  // may log through it.
  const attachedTo = new Set(
    [...called].filter(name => keepsItsArgument(j, file, imported.get(name)!, name)).map(name => imported.get(name))
  );
  for (const [name, source] of imported)
    if (attachedTo.has(source) && !called.has(name)) patterns.push(wholeIdentifier(name));
  return patterns;
}

/** Does `name` of the module at `source` store a parameter in a variable of its module (`mcp = server`)? */
function keepsItsArgument(j: JSCodeshift, file: string, source: string, name: string): boolean {
  const module = readProjectModule(file, source);
  if (!module || !new RegExp(String.raw`\b${name}\b`).test(module.text)) return false;
  let other: any;
  try {
    other = parseFresh(j, module.path, module.text);
  } catch {
    return false; // a module that does not parse keeps nothing we can see
  }
  const program = other.get().node.program;
  const moduleVars = new Set<string>();
  let fn: Node;
  for (const statement of program.body) {
    const d = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (d?.type === 'FunctionDeclaration' && d.id?.name === name) fn = d;
    if (d?.type !== 'VariableDeclaration') continue;
    for (const v of d.declarations) {
      if (v.id.type !== 'Identifier') continue;
      moduleVars.add(v.id.name);
      if (v.id.name === name && /FunctionExpression$/.test(v.init?.type ?? '')) fn = v.init;
    }
  }
  const params = new Set((fn?.params ?? []).filter((p: Node) => p.type === 'Identifier').map((p: Node) => p.name));
  if (!params.size) return false;
  return (
    j(fn)
      .find(j.AssignmentExpression, { operator: '=' })
      .filter(
        (p: ASTPath<any>) =>
          p.node.left.type === 'Identifier' &&
          moduleVars.has(p.node.left.name) &&
          p.node.right.type === 'Identifier' &&
          params.has(p.node.right.name)
      )
      .size() > 0
  );
}

/** The variables holding a server built with `capabilities: { logging: … }`. */
function loggingServers(j: JSCodeshift, root: any): Set<string> {
  const names = new Set<string>();
  root.find(j.NewExpression).forEach((p: ASTPath<any>) => {
    const holder = p.parent.node;
    if (holder.type !== 'VariableDeclarator' || holder.id.type !== 'Identifier') return;
    const declaresLogging = p.node.arguments.some(
      (options: Node) =>
        options.type === 'ObjectExpression' &&
        options.properties.some(
          (c: Node) =>
            propertyKey(c) === 'capabilities' &&
            c.value?.type === 'ObjectExpression' &&
            c.value.properties.some((l: Node) => propertyKey(l) === 'logging')
        )
    );
    if (declaresLogging) names.add(holder.id.name);
  });
  return names;
}

/** Names imported from the project's own modules (`./log.js`, `../util`), with the module each comes from. */
function projectImports(j: JSCodeshift, root: any): Map<string, string> {
  const names = new Map<string, string>();
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    const source = String(p.node.source.value);
    if (!/^\.\.?\//.test(source) || p.node.importKind === 'type') return;
    for (const spec of p.node.specifiers ?? [])
      if (spec.type === 'ImportSpecifier' && spec.importKind !== 'type') names.set(spec.local.name, source);
  });
  return names;
}

/** A call of `name(…)`, the name matched whole. */
export function callsName(name: string): RegExp {
  return new RegExp(`${wholeIdentifier(name).source}\\s*\\(`);
}
