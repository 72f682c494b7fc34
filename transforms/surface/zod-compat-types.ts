/**
 * v1's `server/zod-compat` typed helpers generic over zod 3 and 4 (`AnySchema`, `SchemaOutput<S>`, `ShapeOutput<Shape>`);
 * v2 has no such module. What a v2 project passes as a schema is a zod 4 schema, so a type-only import or re-export of
 * those types becomes a local alias over the zod the file already imports: `type AnySchema = z.ZodType`, and a
 * re-export `export type ShapeOutput<Shape extends z.ZodRawShape> = …` keeps the importers of the module compiling.
 * Only where every name of the declaration is one of these types and the file already takes something from zod
 * (so the project resolves it); the runtime helpers (`safeParse`, `objectFromShape`, …) keep the TODO.
 */
import type { ASTPath } from 'jscodeshift';
import { wholeLines } from '../kit/text-edits.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

/** The alias per v1 type: its type parameters and its definition, over the zod namespace `Z`. */
const ALIASES: Record<string, (z: string) => { params: string; type: string }> = {
  AnySchema: z => ({ params: '', type: `${z}.ZodType` }),
  AnyObjectSchema: z => ({ params: '', type: `${z}.ZodObject` }),
  ZodRawShapeCompat: z => ({ params: '', type: `${z}.ZodRawShape` }),
  SchemaOutput: z => ({ params: '<S>', type: `${z}.output<S>` }),
  SchemaInput: z => ({ params: '<S>', type: `${z}.input<S>` }),
  ShapeOutput: z => ({
    params: `<Shape extends ${z}.ZodRawShape>`,
    type: `{ [K in keyof Shape]: ${z}.output<Shape[K]> }`
  })
};

/** zod's module specifiers whose namespace is zod 4's. */
export const ZOD_MODULE = /^zod(?:\/v4)?$/;

/** Replaces the declaration with local aliases when it can; false leaves it to the removed-symbol marker. */
export function aliasZodCompatTypes(ctx: SurfaceContext, p: ASTPath<any>, kind: 'import' | 'export'): boolean {
  const node = p.node;
  const typeOnly = kind === 'import' ? node.importKind === 'type' : node.exportKind === 'type';
  const names: { name: string; as: string }[] = [];
  for (const s of (node.specifiers ?? []) as Node[]) {
    if (s.type !== (kind === 'import' ? 'ImportSpecifier' : 'ExportSpecifier')) return false;
    if (!typeOnly && (kind === 'import' ? s.importKind : s.exportKind) !== 'type') return false;
    const name = kind === 'import' ? (s.imported.name ?? s.imported.value) : (s.local.name ?? s.local.value);
    const as = kind === 'import' ? s.local.name : (s.exported?.name ?? s.exported?.value ?? name);
    if (!Object.hasOwn(ALIASES, name)) return false;
    names.push({ name, as });
  }
  if (!names.length) return false;
  const zod = zodTypesNamespace(ctx);
  if (!zod) return false;
  const indent = /[ \t]*$/.exec(ctx.src.slice(0, node.start))![0];
  const lines = zod.importLine ? [zod.importLine] : [];
  for (const { name, as } of names) {
    const { params, type } = ALIASES[name]!(zod.name);
    lines.push(`${kind === 'export' ? 'export ' : ''}type ${as}${params} = ${type};`);
  }
  // An import's aliases go below the file's last import, where declarations start; a re-export's stay where it was.
  const imports = (ctx.root.get().node.program.body as Node[]).filter(n => n.type === 'ImportDeclaration');
  const last = imports[imports.length - 1];
  if (kind === 'import' && last && last !== node) {
    ctx.edits.push(wholeLines(ctx.src, node), { start: last.end, end: last.end, text: `\n\n${lines.join('\n')}` });
  } else {
    ctx.edits.push({ start: node.start, end: node.end, text: lines.join(`\n${indent}`) });
  }
  return true;
}

/**
 * The name zod's namespace goes by in the file, for types: `z` from `import { z }` / `import type { z }` /
 * `import * as z`; else, when the file re-exports zod (`export { z as zod } from 'zod'`), a type-only import of it
 * to add. Undefined when the file takes nothing from zod.
 */
export function zodTypesNamespace(ctx: SurfaceContext): { name: string; importLine?: string } | undefined {
  const { j, root } = ctx;
  let name: string | undefined;
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    if (name || !ZOD_MODULE.test(p.node.source.value)) return;
    for (const s of p.node.specifiers ?? []) {
      if (s.type === 'ImportNamespaceSpecifier' || s.type === 'ImportDefaultSpecifier') name = s.local.name;
      else if (s.imported?.name === 'z') name = s.local.name;
    }
  });
  if (name) return { name };
  const reexports = root.find(j.ExportNamedDeclaration).filter((p: ASTPath<any>) => {
    const source = p.node.source?.value;
    return typeof source === 'string' && ZOD_MODULE.test(source);
  });
  if (!reexports.size()) return undefined;
  const free = ['z', 'zod', 'zodTypes'].find(n => !new RegExp(`(?<![\\w$.])${n}(?![\\w$])`).test(bindingText(ctx)));
  if (!free) return undefined;
  const q = ctx.quote;
  return { name: free, importLine: `import type { z${free === 'z' ? '' : ` as ${free}`} } from ${q}zod${q};` };
}

/** The file's code without the re-export lines, where `z as zod` names no binding of this module. */
function bindingText(ctx: SurfaceContext): string {
  return ctx.src.replace(/^\s*export\s*\{[^}]*\}\s*from\s*['"][^'"]+['"];?/gm, '');
}
