/**
 * client-version-negotiation (SEP-2575, the client side of stateless-entry): a v2 `Client` with no
 * `versionNegotiation` still opens every connection with the 2025 `initialize` handshake. `new Client(info)` / `new Client(info, { … })` gain
 * `versionNegotiation: { mode: 'auto' }`, which speaks 2026-07-28 to servers that offer it and falls back to 2025
 * for the rest (pin `{ mode: { pin: '2026-07-28' } }` by hand once every server is migrated).
 *
 * Skips with a TODO marker: options passed as a variable or with a spread (we cannot see whether negotiation is
 * set). Only `Client` imported from `@modelcontextprotocol/client` is touched. Edits are spliced into the text.
 */
import type { ASTPath } from 'jscodeshift';
import { dominantQuote } from '../kit/source-style.js';
import { propertyKey, statementPathOf } from '../kit/ast.js';
import { defineTransform, type RewriteContext, type TransformMeta } from '../kit/transform.js';
import { markerEdit } from '../kit/markers.js';
import { applyEdits, type TextEdit } from '../kit/text-edits.js';
import { parseForEdits } from '../kit/parse.js';

const meta: TransformMeta = {
  id: 'client-version-negotiation',
  title: 'Client version negotiation',
  summary: "new Client(...) gains versionNegotiation: { mode: 'auto' } so it can speak 2026-07-28",
  spec: ['SEP-2575'],
  safety: 'safe',
  prefilter: /@modelcontextprotocol\/client/
};

const RULE = 'client-version-negotiation/options';

function clientVersionNegotiation({ file, j, options }: RewriteContext<undefined>): string | undefined {
  const src = file.source;
  const root = parseForEdits(j, file.path, src);
  const local = root
    .find(j.ImportDeclaration, { source: { value: '@modelcontextprotocol/client' } })
    .find(j.ImportSpecifier, { imported: { name: 'Client' } })
    .paths()
    .map((p: ASTPath<any>) => p.node.local?.name ?? 'Client')[0];
  if (!local) return undefined;
  const q = dominantQuote(src);
  const setting = `versionNegotiation: { mode: ${q}auto${q} }`;
  const edits: TextEdit[] = [];
  root.find(j.NewExpression, { callee: { name: local } }).forEach((p: ASTPath<any>) => {
    const [info, opts] = p.node.arguments;
    if (!info) return;
    if (!opts) {
      edits.push({ start: info.end, end: info.end, text: `, { ${setting} }` });
      return;
    }
    if (opts.type === 'ObjectExpression' && !opts.properties.some((pr: any) => pr.type === 'SpreadElement')) {
      if (opts.properties.some((pr: any) => propertyKey(pr) === 'versionNegotiation')) return;
      const last = opts.properties[opts.properties.length - 1];
      edits.push(
        last
          ? { start: last.end, end: last.end, text: `, ${setting}` }
          : { start: opts.start, end: opts.end, text: `{ ${setting} }` }
      );
      return;
    }
    const message =
      "make sure these client options set versionNegotiation (e.g. { mode: 'auto' }); without it the client speaks only 2025";
    const marker = markerEdit(src, statementPathOf(p).node, 'TODO', RULE, message, options);
    if (marker) edits.push(marker);
  });
  return edits.length ? applyEdits(src, edits) : undefined;
}

export default defineTransform({ meta, rewrite: clientVersionNegotiation });
