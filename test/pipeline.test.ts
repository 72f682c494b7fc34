/** Engine units the fixture pairs cannot show: diagnostics, refusals and text shapes. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keepNesting, minimizeDiff } from '../src/minimal-diff.js';
import { migrateText } from '../src/pipeline.js';
import { withoutAddedSemicolons } from '../src/semicolon-style.js';
import { fixturePairs, transformsFor } from './helpers/fixtures.js';

describe('pipeline', () => {
  it('treats a relative import as the SDK only when the engine proved it is a vendored copy', async () => {
    const text =
      "import { McpServer } from '../server/mcp.js';\nexport const s = new McpServer({ name: 'x', version: '1' });\n";
    const own = await migrateText('src/app.ts', text, { transforms: ['surface'] });
    expect(own.changed).toBe(false);
    const vendored = await migrateText('src/app.ts', text, {
      transforms: ['surface'],
      vendoredSdk: { '../server/mcp.js': '@modelcontextprotocol/sdk/server/mcp.js' }
    });
    expect(vendored.output).toContain("import { McpServer } from '@modelcontextprotocol/server';");
  });

  it('leaves a file that does not parse untouched and says where', async () => {
    const r = await migrateText('a.ts', "import '@modelcontextprotocol/sdk/server/mcp.js';\nconst = 1;\n");
    expect(r.changed).toBe(false);
    expect(r.error).toMatch(/does not parse/);
    expect(r.diagnostics[0]).toMatchObject({ rule: 'parse-error', line: 2 });
  });

  it('keeps a shebang and shifts diagnostic lines past it', async () => {
    const text =
      '#!/usr/bin/env node\n' +
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n" +
      "export const s = new McpServer({ name: 'x', version: '1' });\n" +
      "s.tool('t', async () => ({ content: [] }));\n";
    const r = await migrateText('a.ts', text);
    expect(r.output!.startsWith('#!/usr/bin/env node\nimport { McpServer } from')).toBe(true);
  });

  it('a server in a test file gets no cache hints (its only caller is the test), the same server elsewhere does', async () => {
    const text =
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n" +
      "export const s = new McpServer({ name: 'x', version: '1' });\n";
    for (const file of [
      'src/tools/items_test.ts',
      'src/a.test.ts',
      'test/server.ts',
      'src/__tests__/b.ts',
      'c.spec.mjs'
    ])
      expect((await migrateText(file, text)).output, file).not.toContain('cacheHints');
    expect((await migrateText('src/server.ts', text)).output).toContain("'server/discover': { ttlMs");
  });

  it('a non-MCP file comes back byte-identical, CRLF and BOM included', async () => {
    const text = '\ufeffexport const a = "x";\r\nexport const b = 1;\r\n';
    const r = await migrateText('a.ts', text);
    expect(r.changed).toBe(false);
    expect(r.output).toBeUndefined();
  });
});

describe('marker diagnostics', () => {
  it('point at the statement under their marker in the final text, after every later rewrite moved it', async () => {
    let checked = 0;
    for (const pair of fixturePairs()) {
      const input = fs.readFileSync(pair.input, 'utf8');
      const r = await migrateText(pair.input, input, { transforms: transformsFor(pair.transform) });
      const lines = (r.output ?? input).split('\n');
      for (const d of r.diagnostics) {
        const tag = `(mcp-migrate/${d.rule}):`;
        const markers = lines.flatMap((l, i) => (/^\s*\/\/ (TODO|NOTE)\(/.test(l) && l.includes(tag) ? [i + 1] : []));
        if (d.severity === 'info' || markers.length === 0) continue;
        // The line above the diagnostic is one of its rule's markers, or another marker stacked under it.
        let above = d.line - 1;
        while (above > 0 && !markers.includes(above) && /^\s*\/\/ (TODO|NOTE)\(/.test(lines[above - 1]!)) above--;
        expect(markers, `${pair.transform}/${pair.name} ${d.rule} at ${d.line}`).toContain(above);
        expect(lines[d.line - 1], `${pair.transform}/${pair.name} ${d.rule}`).not.toMatch(/^\s*\/\/ (TODO|NOTE)\(/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('minimal-diff', () => {
  it('puts back lines that changed only in whitespace or quotes', () => {
    const input = "const a = { x: 1 };\nfoo('bar');\n";
    const output = 'const a = {x:1};\nfoo("bar");\n';
    expect(minimizeDiff('a.ts', input, output)).toBe(input);
  });

  it('re-quotes literals on new lines to the dominant style, unless that needs escapes', () => {
    const input = "import a from 'a';\nimport b from 'b';\n";
    const output = 'import a from \'a\';\nimport c from "c";\nimport d from "it\'s";\n';
    expect(minimizeDiff('a.ts', input, output)).toBe(
      "import a from 'a';\nimport c from 'c';\nimport d from \"it's\";\n"
    );
  });

  it('never keeps a line put back at a depth that breaks the printed nesting (no block mixes levels)', () => {
    // What the aligner can produce in a big moved region (seen on a real filesystem server): lines paired with input
    // lines from elsewhere in the file, at another depth, next to lines the printer placed.
    const printed = [
      'function createServer() {',
      '  server.oninitialized = async () => {',
      '    try {',
      '      await refresh();',
      '    } catch (error) {',
      '      report(error);',
      '    }',
      '  };',
      '}'
    ];
    const restored = [...printed];
    restored[3] = '  await refresh();';
    restored[4] = '} catch (error) {';
    const kept = keepNesting(printed, restored);
    expect(kept).toEqual(printed);
    // Lines put back consistently (the whole block at the input's own width) stay put back.
    const wider = printed.map(l => l.replace(/^( *)/, m => m + m));
    expect(keepNesting(printed, wider)).toEqual(wider);
  });

  it('keeps a line taken out of a block the rewrite removed one step in from its opener', () => {
    const input =
      "app.get('/', c => {\n  const id = read(c);\n  if (!id) {\n    return page(c);\n  }\n  return stream(id);\n});\n";
    const output = "app.get('/', c => {\n  return page(c);\n});\n";
    expect(minimizeDiff('a.ts', input, output)).toBe(output);
  });

  it('keeps the one-level indent of code moved into a new block', () => {
    const input = 'const s = make();\ns.add(1);\nrun(s);\n';
    const output = 'function build() {\n  const s = make();\n  s.add(1);\n  return s;\n}\nrun(build());\n';
    expect(minimizeDiff('a.ts', input, output)).toBe(output);
  });
});

describe('semicolon style', () => {
  const asi = ['const a = 1', 'let b = 2', 'function f() {', '  return a + b', '}', 'f()'].join('\n');

  it('drops the semicolons a rewrite added to a file written without them, not those in a for head', () => {
    const printed = [asi, 'for (let i = 0; i < 2; i++) {', '  f();', '}', 'const c = f();'].join('\n');
    expect(withoutAddedSemicolons('a.ts', asi, printed)).toBe(
      [asi, 'for (let i = 0; i < 2; i++) {', '  f()', '}', 'const c = f()'].join('\n')
    );
  });

  it('moves a semicolon before a line that would continue the statement, and leaves semicolon files alone', () => {
    expect(withoutAddedSemicolons('a.ts', asi, `${asi}\nf();\n[a, b].forEach(f)`)).toBe(
      `${asi}\nf()\n;[a, b].forEach(f)`
    );
    const semi = asi.replace(/\n/g, ';\n').replace('{;', '{');
    expect(withoutAddedSemicolons('a.ts', semi, `${semi}\nf();`)).toBe(`${semi}\nf();`);
  });
});
