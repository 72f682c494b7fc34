/** Adding and pruning ES imports without disturbing the ones around them. */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { isValueReference, removeStatement } from './ast.js';

/** Adds `import { name } from source`, merging into an existing named import of that module. */
export function ensureNamedImport(
  j: JSCodeshift,
  root: Collection<any>,
  source: string,
  name: string,
  typeOnly = false
): void {
  const existing = root
    .find(j.ImportDeclaration, { source: { value: source } })
    .filter((p: ASTPath<any>) => p.node.importKind !== 'type');
  const has = existing.some((p: ASTPath<any>) =>
    (p.node.specifiers ?? []).some((s: any) => s.type === 'ImportSpecifier' && localName(s) === name)
  );
  if (has) return;
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
export function isUsed(j: JSCodeshift, root: Collection<any>, name: string): boolean {
  return (
    root
      .find(j.Identifier, { name })
      .some((p: ASTPath<any>) => isValueReference(p) && !j(p).closest(j.ImportDeclaration).size()) ||
    root.find(j.TSTypeReference, { typeName: { name } }).size() > 0 ||
    root.find(j.TSQualifiedName, { left: { name } }).size() > 0 ||
    root.find(j.JSXIdentifier, { name }).size() > 0
  );
}

/** Local names of the file's import specifiers that the code references now. */
export function usedImportNames(j: JSCodeshift, root: Collection<any>): Set<string> {
  const used = new Set<string>();
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    for (const s of p.node.specifiers ?? []) if (isUsed(j, root, localName(s))) used.add(localName(s));
  });
  return used;
}

/** Removes the named import specifiers that are no longer used, and imports left empty. */
export function pruneImports(j: JSCodeshift, root: Collection<any>, names: Iterable<string>): string[] {
  const removed: string[] = [];
  const wanted = new Set(names);
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    const specs = p.node.specifiers ?? [];
    if (specs.length === 0) return;
    const keep = specs.filter((s: any) => {
      const local = localName(s);
      if (!wanted.has(local) || isUsed(j, root, local)) return true;
      removed.push(local);
      return false;
    });
    if (keep.length === specs.length) return;
    if (keep.length === 0) removeStatement(j, p);
    else p.node.specifiers = keep;
  });
  return removed;
}

/** recast leaves `local` empty on specifiers built without an alias. */
function localName(s: any): string {
  return s.local?.name ?? s.imported?.name;
}
