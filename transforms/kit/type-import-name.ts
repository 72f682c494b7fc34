/**
 * The name a v2 type is written under in a file. A project often has a type of its own by an SDK name (`interface
 * Tool { run(): … }`, `interface ServerContext { db }`): importing the SDK's under that name clashes with the
 * declaration, and code written to mean the SDK's would mean the project's. Such a file imports it as `Mcp<Name>`.
 */
import type { Collection, JSCodeshift } from 'jscodeshift';
import { uniqueName } from './ast.js';

type Node = any;

/** Names the module binds at its top level by anything but an import from an `@modelcontextprotocol/` package. */
export function topLevelNames(root: Collection<any>): Set<string> {
  const names = new Set<string>();
  for (const statement of root.get().node.program.body as Node[]) {
    const s = statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement;
    if (s.type === 'ImportDeclaration') {
      if (!String(s.source.value).startsWith('@modelcontextprotocol/'))
        for (const spec of s.specifiers ?? []) names.add(spec.local.name);
    } else if (s.type === 'VariableDeclaration') {
      for (const d of s.declarations) if (d.id.type === 'Identifier') names.add(d.id.name);
    } else if (s.id?.type === 'Identifier') names.add(s.id.name); // functions, classes, interfaces, types, enums
  }
  return names;
}

/**
 * `{ local: 'Tool', specifier: 'type Tool' }`, or `Tool as McpTool` (a name the file does not use) when `taken`, the
 * file's top-level names, holds `Tool`.
 */
export function typeImport(
  j: JSCodeshift,
  root: Collection<any>,
  taken: Set<string>,
  name: string
): { local: string; specifier: string } {
  if (!taken.has(name)) return { local: name, specifier: `type ${name}` };
  const local = uniqueName(j, root, `Mcp${name}`);
  return { local, specifier: `type ${name} as ${local}` };
}
