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
  const body = patch.split('\n').slice(1).join('\n'); // drop the "====" banner line
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
