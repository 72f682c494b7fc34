/**
 * v1's low-level `Server<RequestT, NotificationT, ResultT>` was generic over the project's own requests,
 * notifications and results; v2's `Server` takes no type parameters (TS2315 "Type 'Server' is not generic"). Where the
 * arguments only narrow a value (`server as Server<Request, Notification, Result>`) they go. A type that reads one
 * back (`S extends Server<infer R, any, any> ? R : never`) read v1's default for a server built without them, which is
 * every v2 server: it becomes `S extends Server ? Request : never` (Notification, Result alike). Any other read (two
 * inferred at once, one used inside a larger type) stays, marked.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { typeArgumentList } from '../kit/ast.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

export function dropServerTypeArguments(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  root.find(j.TSTypeReference, { typeName: { type: 'Identifier' } }).forEach((p: ASTPath<any>) => {
    if (ctx.imported.get(p.node.typeName.name) !== 'Server') return;
    const list = typeArgumentList(p.node);
    if (!list) return;
    if (j(list).find(j.TSInferType).size() > 0) {
      const read = defaultRead(j, root, p, list);
      if (read) {
        ctx.edits.push({ start: list.start, end: list.end, text: '' });
        const written = ctx.sdkType('@modelcontextprotocol/server', read.type);
        ctx.edits.push({ start: read.at.start, end: read.at.end, text: written });
        return;
      }
      ctx.mark(
        p,
        'TODO',
        'server-type-parameters',
        "v2's Server takes no type parameters, so a type cannot infer v1's request, notification and result types " +
          "from it: name the types directly (v1's defaults, for a server built without them: Request, Notification, " +
          'Result)'
      );
      return;
    }
    ctx.edits.push({ start: list.start, end: list.end, text: '' });
  });
}

/** v1's `Server<RequestT = Request, NotificationT = Notification, ResultT = Result>`, by position. */
const DEFAULTS = ['Request', 'Notification', 'Result'];

/**
 * `S extends Server<…, infer X, …> ? X : F`, one argument inferred and the others `any` / `unknown`: the default the
 * inferred position had, and the `X` to replace with it. Not where the file names that default itself (a DOM
 * `Request`), which an import would shadow.
 */
function defaultRead(
  j: JSCodeshift,
  root: Collection<any>,
  reference: ASTPath<any>,
  list: Node
): { type: string; at: Node } | undefined {
  const params: Node[] = list.params ?? [];
  const at = params.findIndex(t => t.type === 'TSInferType');
  if (at < 0 || at >= DEFAULTS.length || params.length > DEFAULTS.length) return undefined;
  if (params.some((t, i) => i !== at && t.type !== 'TSAnyKeyword' && t.type !== 'TSUnknownKeyword')) return undefined;
  const inferred = params[at].typeParameter?.name;
  const owner = reference.parent?.node;
  const whenTrue =
    owner?.type === 'TSConditionalType' && owner.extendsType === reference.node ? owner.trueType : undefined;
  if (whenTrue?.type !== 'TSTypeReference' || whenTrue.typeName?.name !== inferred || whenTrue.typeParameters)
    return undefined;
  const type = DEFAULTS[at]!;
  if (root.find(j.Identifier, { name: type }).size() > 0) return undefined;
  return { type, at: whenTrue };
}
