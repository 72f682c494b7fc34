/**
 * `mcp-migrate explain <id>` for every id the tool prints: a check rule (`session-id`, also as `check/session-id`
 * the way the leftovers pass writes it), a file rule (`unchecked-file`), an engine diagnostic (`parse-error`), or a
 * rewrite's marker (`stateless-entry/sse-endpoint`), explained by the lines of that rewrite's page that name it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRANSFORMS } from '../../transforms/index.js';
import { FILE_RULES } from '../check/file-rules.js';
import { RULES } from '../check/rules.js';
import { UsageError } from '../discover.js';

const ENGINE: Record<string, string> = {
  'parse-error':
    'The file does not parse, so it was left untouched. Fix the syntax error at the line given, then run again.',
  'type-error':
    '`--typecheck` found a type error in a changed file that the original did not have. The message names the ' +
    'symbol; fix it by hand or revert that file and migrate it on its own.',
  'support-module':
    'A generated support module (mcp-tracing.ts, mcp-handles.ts, …) could not be written where the rewrite wanted ' +
    'it; the message says why. The files that import it will not compile until it exists.',
  crash:
    'A rewrite threw on this file. Nothing from that rewrite was applied to it (the others still ran); please ' +
    'report the message with the smallest code that reproduces it.'
};

export function explanation(id: string, docsDir: string): string {
  const bare = id.replace(/^check\//, '');
  if (RULES.some(r => r.id === bare) || FILE_RULES.some(r => r.id === bare)) {
    return fs.readFileSync(path.join(docsDir, 'rules', `${bare}.md`), 'utf8');
  }
  if (ENGINE[bare]) return `# \`${bare}\`\n\n${ENGINE[bare]}\n`;
  const [rewrite, rule] = splitId(bare);
  if (rewrite && rule === 'crash') return `# \`${bare}\`\n\n${ENGINE.crash}\n`;
  if (rewrite && rule) {
    const page = path.join(docsDir, `${rewrite}.md`);
    const lines = fs.existsSync(page) ? linesNaming(fs.readFileSync(page, 'utf8'), rewrite, rule) : [];
    if (lines.length) {
      return (
        `# \`${bare}\`\n\nLeft by the \`${rewrite}\` rewrite. A TODO is an error in \`check\` (todo-marker) until ` +
        `someone acts on it; a NOTE is a warning (note-marker). From docs/${rewrite}.md:\n\n${lines.join('\n')}\n`
      );
    }
  }
  throw new UsageError(
    `unknown rule "${id}" (check rules: ${[...RULES, ...FILE_RULES].map(r => r.id).join(', ')}; ` +
      `rewrite markers look like <rewrite>/<rule>, rewrites: ${TRANSFORMS.map(t => t.meta.id).join(', ')})`
  );
}

function splitId(id: string): [string | undefined, string | undefined] {
  const slash = id.indexOf('/');
  if (slash < 0) return [undefined, undefined];
  const rewrite = id.slice(0, slash);
  const known = rewrite === 'surface' || TRANSFORMS.some(t => t.meta.id === rewrite);
  return known ? [rewrite, id.slice(slash + 1)] : [undefined, undefined];
}

/** Table rows and paragraphs of a rewrite page that name the rule as `rule` or `rewrite/rule`. */
function linesNaming(page: string, rewrite: string, rule: string): string[] {
  const names = [`\`${rule}\``, `\`${rewrite}/${rule}\``, `/${rule})`, `/${rule}\``];
  const blocks = page.split(/\n(?=\||\n|- )/);
  return blocks.filter(b => names.some(n => b.includes(n))).map(b => b.trim());
}

/** Rule pages live in docs/rules/<id>.md, shipped with the package. */
function rulesDocsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'docs', 'rules')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'docs', 'rules');
}

export function explainCommand(id: string): number {
  process.stdout.write(explanation(id, path.dirname(rulesDocsDir())));
  return 0;
}
