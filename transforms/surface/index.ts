/**
 * surface: the v1 → v2 SDK surface, our own rewrite (the official @modelcontextprotocol/codemod is a test oracle only).
 * Import paths and symbols routed to the v2 entry points that export them (the table read from the published
 * packages), renamed symbols (`McpError` → `ProtocolError`, `ErrorCode` → `ProtocolErrorCode`, …),
 * `setRequestHandler(Schema)` → method strings, `extra` → `ctx` with its members regrouped (also in helpers the
 * context reaches, and in test mocks), `.tool()` / `.prompt()` / `.resource()` → `register*` in every argument shape,
 * raw shapes → `z.object`, result-schema arguments dropped, CommonJS requires, dynamic imports and mocks.
 * An import is the v1 SDK only by its package specifier or a vendored copy the engine proved by content.
 *
 * Two passes over the text, each one parse: the first rewrites imports, references, handlers, contexts and marks
 * removed APIs; the second restructures registration calls (whose arguments the first may have touched) and
 * settles imports. Linear in the file's size. Where v2 has no counterpart the code stays with a
 * `TODO(mcp-migrate/surface/<rule>)` marker saying what to do.
 */
import { importLineEdit, namedImportsEdit, zodNamespace, zodValueFromTypeImport } from '../kit/import-edits.js';
import { dominantQuote } from '../kit/source-style.js';
import { applyEdits } from '../kit/text-edits.js';
import { parseForEdits } from '../kit/parse.js';
import { defineTransform, type RewriteContext, type TransformMeta } from '../kit/transform.js';
import { rewriteHandlerContext } from './handler-context.js';
import { rewriteImports } from './import-rewrite.js';
import { rewriteReferences } from './references.js';
import { rewriteRegistrations } from './registrations.js';
import { markRemovedApis } from './removed-apis.js';
import { rewriteRequestHandlers } from './request-handlers.js';
import { rewriteRequires } from './require-rewrite.js';
import { pruneDroppedRequires } from './dropped-requires.js';
import { rewriteSchemaKeys } from './schema-keys.js';
import { moveInfoCapabilities } from './server-info-capabilities.js';
import { sdkModulePath } from './specifiers.js';
import { SURFACE, surfaceContext } from './surface-context.js';
import { objectSchemaForShapeCallbacks } from './shape-callbacks.js';
import { rewriteTaskTools } from './task-tools.js';
import { rewriteDrainedTaskStreams } from './task-streams.js';
import { namedFromNamespaceImports } from './namespace-imports.js';
import { dropServerTypeArguments } from './server-type-arguments.js';
import type { Side } from './routing.js';
import { CONTEXT_MEMBER_DECLARED, CONTEXT_MEMBER_READ } from './context-text.js';
import { relateNotificationsToTheirRequest } from './related-notifications.js';

const meta: TransformMeta = {
  id: SURFACE,
  title: 'v1 → v2 SDK surface',
  summary: 'v1 imports, symbols, handler registrations, contexts and .tool()/.prompt()/.resource() → the v2 packages',
  spec: [],
  safety: 'safe',
  // Register calls too: a compiled module handed the server imports nothing, and its handlers' contexts still change.
  // And a helper's own type for the part of the context it is handed (`sendNotification: (n) => …`), and reads of it.
  prefilter: new RegExp(
    String.raw`@modelcontextprotocol\/sdk|['"]\.\.?\/|\.(?:tool|prompt|resource|registerTool|registerPrompt|registerResource)\s*\(|` +
      `setRequestHandler|${CONTEXT_MEMBER_DECLARED}|${CONTEXT_MEMBER_READ}`
  )
};

function surface({ file, j, options }: RewriteContext<undefined>): string | undefined {
  const named = namedFromNamespaceImports(j, file.path, file.source, options);
  const src = rewriteTaskTools(j, file.path, rewriteDrainedTaskStreams(j, file.path, named), options);
  const quote = dominantQuote(src);
  const root = parseForEdits(j, file.path, src);
  const side = sideOf(src, options);
  const first = surfaceContext(j, root, src, file.path, options, quote, side);
  const writeImports = rewriteImports(first);
  rewriteRequires(first);
  rewriteReferences(first);
  rewriteRequestHandlers(first);
  rewriteSchemaKeys(first);
  rewriteHandlerContext(first);
  objectSchemaForShapeCallbacks(first);
  moveInfoCapabilities(first);
  markRemovedApis(first);
  dropServerTypeArguments(first);
  writeImports();
  const wasV1 = first.imported.size > 0 || first.edits.length > 0;
  const text = first.edits.length ? applyEdits(src, first.edits) : src;

  const root2 = parseForEdits(j, file.path, text);
  const second = surfaceContext(j, root2, text, file.path, options, quote, side);
  second.imported = first.imported;
  const zod = zodNamespace(j, root2);
  const wrapped = rewriteRegistrations(second, zod ?? 'z', wasV1);
  pruneDroppedRequires(second, first.dropped);
  relateNotificationsToTheirRequest(second);
  for (const [entry, names] of first.needs) {
    const e = namedImportsEdit(j, root2, text, entry, [...names], quote);
    if (e) second.edits.push(e);
  }
  if (wrapped && !zod)
    second.edits.push(
      ...(zodValueFromTypeImport(j, root2, text) ?? [
        importLineEdit(j, root2, `import { z } from ${quote}zod${quote};`)
      ])
    );
  return second.edits.length ? applyEdits(text, second.edits) : text;
}

/** A file that imports only client modules is client code; anything else is treated as a server. */
function sideOf(src: string, options: RewriteContext<undefined>['options']): Side {
  const paths = [...src.matchAll(/['"]([^'"]+)['"]/g)]
    .map(m => sdkModulePath(m[1]!, options))
    .filter((m): m is string => m !== undefined);
  const client = paths.some(p => p.startsWith('client'));
  const server = paths.some(p => p.startsWith('server'));
  return client && !server ? 'client' : 'server';
}

export default defineTransform({ meta, rewrite: surface });
