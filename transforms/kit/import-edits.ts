/** Import lookups and additions as text edits, for the transforms that splice text instead of reprinting. */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { listItemsRemoval, type TextEdit } from './text-edits.js';
import {
  asRequireLine,
  isCommonJs,
  requireDestructuring,
  requiredNames,
  requireInsertOffset,
  requireSource
} from './commonjs.js';

type Node = any;

/**
 * Edits giving a file whose only zod binding is type-only (`import type { z } from 'zod'`) a value `z`, where a
 * rewrite starts calling it: the import loses its `type` when `z` is all it brings, else `z` moves to a line of its
 * own (two bindings of one name would not parse). Undefined when the file has no such import.
 */
export function zodValueFromTypeImport(j: JSCodeshift, root: Collection<any>, src: string): TextEdit[] | undefined {
  let edits: TextEdit[] | undefined;
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    const node = p.node;
    if (edits || node.importKind !== 'type' || !/^zod(\/v4)?$/.test(node.source.value)) return;
    const specs: Node[] = node.specifiers ?? [];
    const i = specs.findIndex(s => s.type === 'ImportSpecifier' && s.imported.name === 'z' && s.local.name === 'z');
    if (i < 0) return;
    const keyword = /^import\s+type\s+/.exec(src.slice(node.start, node.end));
    if (!keyword) return;
    if (specs.length === 1) edits = [{ start: node.start, end: node.start + keyword[0].length, text: 'import ' }];
    else {
      const q = src[node.source.start];
      edits = [
        ...listItemsRemoval(specs, new Set([i])),
        { start: node.end, end: node.end, text: `\nimport { z } from ${q}${node.source.value}${q};` }
      ];
    }
  });
  return edits;
}

/** The local name zod is imported under (`import * as z from 'zod/v4'`, `import { z } from 'zod'`), if any. */
export function zodNamespace(j: JSCodeshift, root: Collection<any>): string | undefined {
  let name: string | undefined;
  // `const { z } = require('zod')`, `const z = require('zod')`
  for (const s of root.get().node.program.body as Node[]) {
    if (name || !/^zod(\/v[34]|\/mini)?$/.test(requireSource(s) ?? '')) continue;
    const id = s.declarations[0].id;
    // tsc's CommonJS output keeps the module whole and reads `zod_1.z.string()`: the namespace is `zod_1.z`.
    if (id.type === 'Identifier')
      name = root
        .find(j.MemberExpression, { object: { type: 'Identifier', name: id.name }, property: { name: 'z' } })
        .size()
        ? `${id.name}.z`
        : id.name;
    else if (id.type === 'ObjectPattern')
      for (const p of id.properties)
        if (/^(z|zod)$/.test(p.key?.name ?? '') && p.value?.type === 'Identifier') name = p.value.name;
  }
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    if (name || !/^zod(\/v[34]|\/mini)?$/.test(p.node.source.value) || p.node.importKind === 'type') return;
    for (const s of p.node.specifiers ?? []) {
      if (s.type === 'ImportNamespaceSpecifier' || s.type === 'ImportDefaultSpecifier') name = s.local.name;
      else if (s.type === 'ImportSpecifier' && (s.imported.name === 'z' || s.imported.name === 'zod'))
        name = s.local.name;
    }
  });
  return name;
}

/**
 * Adds `name` to the file's named value import of `source`, or a new import line after the last one. Nothing when an
 * import already binds that local name (from any module, type-only or not): a second binding would not parse.
 */
export function namedImportEdit(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  source: string,
  name: string,
  q: string
): TextEdit | undefined {
  if (isCommonJs(root)) {
    if (requiredNames(root).has(name)) return undefined;
    const existing = requireDestructuring(root, source);
    const props = existing?.declarations[0].id.properties;
    if (props?.length)
      return { start: props[props.length - 1].end, end: props[props.length - 1].end, text: `, ${name}` };
    return importLineEdit(j, root, `import { ${name} } from ${q}${source}${q};`);
  }
  const all = root.find(j.ImportDeclaration).nodes() as Node[];
  // `Tool as McpTool`: the import binds the name after `as`.
  const local = name.split(' as ').pop();
  if (all.some(d => (d.specifiers ?? []).some((s: Node) => s.local?.name === local))) return undefined;
  const target = all.find(
    d =>
      d.source.value === source &&
      d.importKind !== 'type' &&
      (d.specifiers ?? []).length > 0 &&
      d.specifiers.every((s: Node) => s.type === 'ImportSpecifier')
  );
  if (target) {
    const last = target.specifiers[target.specifiers.length - 1];
    return { start: last.end, end: last.end, text: `, ${name}` };
  }
  return importLineEdit(j, root, `import { ${name} } from ${q}${source}${q};`);
}

/** Puts `line` (an import, and whatever must follow it) after the file's last import, or first in the file. */
export function importLineEdit(j: JSCodeshift, root: Collection<any>, line: string): TextEdit {
  if (isCommonJs(root)) {
    const at = requireInsertOffset(root);
    return { start: at, end: at, text: at ? `\n${asRequireLine(line)}` : `${asRequireLine(line)}\n` };
  }
  const all = root.find(j.ImportDeclaration).nodes() as Node[];
  const at = all.length ? all[all.length - 1].end : 0;
  return { start: at, end: at, text: at ? `\n${line}` : `${line}\n` };
}

/**
 * One edit adding every name the file does not import yet from `source` (`type X` for a type-only specifier):
 * appended to its named import, or one new import line.
 */
export function namedImportsEdit(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  source: string,
  names: string[],
  q: string
): TextEdit | undefined {
  const missing = names.filter(n => namedImportEdit(j, root, src, source, n.replace(/^type /, ''), q));
  if (missing.length === 0) return undefined;
  // Types only, and the file has `import type { … }` from there: they join it (no second line from one module).
  const typeOnly = missing.every(n => n.startsWith('type '))
    ? (root.find(j.ImportDeclaration).nodes() as Node[]).find(
        d =>
          d.source.value === source &&
          d.importKind === 'type' &&
          (d.specifiers ?? []).length > 0 &&
          d.specifiers.every((s: Node) => s.type === 'ImportSpecifier')
      )
    : undefined;
  if (typeOnly && !isCommonJs(root)) {
    const last = typeOnly.specifiers[typeOnly.specifiers.length - 1];
    return { start: last.end, end: last.end, text: `, ${missing.map(n => n.slice('type '.length)).join(', ')}` };
  }
  const edit = namedImportEdit(j, root, src, source, missing[0]!.replace(/^type /, ''), q)!;
  const list = missing.join(', ');
  return { ...edit, text: edit.text.startsWith(', ') ? `, ${list}` : edit.text.replace(/\{ [^}]* \}/, `{ ${list} }`) };
}

/** Removes the import of `name` when its only references (besides the import) are the `goneReferences` being rewritten away. */
export function unusedImportRemoval(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  name: string,
  goneReferences: number
): TextEdit[] | undefined {
  const refs = root
    .find(j.Identifier, { name })
    .filter((p: ASTPath<any>) => !/^Import(?:Default|Namespace)?Specifier$/.test(p.parent.node.type)).length;
  if (refs > goneReferences) return undefined;
  for (const decl of root.find(j.ImportDeclaration).nodes() as Node[]) {
    const specifiers: Node[] = decl.specifiers ?? [];
    const i = specifiers.findIndex(s => /^Import(Default)?Specifier$/.test(s.type) && s.local.name === name);
    if (i < 0) continue;
    if (specifiers.length === 1) return [wholeLineRemoval(src, decl)];
    return listItemsRemoval(specifiers, new Set([i]));
  }
  return undefined;
}

/**
 * A declaration's line goes with the line break before it where there is one: an import line added after the last
 * import (importLineEdit, at that import's end) then lands where the removed line ended, not inside the removal.
 */
function wholeLineRemoval(src: string, decl: Node): TextEdit {
  const before = /\r?\n$/.exec(src.slice(0, decl.start))?.[0].length ?? 0;
  if (before) return { start: decl.start - before, end: decl.end, text: '' };
  return { start: decl.start, end: decl.end + (/^\r?\n/.exec(src.slice(decl.end))?.[0].length ?? 0), text: '' };
}

/** `type <name>` added to the file's value import of '@modelcontextprotocol/server', or an `import type` line. */
export function serverTypeImport(j: JSCodeshift, root: Collection<any>, name: string, q: string): TextEdit[] {
  const decls = root.find(j.ImportDeclaration, { source: { value: '@modelcontextprotocol/server' } }).nodes() as Node[];
  if (decls.some(d => d.specifiers?.some((s: Node) => s.local?.name === name))) return [];
  const decl = decls.find(
    d =>
      d.importKind !== 'type' && d.specifiers?.length && d.specifiers.every((s: Node) => s.type === 'ImportSpecifier')
  );
  if (decl) {
    const last = decl.specifiers[decl.specifiers.length - 1];
    return [{ start: last.end, end: last.end, text: `, type ${name}` }];
  }
  return [importLineEdit(j, root, `import type { ${name} } from ${q}@modelcontextprotocol/server${q};`)];
}
