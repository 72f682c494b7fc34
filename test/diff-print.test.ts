import { describe, expect, it } from 'vitest';
import { MAX_SHOWN_LINE, unifiedDiff } from '../src/diff-print.js';

describe('unified diffs', () => {
  it('show a line a reader can take in whole, and cut a minified one', () => {
    const bundle = `!function(){${'var a=1;'.repeat(500)}}();\n`;
    const diff = unifiedDiff('/p/dist/index.js', bundle, `${bundle}// TODO(mcp-migrate/x): y\n`, '/p', false);
    const lines = diff.split('\n');
    expect(lines.slice(0, 2)).toEqual(['--- a/dist/index.js', '+++ b/dist/index.js']);
    const context = ` ${bundle.trimEnd()}`;
    expect(lines).toContain(`${context.slice(0, 200)} … [${context.length - 200} more characters not shown]`);
    expect(lines).toContain('+// TODO(mcp-migrate/x): y');
    expect(Math.max(...lines.map(l => l.length))).toBeLessThan(MAX_SHOWN_LINE);
    const short = unifiedDiff('/p/a.ts', 'const a = 1;\n', 'const a = 2;\n', '/p', false);
    expect(short.split('\n')).toEqual(expect.arrayContaining(['-const a = 1;', '+const a = 2;']));
  });
});
