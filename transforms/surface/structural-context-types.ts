/**
 * A project's own type for the part of the handler context a helper uses, written out member by member
 * (`interface ProgressMeta { _meta?: { progressToken?: string | number }; sendNotification: (n: …) => Promise<void> }`,
 * `makeProgressReporter(extra: ProgressMeta)` called with each tool's context). v2 keeps those members under
 * `ctx.mcpReq` / `ctx.http`, so the handlers' context no longer fits the type and the helper reads members that are
 * gone. The type becomes `Pick<ServerContext, …>` of the groups that hold them now, and it is a context type to the
 * rest of the pass: parameters typed with it have their reads moved like any context's.
 */
import type { ASTPath } from 'jscodeshift';
import { CONTEXT_MEMBERS } from './context-map.js';
import { CONTEXT_TYPE } from './renames.js';
import { sidePackage } from './routing.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

/** Members only a handler context has: a type of these is the context's, not an options bag (`{ signal }`). */
const TELLING = new Set(['_meta', 'sendNotification', 'sendRequest', 'requestId', 'authInfo', 'requestInfo']);

export function rewriteStructuralContextTypes(ctx: SurfaceContext): void {
  const { j, root } = ctx;
  const declarations: ASTPath<any>[] = [
    ...root.find(j.TSInterfaceDeclaration).paths(),
    ...root
      .find(j.TSTypeAliasDeclaration)
      .filter((p: ASTPath<any>) => p.node.typeAnnotation?.type === 'TSTypeLiteral')
      .paths()
  ];
  for (const p of declarations) {
    const n: Node = p.node;
    if (n.typeParameters || n.extends?.length) continue;
    const members: Node[] = n.type === 'TSInterfaceDeclaration' ? n.body.body : n.typeAnnotation.members;
    const keys = members.map(m =>
      /^TS(?:Property|Method)Signature$/.test(m.type) && !m.computed && m.key?.type === 'Identifier'
        ? m.key.name
        : undefined
    );
    if (!keys.length || !keys.every(k => k && Object.hasOwn(CONTEXT_MEMBERS, k))) continue;
    if (!keys.some(k => TELLING.has(k!))) continue;
    const groups = [...new Set(keys.map(k => CONTEXT_MEMBERS[k!]!.path[0]!))].sort();
    const picked = `Pick<${v2ContextType(ctx)}, ${groups.map(g => `'${g}'`).join(' | ')}>`;
    ctx.contextTypes.add(n.id.name);
    ctx.edits.push({ start: n.start, end: n.end, text: `type ${n.id.name} = ${picked};` });
  }
}

/** v2's handler context type (`ServerContext` / `ClientContext`), imported as a type under a name the file has free. */
export function v2ContextType(ctx: SurfaceContext): string {
  return ctx.sdkType(sidePackage(ctx.side), CONTEXT_TYPE[ctx.side]);
}
