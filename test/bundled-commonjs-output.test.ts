/**
 * A bundled CommonJS module that read the SDK through a bundler's interop helper (@sentry/mcp-server's stdio chunk):
 * the fixture's expected output, run by node as it is (a stand-in `chunk.cjs` beside it), serves a client pinned to
 * 2026-07-28 over stdio through serveStdio.
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';

const OUTPUT = path.resolve(
  import.meta.dirname,
  '../fixtures/pipeline/a-bundled-commonjs-module-reads-the-sdk-through-an-interop-helper.output.cjs'
);

describe('fixtures/pipeline/a-bundled-commonjs-module-reads-the-sdk-through-an-interop-helper (output)', () => {
  it('serves a pinned 2026-07-28 client over stdio', async () => {
    const run = `const m = require(${JSON.stringify(OUTPUT)}); m.startStdio(m.buildServer());`;
    const client = new Client(
      { name: 'bundled-test', version: '0.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } }
    );
    await client.connect(new StdioClientTransport({ command: process.execPath, args: ['-e', run], stderr: 'pipe' }));
    try {
      expect(client.getProtocolEra()).toBe('modern');
      expect((await client.listTools()).tools.map(t => t.name)).toEqual(['ping']);
      expect((await client.callTool({ name: 'ping', arguments: {} })).content).toEqual([
        { type: 'text', text: 'pong' }
      ]);
      expect((await client.listPrompts()).prompts).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
