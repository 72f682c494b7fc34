/**
 * CommonJS files get `require`, not `import`: an `import` line added to a file Node loads as CommonJS stops it at
 * start-up ("Cannot use import statement outside a module"). The rewrites write their imports through the import
 * kit; these helpers give it the CommonJS form: `const { a, b: c } = require('x');` after the file's requires.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { isValueReference } from './ast.js';

type Node = any;

/** No import or export declaration, and a top-level `require(…)` or `module.exports` / `exports.x` in use. */
export function isCommonJs(root: Collection<any>): boolean {
  const body: Node[] = root.get().node.program?.body ?? [];
  if (body.some(s => /^(Import|Export\w*)Declaration$/.test(s.type))) return false;
  return body.some(s => requireSource(s) !== undefined || exportsSomething(s));
}

function exportsSomething(s: Node): boolean {
  if (s.type !== 'ExpressionStatement' || s.expression.type !== 'AssignmentExpression') return false;
  const left = s.expression.left;
  const object = left.type === 'MemberExpression' ? left.object : undefined;
  return (
    (object?.type === 'Identifier' && (object.name === 'exports' || object.name === 'module')) ||
    (object?.type === 'MemberExpression' && object.object?.name === 'module')
  );
}

/** `const … = require('x')` (also `require('x').y`): the module it requires. */
export function requireSource(s: Node): string | undefined {
  if (s?.type !== 'VariableDeclaration' || s.declarations.length !== 1) return undefined;
  let init = s.declarations[0].init;
  if (init?.type === 'MemberExpression') init = init.object;
  if (init?.type !== 'CallExpression' || init.callee.type !== 'Identifier' || init.callee.name !== 'require')
    return undefined;
  const arg = init.arguments[0];
  return typeof arg?.value === 'string' ? arg.value : undefined;
}

/** The top-level `const { … } = require(source)` whose pattern can take more names. */
export function requireDestructuring(root: Collection<any>, source: string): Node | undefined {
  const body: Node[] = root.get().node.program.body;
  return body.find(
    s =>
      requireSource(s) === source &&
      s.declarations[0].init.type === 'CallExpression' &&
      s.declarations[0].id.type === 'ObjectPattern'
  );
}

/** Local names bound by top-level requires (`const { a, b: c } = require(…)`, `const x = require(…)`). */
export function requiredNames(root: Collection<any>): Set<string> {
  const names = new Set<string>();
  for (const s of root.get().node.program.body as Node[]) {
    if (requireSource(s) === undefined) continue;
    const id = s.declarations[0].id;
    if (id.type === 'Identifier') names.add(id.name);
    else if (id.type === 'ObjectPattern')
      for (const p of id.properties) if (p.value?.type === 'Identifier') names.add(p.value.name);
  }
  return names;
}

/** Where a new require line goes: after the last top-level require, else after a 'use strict' directive, else 0. */
export function requireInsertOffset(root: Collection<any>): number {
  const program = root.get().node.program;
  const requires = (program.body as Node[]).filter(s => requireSource(s) !== undefined);
  if (requires.length) return requires[requires.length - 1].end;
  const directive = program.directives?.[program.directives.length - 1];
  return directive?.end ?? 0;
}

/** `import { a, b as c } from 'x';…` → `const { a, b: c } = require('x');…` (what follows the import is kept). */
export function asRequireLine(line: string): string {
  return line.replace(
    /^import\s*\{([^}]*)\}\s*from\s*(['"])([^'"]+)\2;?/,
    (_, names: string, q: string, source: string) => {
      const props = names
        .split(',')
        .map(n => n.trim().replace(/^type\s+/, ''))
        .filter(Boolean)
        .map(n => n.replace(/\s+as\s+/, ': '));
      return `const { ${props.join(', ')} } = require(${q}${source}${q});`;
    }
  );
}

/** Adds `name` to the require of `source` (or a new one) in the tree: the AST form of the edit. */
export function ensureRequired(j: JSCodeshift, root: Collection<any>, source: string, name: string): void {
  if (requiredNames(root).has(name)) return;
  const existing = requireDestructuring(root, source);
  const property = j.objectProperty(j.identifier(name), j.identifier(name));
  property.shorthand = true;
  if (existing) {
    existing.declarations[0].id.properties.push(property);
    return;
  }
  const decl = j.variableDeclaration('const', [
    j.variableDeclarator(
      j.objectPattern([property]),
      j.callExpression(j.identifier('require'), [j.stringLiteral(source)])
    )
  ]);
  const body: Node[] = root.get().node.program.body;
  const last = body.reduce((at, s, i) => (requireSource(s) !== undefined ? i : at), -1);
  body.splice(last + 1, 0, decl);
}

/** Drops names of `wanted` that top-level require destructurings bind and nothing else reads; empty requires go. */
export function pruneRequired(j: JSCodeshift, root: Collection<any>, wanted: Set<string>): string[] {
  const removed: string[] = [];
  root
    .find(j.VariableDeclaration)
    .filter((p: ASTPath<any>) => p.parent.node.type === 'Program' && requireSource(p.node) !== undefined)
    .forEach((p: ASTPath<any>) => {
      const id = p.node.declarations[0].id;
      if (id.type !== 'ObjectPattern') return;
      const keep = id.properties.filter((prop: Node) => {
        const local = prop.value?.type === 'Identifier' ? prop.value.name : undefined;
        if (!local || !wanted.has(local)) return true;
        const used = root
          .find(j.Identifier, { name: local })
          .filter(isValueReference)
          .some((r: ASTPath<any>) => !insidePattern(r, id));
        if (used) return true;
        removed.push(local);
        return false;
      });
      if (keep.length === id.properties.length) return;
      if (keep.length === 0) j(p).remove();
      else id.properties = keep;
    });
  return removed;
}

function insidePattern(p: ASTPath<any>, pattern: Node): boolean {
  for (let cur: ASTPath<any> | null = p; cur; cur = cur.parent) if (cur.node === pattern) return true;
  return false;
}
