/** Writes docs/rules/<id>.md from the rule data. `npm run docs:rules`; a test fails when the pages are stale. */
import fs from 'node:fs';
import path from 'node:path';
import { FILE_RULES } from '../src/check/file-rules.js';
import { RULES } from '../src/check/rules.js';
import { ruleDoc } from '../src/check/rule-doc.js';

const dir = path.resolve(import.meta.dirname, '../docs/rules');
fs.mkdirSync(dir, { recursive: true });
for (const rule of RULES) fs.writeFileSync(path.join(dir, `${rule.id}.md`), ruleDoc(rule));
for (const rule of FILE_RULES) fs.writeFileSync(path.join(dir, `${rule.id}.md`), rule.page);
console.log(`wrote ${RULES.length + FILE_RULES.length} pages to ${path.relative(process.cwd(), dir)}`);
