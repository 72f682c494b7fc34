/**
 * Names a CommonJS require takes from the SDK that the rewrite used away: `const { CallToolRequestSchema } =
 * require('@modelcontextprotocol/core')` once every registration names its method instead. An import declaration
 * leaves such a name out when it is written (import-rewrite.ts); a require is routed before the passes that drop the
 * uses, so here, on the rewritten text, a property the passes dropped and nothing reads any more goes, and the
 * statement with its last one. A name the code did not read before the rewrite is the user's and stays.
 */
import type { ASTPath } from 'jscodeshift';
import { statementRemoval } from '../kit/ast.js';
import { listItemsRemoval } from '../kit/text-edits.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

const SDK = /^@modelcontextprotocol\//;

export function pruneDroppedRequires(ctx: SurfaceContext, dropped: Map<string, number>): void {
  if (!dropped.size) return;
  const { j, root } = ctx;
  const body: Node[] = root.get().node.program?.body ?? [];
  for (const statement of body) {
    if (statement.type !== 'VariableDeclaration' || statement.declarations.length !== 1) continue;
    const [declarator] = statement.declarations;
    const init = declarator.init;
    if (
      declarator.id.type !== 'ObjectPattern' ||
      init?.type !== 'CallExpression' ||
      init.callee.type !== 'Identifier' ||
      init.callee.name !== 'require' ||
      !SDK.test(String(init.arguments[0]?.value ?? ''))
    )
      continue;
    const properties: Node[] = declarator.id.properties;
    const unread = new Set<number>();
    properties.forEach((prop, i) => {
      const local = prop.type === 'RestElement' ? undefined : prop.value;
      if (local?.type !== 'Identifier' || !dropped.has(local.name)) return;
      const reads = root
        .find(j.Identifier, { name: local.name })
        .filter((p: ASTPath<any>) => p.node.start < statement.start || p.node.end > statement.end)
        .size();
      if (reads === 0) unread.add(i);
    });
    if (!unread.size) continue;
    if (unread.size === properties.length) ctx.edits.push(statementRemoval(ctx.src, statement));
    else ctx.edits.push(...listItemsRemoval(properties, unread));
  }
}
