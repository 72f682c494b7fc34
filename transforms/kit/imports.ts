/** Adding and pruning ES imports without disturbing the ones around them. */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { removeStatement } from './ast.js';
import { ensureRequired, isCommonJs, pruneRequired } from './commonjs.js';

/** Adds `import { name } from source`, merging into an existing named import of that module. */
export function ensureNamedImport(
  j: JSCodeshift,
  root: Collection<any>,
  source: string,
  name: string,
  typeOnly = false
): void {
  if (isCommonJs(root)) {
    if (!typeOnly) ensureRequired(j, root, source, name);
    return;
  }
  const all = root.find(j.ImportDeclaration, { source: { value: source } });
  const existing = all.filter((p: ASTPath<any>) => p.node.importKind !== 'type');
  const names = (p: ASTPath<any>) =>
    (p.node.specifiers ?? []).some((s: any) => s.type === 'ImportSpecifier' && localName(s) === name);
  // A type wanted where `import type { Implementation }` already names it: importing it again would clash.
  if ((typeOnly ? all : existing).some(names)) return;
  const target = existing.filter((p: ASTPath<any>) =>
    (p.node.specifiers ?? []).every((s: any) => s.type === 'ImportSpecifier')
  );
  const specifier: any = j.importSpecifier(j.identifier(name));
  if (typeOnly) specifier.importKind = 'type';
  if (target.size() > 0) {
    target.get().node.specifiers.push(specifier);
    return;
  }
  const decl = j.importDeclaration([specifier], j.literal(source));
  const imports = root.find(j.ImportDeclaration);
  if (imports.size() > 0) imports.at(imports.size() - 1).insertAfter(decl);
  else root.get().node.program.body.unshift(decl);
}

/** Is `name` referenced anywhere outside import declarations? */
export function isUsed(_j: JSCodeshift, root: Collection<any>, name: string): boolean {
  return referencedNames(root).has(name);
}

/** Local names of the file's import specifiers that the code references now. */
export function usedImportNames(j: JSCodeshift, root: Collection<any>): Set<string> {
  const referenced = referencedNames(root);
  const used = new Set<string>();
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    for (const s of p.node.specifiers ?? []) if (referenced.has(localName(s))) used.add(localName(s));
  });
  return used;
}

/** Removes the named import specifiers that are no longer used, and imports left empty. */
export function pruneImports(j: JSCodeshift, root: Collection<any>, names: Iterable<string>): string[] {
  const removed: string[] = [];
  const wanted = new Set(names);
  if (isCommonJs(root)) return pruneRequired(j, root, wanted);
  const referenced = referencedNames(root);
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    const specs = p.node.specifiers ?? [];
    if (specs.length === 0) return;
    const keep = specs.filter((s: any) => {
      const local = localName(s);
      if (!wanted.has(local) || referenced.has(local)) return true;
      removed.push(local);
      return false;
    });
    if (keep.length === specs.length) return;
    if (keep.length === 0) removeStatement(j, p);
    else p.node.specifiers = keep;
  });
  return removed;
}

const NOT_CHILDREN = new Set([
  'loc',
  'comments',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'tokens',
  'original',
  'extra'
]);

/**
 * Every name the code (outside import declarations) refers to as a value or a type, in one walk of the tree: the
 * answer to "is this import still used" for all imports at once.
 */
export function referencedNames(root: Collection<any>): Set<string> {
  const names = new Set<string>();
  const walk = (node: any, parent: any, inImport: boolean): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child, parent, inImport);
      return;
    }
    if (typeof node.type !== 'string') return;
    const importing = inImport || node.type === 'ImportDeclaration';
    if (node.type === 'Identifier') {
      if (!importing && isReferenceIn(node, parent)) names.add(node.name);
    } else if (node.type === 'JSXIdentifier') names.add(node.name);
    else if (node.type === 'TSTypeReference' && node.typeName?.type === 'Identifier') names.add(node.typeName.name);
    else if (node.type === 'TSQualifiedName' && node.left?.type === 'Identifier') names.add(node.left.name);
    for (const key of Object.keys(node)) if (!NOT_CHILDREN.has(key)) walk(node[key], node, importing);
  };
  walk(root.get().node, undefined, false);
  return names;
}

/** The same test as `isValueReference`, from the parent node alone. */
function isReferenceIn(node: any, parent: any): boolean {
  if (!parent) return true;
  const t = parent.type;
  if ((t === 'MemberExpression' || t === 'OptionalMemberExpression') && parent.property === node && !parent.computed)
    return false;
  if ((t === 'ObjectProperty' || t === 'Property') && parent.key === node && !parent.computed && !parent.shorthand)
    return false;
  if (t === 'TSPropertySignature' || t === 'TSQualifiedName' || t === 'TSTypeReference') return false;
  if (t === 'ClassProperty' || t === 'ObjectMethod' || t === 'ClassMethod') return parent.key !== node;
  return true;
}

/** recast leaves `local` empty on specifiers built without an alias. */
function localName(s: any): string {
  return s.local?.name ?? s.imported?.name;
}

/** The module a local name is imported from (`'../server.js'`, `'@modelcontextprotocol/server'`), if it is. */
export function importSourceOf(j: JSCodeshift, root: Collection<any>, name: string): string | undefined {
  // Import declarations sit at the top level only: reading the program's statements, not walking the whole tree,
  // keeps this cheap for callers that ask once per call site of a large bundle.
  let source: string | undefined;
  for (const statement of (root.get().node.program?.body ?? []) as any[]) {
    if (statement.type !== 'ImportDeclaration') continue;
    if ((statement.specifiers ?? []).some((s: any) => localName(s) === name)) source = String(statement.source.value);
  }
  return source;
}

/** `new McpServer(…)` / `new Server(…)` building the SDK's server (not a project class of that name). */
export function isSdkServerConstruction(j: JSCodeshift, root: Collection<any>, node: any): boolean {
  return (
    node?.type === 'NewExpression' && /^(?:Mcp)?Server$/.test(node.callee?.name ?? '') && buildsSdkServer(j, root, node)
  );
}

/**
 * Does `new Name(…)` build the SDK's server? A class the file declares, or one imported from another package, is
 * the project's own (`new Server({ mcpServer, session })` wrapping the SDK's). A relative import may be a module
 * re-exporting the SDK: then the first argument must read like the SDK's `{ name, version }`.
 */
export function buildsSdkServer(j: JSCodeshift, root: Collection<any>, created: any): boolean {
  const name: string | undefined = created.callee?.type === 'Identifier' ? created.callee.name : undefined;
  if (!name) return false;
  if (root.find(j.ClassDeclaration, { id: { name } }).size()) return false;
  const source = importSourceOf(j, root, name);
  if (source === undefined || source.startsWith('@modelcontextprotocol/')) return true;
  if (!source.startsWith('.')) return false;
  const info = created.arguments?.[0];
  if (info?.type !== 'ObjectExpression') return false;
  const keys = new Set(info.properties.map((p: any) => p.key?.name ?? p.key?.value));
  return keys.has('name') && keys.has('version');
}
