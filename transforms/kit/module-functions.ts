/**
 * The functions a module (or a function body) declares at its top, read off babel nodes as parsed: `function f() {}`
 * and `const f = () => …` / `function () {}`, exported or not, and which of them the module exports (`export
 * function f`, `export const f = …`, `export { f }`).
 */
type Node = any;

/** The functions `statements` declare, by name. */
export function declaredFunctions(statements: Node[]): Map<string, Node> {
  return topFunctions(statements).functions;
}

/** The module's exported functions, by name. */
export function exportedFunctions(program: Node): Map<string, Node> {
  const { functions, exported } = topFunctions(program.body);
  return new Map([...functions].filter(([name]) => exported.has(name)));
}

function topFunctions(statements: Node[]): { functions: Map<string, Node>; exported: Set<string> } {
  const exported = new Set<string>();
  const functions = new Map<string, Node>();
  for (const s of statements) {
    const declaration = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (s.type === 'ExportNamedDeclaration' && !s.source)
      for (const spec of s.specifiers ?? []) if (spec.local?.name) exported.add(spec.local.name);
    if (!declaration) continue;
    const isExport = s.type === 'ExportNamedDeclaration';
    if (declaration.type === 'FunctionDeclaration' && declaration.id) {
      functions.set(declaration.id.name, declaration);
      if (isExport) exported.add(declaration.id.name);
    }
    if (declaration.type === 'VariableDeclaration')
      for (const d of declaration.declarations)
        if (d.id.type === 'Identifier' && /^(?:Arrow)?Function(?:Expression)?$/.test(d.init?.type ?? '')) {
          functions.set(d.id.name, d.init);
          if (isExport) exported.add(d.id.name);
        }
  }
  return { functions, exported };
}
