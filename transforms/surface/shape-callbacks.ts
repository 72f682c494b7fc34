/**
 * v1 typed a tool's or prompt's callback by the raw shape of its arguments (`ToolCallback<typeof this.argsShape>`,
 * where `argsShape: ZodRawShape`); v2's `ToolCallback` / `PromptCallback` take the schema (`StandardSchemaWithJSON`),
 * and the registration already hands it `z.object(shape)`. So a callback type over a raw shape names the object
 * schema of that shape, `ToolCallback<z.ZodObject<typeof this.argsShape>>`, whose arguments are the same. Only where
 * the argument is known to be a shape: `ZodRawShape` itself, or `typeof` a member or variable of the file declared
 * `ZodRawShape` or written as an object of zod schemas; and only where the file names zod's namespace.
 */
import type { ASTPath } from 'jscodeshift';
import { propertyKey, typeArgumentsOf } from '../kit/ast.js';
import type { SurfaceContext } from './surface-context.js';
import { zodTypesNamespace } from './zod-compat-types.js';

type Node = any;

const CALLBACK_TYPES = new Set(['ToolCallback', 'PromptCallback']);

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
  root.find(j.TSTypeReference, { typeName: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    if (!CALLBACK_TYPES.has(ctx.imported.get(p.node.typeName.name) ?? '')) return;
    const [shape] = typeArgumentsOf(p.node);
    const z = shape ? zodName() : null;
    if (!z || !isShapeType(ctx, p, shape, z)) return;
    ctx.edits.push(
      { start: shape.start, end: shape.start, text: `${z}.ZodObject<` },
      { start: shape.end, end: shape.end, text: '>' }
    );
  });
}

function isShapeType(ctx: SurfaceContext, at: ASTPath<any>, t: Node, zod: string): boolean {
  if (t.type === 'TSTypeReference') return isRawShapeName(t);
  const name = t.type === 'TSTypeQuery' ? t.exprName : undefined;
  let declared: Node[] = [];
  if (name?.type === 'Identifier') {
    declared = ctx.root.find(ctx.j.VariableDeclarator, { id: { type: 'Identifier', name: name.name } }).nodes();
  } else if (name?.type === 'TSQualifiedName' && name.left.type === 'Identifier' && name.left.name === 'this') {
    // `typeof this.argsShape` reads the class's own declaration of it (a subclass may assign it otherwise).
    let cls = at.parent;
    while (cls && !/^Class(Declaration|Expression)$/.test(cls.node.type)) cls = cls.parent;
    declared = (cls?.node.body.body ?? []).filter(
      (m: Node) => m.type === 'ClassProperty' && !m.computed && propertyKey(m) === name.right.name
    );
  }
  if (declared.length !== 1) return false;
  const [d] = declared;
  const annotation = (d.typeAnnotation ?? d.id?.typeAnnotation)?.typeAnnotation;
  if (annotation) return annotation.type === 'TSTypeReference' && isRawShapeName(annotation);
  const value = d.value ?? d.init;
  return (
    value?.type === 'ObjectExpression' &&
    value.properties.length > 0 &&
    value.properties.every((e: Node) => isZodEntry(e, zod))
  );
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
