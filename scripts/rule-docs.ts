/** Writes docs/rules/<id>.md from the rule data. `npm run docs:rules`; a test fails when the pages are stale. */
import fs from 'node:fs';
import path from 'node:path';
import { RULES } from '../src/check/rules.js';
import { ruleDoc } from '../src/check/rule-doc.js';

const dir = path.resolve(import.meta.dirname, '../docs/rules');
fs.mkdirSync(dir, { recursive: true });
for (const rule of RULES) fs.writeFileSync(path.join(dir, `${rule.id}.md`), ruleDoc(rule));
fs.writeFileSync(
  path.join(dir, 'invalid-suppression.md'),
  '# `invalid-suppression`\n\n**Severity:** error.\n\nAn `mcp-migrate-ignore` comment without a reason ' +
    'suppresses nothing. Write `// mcp-migrate-ignore-next-line <rule-id> -- <why>`.\n'
);
console.log(`wrote ${RULES.length + 1} pages to ${path.relative(process.cwd(), dir)}`);
