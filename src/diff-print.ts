/** Unified diffs for --dry-run: colored on a TTY, plain otherwise (pipes, CI logs, files). */
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import pc from 'picocolors';

export function unifiedDiff(file: string, before: string, after: string, cwd: string, color: boolean): string {
  const rel = path.relative(cwd, file) || file;
  const patch = createTwoFilesPatch(
    before === '' ? '/dev/null' : `a/${rel}`,
    `b/${rel}`,
    before,
    after,
    undefined,
    undefined,
    { context: 3 }
  );
  const body = patch
    .split('\n')
    .slice(1) // drop the "====" banner line
    .map(shortened)
    .join('\n');
  if (!color) return body;
  const c = pc.createColors(true);
  return body
    .split('\n')
    .map(l =>
      l.startsWith('+++') || l.startsWith('---')
        ? c.bold(l)
        : l.startsWith('@@')
          ? c.cyan(l)
          : l.startsWith('+')
            ? c.green(l)
            : l.startsWith('-')
              ? c.red(l)
              : l
    )
    .join('\n');
}

/** Lines longer than this (a minified bundle is one) are shown cut: a diff is read, and such a line says nothing. */
export const MAX_SHOWN_LINE = 1000;

function shortened(line: string): string {
  if (line.length <= MAX_SHOWN_LINE) return line;
  const shown = 200;
  return `${line.slice(0, shown)} … [${line.length - shown} more characters not shown]`;
}
