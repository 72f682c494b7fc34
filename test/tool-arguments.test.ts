/**
 * The generated mcp-tool-arguments module, run: it is the only thing between a low-level server's tools/call
 * handler and unchecked arguments once the hand-written checks are gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { migrateText } from '../src/pipeline.js';
import {
  TOOL_ARGUMENTS_MODULE_SOURCE,
  toolArgumentsModuleJs
} from '../transforms/validators-to-json-schema/mcp-tool-arguments.source.js';
import { toolArgumentsValidator } from '../fixtures/validators-to-json-schema/mcp-tool-arguments.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

const tools = [
  {
    name: 'search',
    inputSchema: {
      type: 'object',
      properties: {
        q: { type: 'string', minLength: 1 },
        tags: { type: 'array', prefixItems: [{ type: 'string' }], items: false }
      },
      required: ['q']
    }
  },
  {
    name: 'legacy',
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { p: { type: 'array', items: [{ type: 'number' }], additionalItems: false } }
    }
  },
  { name: 'ping' }
];

describe('mcp-tool-arguments', () => {
  it('is the text the rewrite emits', () => {
    expect(fs.readFileSync(path.join(FIXTURES, 'validators-to-json-schema/mcp-tool-arguments.ts'), 'utf8')).toBe(
      TOOL_ARGUMENTS_MODULE_SOURCE
    );
  });

  it('passes good arguments and unknown tools, refuses bad ones with an isError result naming the field', async () => {
    const check = toolArgumentsValidator(tools);
    expect(await check('search', { q: 'tea', tags: ['a'] })).toBeUndefined();
    expect(await check('nope', { anything: 1 })).toBeUndefined();
    expect(await check('ping', undefined)).toBeUndefined();
    const bad = await check('search', { q: '', tags: ['a', 'b'] });
    expect(bad?.isError).toBe(true);
    const text = (bad?.content[0] as { text: string }).text;
    expect(text).toMatch(/^Input validation error: Invalid arguments for tool search: /);
    expect(text).toMatch(/\/q\b/);
  });

  it('reads 2020-12 by default and a draft when $schema names one', async () => {
    const check = toolArgumentsValidator(tools);
    // 2020-12: prefixItems + items:false caps the tuple; under draft-07 rules the same words would not.
    expect((await check('search', { q: 'x', tags: ['a', 'b'] }))?.isError).toBe(true);
    expect(await check('legacy', { p: [1] })).toBeUndefined();
    expect((await check('legacy', { p: [1, 2] }))?.isError).toBe(true);
  });

  it('checks a call without arguments as {}, like McpServer', async () => {
    const check = toolArgumentsValidator(tools);
    const missing = await check('search', undefined);
    expect((missing?.content[0] as { text: string }).text).toMatch(/required property 'q'/);
  });

  it('fails at construction, naming the tool, when a schema does not compile', () => {
    expect(() =>
      toolArgumentsValidator([
        { name: 'remote', inputSchema: { type: 'object', properties: { a: { $ref: 'https://example.com/s.json' } } } }
      ])
    ).toThrow(/inputSchema of tool remote does not compile/);
  });
});

describe('mcp-tool-arguments for JavaScript packages', () => {
  it('asks a list function on each call, so tools added later are checked too', async () => {
    const registry = [tools[0]!];
    let asked = 0;
    const check = toolArgumentsValidator(async () => {
      asked++;
      return registry;
    });
    expect(await check('search', { q: 'tea' })).toBeUndefined();
    expect(await check('legacy', { p: ['x'] })).toBeUndefined(); // not listed yet: not checked
    registry.push(tools[1]!);
    expect((await check('legacy', { p: ['x'] }))?.isError).toBe(true);
    expect((await check('search', { q: '' }))?.isError).toBe(true);
    expect(asked).toBe(4);
  });

  it('leaves a listed schema that does not compile unchecked, said once on stderr, instead of failing its calls', async () => {
    const broken = { name: 'broken', inputSchema: { type: 'object', properties: { x: { type: 'no-such-type' } } } };
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    try {
      const check = toolArgumentsValidator(() => [broken]);
      expect(await check('broken', { x: 1 })).toBeUndefined();
      expect(await check('broken', { x: 2 })).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual([
      expect.stringMatching(/^inputSchema of tool broken does not compile: .*; calls of broken are not checked$/)
    ]);
  });

  it('is emitted as .js beside a JavaScript server, and runs', async () => {
    const input = path.join(FIXTURES, 'validators-to-json-schema/type-guards-move-into-the-schema.input.js');
    const result = await migrateText(input, fs.readFileSync(input, 'utf8'), {
      transforms: ['validators-to-json-schema']
    });
    const created = Object.entries(result.created ?? {});
    expect(created.map(([file]) => path.basename(file))).toEqual(['mcp-tool-arguments.js']);
    expect(created[0]![1]).toBe(toolArgumentsModuleJs());
    expect(toolArgumentsModuleJs()).not.toMatch(/: (string|unknown|readonly)|import type|\bas const\b/);

    fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    const file = path.join(ROOT, '.tmp', `mcp-tool-arguments-${process.pid}.mjs`);
    fs.writeFileSync(file, toolArgumentsModuleJs());
    try {
      const mod = await import(file);
      const check = mod.toolArgumentsValidator(tools);
      expect(await check('search', { q: 'tea' })).toBeUndefined();
      expect((await check('search', { q: '' }))?.isError).toBe(true);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
