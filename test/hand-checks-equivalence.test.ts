/**
 * Moving hand-written checks into the schema is tested, not assumed. For every low-level fixture server that the
 * rewrite gave a validator, both versions run for real: the input's `tools/call` handler behind its advertised
 * schema under the SDK's validator (what the migrated server now enforces before any check), and the output's handler, which
 * validates by itself through the generated mcp-tool-arguments module and has lost the checks the schema took
 * over. Generated argument objects (fast-check, shaped by the output schema so bounds and patterns are hit) must
 * be accepted or rejected alike, and both verdicts must occur for every tool.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { fromJsonSchema, McpServer, Server } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { argumentsFor } from './helpers/schema-arbitraries.js';

const DIR = path.join(FIXTURES, 'validators-to-json-schema');

type Handler = (request: unknown, ctx?: unknown) => Promise<any>;

// Capture the handlers a fixture's createServer() registers instead of serving them.
const captured: Record<string, Handler>[] = [];
const original = Server.prototype.setRequestHandler;
(Server.prototype as any).setRequestHandler = function (method: string, handler: Handler) {
  captured[captured.length - 1]![method] = handler;
};
const originalRegisterTool = McpServer.prototype.registerTool;
(McpServer.prototype as any).registerTool = function (name: string, config: { inputSchema?: any }, callback: Handler) {
  captured[captured.length - 1]![`tool:${name}`] = async (args: unknown) => {
    // What McpServer does before the callback: validate with the tool's own schema.
    const result = config.inputSchema ? await config.inputSchema['~standard'].validate(args ?? {}) : { value: args };
    if (result.issues?.length) return { isError: true };
    return callback(result.value, {});
  };
  captured[captured.length - 1]![`schema:${name}`] = config.inputSchema;
};
afterAll(() => {
  Server.prototype.setRequestHandler = original;
  McpServer.prototype.registerTool = originalRegisterTool;
});

async function handlers(file: string): Promise<Record<string, Handler>> {
  const mod = await import(path.join(DIR, file));
  captured.push({});
  mod.createServer(false);
  return captured[captured.length - 1]!;
}

/** Accepted: the handler returned a result that is not a tool error. */
async function accepts(handler: Handler, tool: string, args: unknown): Promise<boolean> {
  try {
    const result = await handler({ method: 'tools/call', params: { name: tool, arguments: args } });
    return result?.isError !== true;
  } catch {
    return false;
  }
}

const pairs = fs
  .readdirSync(DIR)
  .filter(
    f =>
      /\.output\.[jt]s$/.test(f) &&
      /= toolArgumentsValidator\(|new McpServer\(/.test(fs.readFileSync(path.join(DIR, f), 'utf8'))
  )
  .filter(f => fs.readFileSync(path.join(DIR, f), 'utf8').includes('export function createServer'))
  .map(f => ({ input: f.replace('.output.', '.input.'), output: f }));

describe('validators-to-json-schema: checks moved into the schema accept and reject what they did', () => {
  it('finds migrated low-level servers among the fixtures', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(3);
  });

  it.each(pairs.map(p => [p.output, p] as const))('%s', async (_, pair) => {
    const before = await handlers(pair.input);
    const after = await handlers(pair.output);
    if (!after['tools/list']) return mcpServerTools(before, after);
    const advertisedBefore = (await before['tools/list']!({ method: 'tools/list' })).tools;
    const advertisedAfter = (await after['tools/list']!({ method: 'tools/list' })).tools;
    for (const tool of advertisedAfter) {
      const schemaBefore = advertisedBefore.find((t: any) => t.name === tool.name).inputSchema;
      // What the migrated server enforces of the old schema: the SDK's validator, in the dialect $schema names.
      const standard = fromJsonSchema(schemaBefore)['~standard'];
      const enforcedBefore = (args: unknown) => !(standard.validate(args) as { issues?: unknown[] }).issues?.length;
      let accepted = 0;
      let rejected = 0;
      await fc.assert(
        // A call may come without arguments at all (they are optional on the wire).
        fc.asyncProperty(
          fc.oneof(
            { weight: 1, arbitrary: fc.constant(undefined) },
            { weight: 30, arbitrary: argumentsFor(tool.inputSchema) }
          ),
          async args => {
            const verdict = enforcedBefore(args ?? {}) && (await accepts(before['tools/call']!, tool.name, args));
            if (verdict) accepted++;
            else rejected++;
            expect(await accepts(after['tools/call']!, tool.name, args), JSON.stringify(args)).toBe(verdict);
          }
        ),
        { numRuns: 3000, seed: 2026 }
      );
      expect(accepted, tool.name).toBeGreaterThan(0);
      expect(rejected, tool.name).toBeGreaterThan(0);
    }
  });

  it('answers a failed zod parse (a refinement the JSON Schema cannot say) with isError instead of throwing', async () => {
    const before = await handlers('zod-parse-failures-answer-is-error.input.ts');
    const after = await handlers('zod-parse-failures-answer-is-error.output.ts');
    const call = { method: 'tools/call', params: { name: 'add', arguments: { a: 1e308, b: 1e308 } } };
    await expect(before['tools/call']!(call)).rejects.toThrow(/the sum is not finite/);
    const result = await after['tools/call']!(call);
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toBe('Invalid arguments: the sum is not finite');
  });

  it('answers a bad argument with an isError result that names the field', async () => {
    expect(pairs.filter(p => p.output.includes('mcp-server')).length).toBeGreaterThan(0);
    const after = await handlers('hand-checks-move-into-the-schema.output.ts');
    const result = await after['tools/call']!({
      method: 'tools/call',
      params: { name: 'search', arguments: { query: 'tea', limit: 80 } }
    });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(/^Input validation error: Invalid arguments for tool search: .*limit/);
  });
});

/** McpServer fixtures: each tool's schema-then-callback, before and after, judged alike. */
async function mcpServerTools(before: Record<string, Handler>, after: Record<string, Handler>): Promise<void> {
  const tools = Object.keys(after).filter(k => k.startsWith('tool:'));
  expect(tools.length).toBeGreaterThan(0);
  for (const key of tools) {
    const name = key.slice(5);
    // The JSON Schema the tool advertises (fromJsonSchema hands back its document, zod converts itself).
    const schema = after[`schema:${name}`] as any;
    const jsonSchema =
      schema?.['~standard']?.vendor === 'mcp'
        ? schema['~standard'].jsonSchema.input()
        : z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    let accepted = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(argumentsFor(jsonSchema), async args => {
        const verdict = await judged(before[key]!, args);
        if (verdict) accepted++;
        else rejected++;
        expect(await judged(after[key]!, args), JSON.stringify(args)).toBe(verdict);
      }),
      { numRuns: 3000, seed: 2026 }
    );
    expect(accepted, name).toBeGreaterThan(0);
    expect(rejected, name).toBeGreaterThan(0);
  }
}

async function judged(tool: Handler, args: unknown): Promise<boolean> {
  try {
    return (await tool(args))?.isError !== true;
  } catch {
    return false;
  }
}
