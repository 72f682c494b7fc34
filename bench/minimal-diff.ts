/**
 * How much formatting churn reaches the user: the official codemod alone vs. our pipeline (surface stage with the
 * minimal-diff pass, and the full pipeline), on the SDK's own v1.29.0 example servers.
 *
 *   npx tsx bench/minimal-diff.ts --git <typescript-sdk git dir> --ref v1.29.0 --path src/examples/server
 *   npx tsx bench/minimal-diff.ts --folder <dir of v1 servers>
 *
 * Prints, per variant: files changed, changed lines, whitespace-only changed lines (share), lines changed only in
 * quote style, and string literals newly written in the file's minority quote style (flips).
 */
import fs from 'node:fs';
import path from 'node:path';
import { churn, type ChurnStats } from '../src/diff-stats.js';
import { dominantQuote } from '../transforms/kit/source-style.js';
import { migrateText } from '../src/pipeline.js';
import { runOfficialCodemod } from '../test/helpers/official-codemod.js';
import { arg, filesUnder, treeFrom } from './source-tree.js';

const tree = treeFrom({ gitDir: arg('git'), ref: arg('ref'), subpath: arg('path'), folder: arg('folder') });
const files = filesUnder(tree.dir);
const totals: Record<string, ChurnStats & { files: number; quoteFlips: number }> = {};
/** String literals in the file's minority quote style: the official codemod writes new ones with double quotes. */
const minorityLiterals = (text: string, quote: string) =>
  [...text.matchAll(quote === "'" ? /"(?:\\.|[^"\\\n])*"/g : /'(?:\\.|[^'\\\n])*'/g)].length;
const add = (variant: string, input: string, output: string) => {
  const t = (totals[variant] ??= { files: 0, changedLines: 0, whitespaceOnly: 0, quoteOnly: 0, quoteFlips: 0 });
  if (input === output) return;
  const s = churn(input, output);
  t.files++;
  t.changedLines += s.changedLines;
  t.whitespaceOnly += s.whitespaceOnly;
  t.quoteOnly += s.quoteOnly;
  const q = dominantQuote(input);
  t.quoteFlips += Math.max(0, minorityLiterals(output, q) - minorityLiterals(input, q));
};
for (const file of files) {
  const input = fs.readFileSync(file, 'utf8');
  add('official codemod alone', input, (await runOfficialCodemod(file, input)).text);
  add(
    'mcp-migrate --transforms surface',
    input,
    (await migrateText(file, input, { transforms: ['surface'] })).output ?? input
  );
  add('mcp-migrate (all rewrites)', input, (await migrateText(file, input)).output ?? input);
}
console.log(`${files.length} files under ${path.basename(tree.dir)}\n`);
console.log('variant'.padEnd(36), 'files', 'changed', 'ws-only', 'ws-share', 'quote-only', 'quote-flips');
for (const [variant, t] of Object.entries(totals)) {
  const share = t.changedLines ? ((100 * t.whitespaceOnly) / t.changedLines).toFixed(1) + '%' : '-';
  console.log(
    variant.padEnd(36),
    String(t.files).padStart(5),
    String(t.changedLines).padStart(7),
    String(t.whitespaceOnly).padStart(7),
    share.padStart(8),
    String(t.quoteOnly).padStart(10),
    String(t.quoteFlips).padStart(11)
  );
}
tree.cleanup();
