/**
 * v1 typed a tool's or prompt's callback by the raw shape of its arguments (`ToolCallback<typeof this.argsShape>`,
 * where `argsShape: ZodRawShape`); v2's `ToolCallback` / `PromptCallback` take the schema (`StandardSchemaWithJSON`),
 * and the registration already hands it `z.object(shape)`. So a callback type over a raw shape names the object
 * schema of that shape, `ToolCallback<z.ZodObject<typeof this.argsShape>>`, whose arguments are the same. Only where
 * the argument is known to be a shape: `ZodRawShape` itself, or `typeof` a member or variable of the file declared
 * `ZodRawShape` or written as an object of zod schemas, or a member the class inherits from a base class (of this
 * module or one it imports) that declares it `ZodRawShape`, or an indexed member named for a shape
 * (`(typeof tool)['argsShape']`, of a class another package declares: v1's callback type took nothing else there); and
 * only where the file names zod's namespace, or takes named types from zod (`import type { ZodRawShape } from
 * 'zod'`), which then take `ZodObject` too.
 */
import type { ASTPath } from 'jscodeshift';
import { propertyKey, typeArgumentsOf } from '../kit/ast.js';
import { parseAst } from '../kit/grammar.js';
import { readProjectModule } from '../kit/project-modules.js';
import type { TextEdit } from '../kit/text-edits.js';
import type { SurfaceContext } from './surface-context.js';
import { ZOD_MODULE, zodTypesNamespace } from './zod-compat-types.js';

type Node = any;

const CALLBACK_TYPES = new Set(['ToolCallback', 'PromptCallback']);
/** `argsShape`, `inputShape`: a member named for a raw shape. */
const SHAPE_NAME = /^[a-z]\w*Shape$/;

export function objectSchemaForShapeCallbacks(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  // The namespace the file itself imports from zod (not one this pass would have to add), looked up once, when needed.
  let zod: string | null | undefined;
  const zodName = () => {
    if (zod === undefined) {
      const namespace = zodTypesNamespace(ctx);
      zod = namespace && !namespace.importLine ? namespace.name : null;
    }
    return zod;
  };
  // Else the file's named import from zod (`import type { ZodRawShape } from 'zod'`), which gains ZodObject.
  let named: { object: string; edit?: TextEdit } | null | undefined;
  const namedObject = () => (named === undefined ? (named = namedZodObject(ctx) ?? null) : named);
  let namedUsed = false;
  root.find(j.TSTypeReference, { typeName: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    if (!CALLBACK_TYPES.has(ctx.imported.get(p.node.typeName.name) ?? '')) return;
    const [shape] = typeArgumentsOf(p.node);
    if (!shape) return;
    const z = zodName();
    const object = z ? `${z}.ZodObject` : namedObject()?.object;
    if (!object || !isShapeType(ctx, p, shape, z ?? '')) return;
    if (!z) namedUsed = true;
    ctx.edits.push(
      { start: shape.start, end: shape.start, text: `${object}<` },
      { start: shape.end, end: shape.end, text: '>' }
    );
  });
  if (namedUsed && named?.edit) ctx.edits.push(named.edit);
}

/**
 * ZodObject by the name the file's named import from zod gives it, or added to that import (as a type where the
 * import also takes values). Undefined when the file has no such import.
 */
function namedZodObject(ctx: SurfaceContext): { object: string; edit?: TextEdit } | undefined {
  const declaration = ctx.root
    .find(ctx.j.ImportDeclaration)
    .filter(
      (p: ASTPath<any>) =>
        ZOD_MODULE.test(p.node.source.value) &&
        (p.node.specifiers ?? []).length > 0 &&
        p.node.specifiers.every((s: Node) => s.type === 'ImportSpecifier')
    )
    .nodes()[0];
  if (!declaration) return undefined;
  const specifiers: Node[] = declaration.specifiers ?? [];
  const existing = specifiers.find(s => (s.imported.name ?? s.imported.value) === 'ZodObject');
  if (existing) return { object: existing.local.name };
  if (/(?<![\w$.])ZodObject(?![\w$])/.test(ctx.src)) return undefined;
  const last = specifiers[specifiers.length - 1];
  const typeOnly = declaration.importKind === 'type';
  return {
    object: 'ZodObject',
    edit: { start: last.end, end: last.end, text: `, ${typeOnly ? '' : 'type '}ZodObject` }
  };
}

function isShapeType(ctx: SurfaceContext, at: ASTPath<any>, t: Node, zod: string): boolean {
  if (t.type === 'TSTypeReference') return isRawShapeName(t);
  // `(typeof testTool)['argsShape']`: a member of a class declared in another package, named for what it holds.
  if (t.type === 'TSIndexedAccessType') {
    const index = t.indexType?.type === 'TSLiteralType' ? t.indexType.literal?.value : undefined;
    return typeof index === 'string' && SHAPE_NAME.test(index);
  }
  const name = t.type === 'TSTypeQuery' ? t.exprName : undefined;
  let declared: Node[] = [];
  if (name?.type === 'Identifier') {
    declared = ctx.root.find(ctx.j.VariableDeclarator, { id: { type: 'Identifier', name: name.name } }).nodes();
  } else if (name?.type === 'TSQualifiedName' && name.left.type === 'Identifier' && name.left.name === 'this') {
    // `typeof this.argsShape` reads the class's own declaration of it (a subclass may assign it otherwise), else the
    // one it inherits: `class AtlasToolBase extends ToolBase`, where tool.ts declares `argsShape: ZodRawShape`.
    let cls = at.parent;
    while (cls && !/^Class(Declaration|Expression)$/.test(cls.node.type)) cls = cls.parent;
    const found = cls
      ? memberDeclaration(ctx.file, ctx.root.get().node.program, cls.node, name.right.name, 0)
      : undefined;
    // Inherited from another module, only its declared type is read (its zod may be imported under another name).
    if (found && found.file !== ctx.file) return isRawShapeAnnotation(found.member);
    declared = found ? [found.member] : [];
  }
  if (declared.length !== 1) return false;
  const [d] = declared;
  if (annotationOf(d)) return isRawShapeAnnotation(d);
  const value = d.value ?? d.init;
  return (
    value?.type === 'ObjectExpression' &&
    value.properties.length > 0 &&
    value.properties.every((e: Node) => isZodEntry(e, zod))
  );
}

const MAX_BASES = 3;

/**
 * The one declaration of `member` a class has, its own or (none of its own) its base class's: declared in the same
 * module, or imported from a module of the project, read from disk. Undefined when there are several, or none found.
 */
function memberDeclaration(
  file: string,
  program: Node,
  cls: Node,
  member: string,
  depth: number
): { member: Node; file: string } | undefined {
  const own = (cls.body?.body ?? []).filter(
    (m: Node) => m.type === 'ClassProperty' && !m.computed && propertyKey(m) === member
  );
  if (own.length) return own.length === 1 ? { member: own[0], file } : undefined;
  const base = cls.superClass;
  if (base?.type !== 'Identifier' || depth >= MAX_BASES) return undefined;
  const local = classNamed(program, base.name);
  if (local) return memberDeclaration(file, program, local, member, depth + 1);
  const from = importOf(program, base.name);
  const module = from ? readProjectModule(file, from.source) : undefined;
  const other = module ? programOf(module.path, module.text) : undefined;
  const declared = other && from ? classNamed(other, from.imported) : undefined;
  return declared && module ? memberDeclaration(module.path, other, declared, member, depth + 1) : undefined;
}

// A base module is parsed once per run, not once per callback type that reaches it (readProjectModule keeps its text).
const parsed = new Map<string, { text: string; program: Node }>();

function programOf(file: string, text: string): Node {
  const known = parsed.get(file);
  if (known?.text === text) return known.program;
  const program = parseAst(file, text)?.program;
  parsed.set(file, { text, program });
  return program;
}

/** A class the module declares at its top (exported or not) under this name. */
function classNamed(program: Node, name: string): Node | undefined {
  for (const s of program.body ?? []) {
    const d = /^Export(Named|Default)Declaration$/.test(s.type) ? s.declaration : s;
    if (d?.type === 'ClassDeclaration' && d.id?.name === name) return d;
  }
  return undefined;
}

/** Where a name the module imports comes from, and its name there. */
function importOf(program: Node, local: string): { source: string; imported: string } | undefined {
  for (const s of program.body ?? []) {
    if (s.type !== 'ImportDeclaration') continue;
    const spec = (s.specifiers ?? []).find((x: Node) => x.type === 'ImportSpecifier' && x.local?.name === local);
    if (spec) return { source: String(s.source.value), imported: spec.imported?.name ?? spec.imported?.value };
  }
  return undefined;
}

function annotationOf(d: Node): Node | undefined {
  return (d.typeAnnotation ?? d.id?.typeAnnotation)?.typeAnnotation;
}

function isRawShapeAnnotation(d: Node): boolean {
  const annotation = annotationOf(d);
  return annotation?.type === 'TSTypeReference' && isRawShapeName(annotation);
}

/** `ZodRawShape`, `z.ZodRawShape` */
function isRawShapeName(t: Node): boolean {
  const n = t.typeName;
  return (
    (n?.type === 'Identifier' && n.name === 'ZodRawShape') ||
    (n?.type === 'TSQualifiedName' && n.right.name === 'ZodRawShape')
  );
}

/** `key: z.string().describe(…)`: a property whose value is a chain of calls on a zod schema. */
function isZodEntry(p: Node, zod: string): boolean {
  if (!/Property$/.test(p.type) || propertyKey(p) === undefined) return false;
  let v = p.value;
  while (v?.type === 'CallExpression' && v.callee.type === 'MemberExpression') v = v.callee.object;
  return v?.type === 'Identifier' && v.name === zod;
}
