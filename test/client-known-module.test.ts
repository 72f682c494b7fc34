/**
 * The generated client-known module (fixtures/request-envelope/mcp-client-known.ts is the text request-envelope
 * writes for a carried `oninitialized` hook): the hook runs before the first request that names its client, once per
 * server instance, in both eras, and a hook that fails is reported, not fatal.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_KNOWN_MODULE_SOURCE,
  clientKnownModuleJs
} from '../transforms/request-envelope/mcp-client-known.source.js';
import { whenClientKnown, type ClientKnownHook } from '../fixtures/request-envelope/mcp-client-known.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';
import { inputRoundsModuleJs } from '../transforms/push-to-input-required/mcp-input-rounds.source.js';
import { taskCallsModuleJs } from '../transforms/surface/mcp-task-calls.source.js';
import { isGeneratedModule } from '../src/prefilter.js';
import { checkText } from '../src/check/matcher.js';

type Era = 'pinned' | 'legacy';
type WhenClientKnown = typeof whenClientKnown;

const clientOptions = (era: Era) => (era === 'pinned' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});

/** A server whose `who` tool answers with what the hook recorded; `seen` lists every run of the hook. */
function greeter(when: WhenClientKnown, seen: string[], hook?: ClientKnownHook) {
  const server = new McpServer({ name: 'greeter', version: '1.0.0' });
  let caller = 'nobody';
  when(
    server.server,
    hook ??
      ((client, capabilities) => {
        caller = `${client?.name}/${client?.version}${capabilities?.elicitation ? ' (elicits)' : ''}`;
        seen.push(caller);
      })
  );
  server.registerTool('who', { description: 'Who is calling' }, async () => ({
    content: [{ type: 'text', text: caller }]
  }));
  return server;
}

const text = (result: unknown) => ((result as { content: { text: string }[] }).content[0] ?? { text: '' }).text;

/** A client connected to `factory` served as serveStdio serves a process's stdio, over an in-memory pair. */
async function connected(factory: () => McpServer, era: Era, name = 'desk'): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  serveStdio(factory, { transport: serverSide });
  const client = new Client({ name, version: '3.1.0' }, { ...clientOptions(era), capabilities: { elicitation: {} } });
  await client.connect(clientSide);
  expect(client.getProtocolEra()).toBe(era === 'pinned' ? 'modern' : 'legacy');
  return client;
}

/** Two calls by one client over one stdio-like connection. */
async function overOneConnection(when: WhenClientKnown, era: Era, seen: string[]): Promise<string[]> {
  const client = await connected(() => greeter(when, seen), era);
  try {
    return [text(await client.callTool({ name: 'who' })), text(await client.callTool({ name: 'who' }))];
  } finally {
    await client.close();
  }
}

describe('generated client-known module', () => {
  it('is the module the fixtures type-check, and transpiles for JavaScript packages', () => {
    expect(fs.readFileSync(path.join(FIXTURES, 'request-envelope/mcp-client-known.ts'), 'utf8')).toBe(
      CLIENT_KNOWN_MODULE_SOURCE
    );
    expect(clientKnownModuleJs()).toContain('export function whenClientKnown');
    expect(clientKnownModuleJs(true)).toContain('exports.whenClientKnown');
  });

  it('keeps every generated module known as generated in its JavaScript forms (check skips it, a second run too)', () => {
    // The CommonJS form opened with "use strict" and the exports preamble, and `check` then flagged the module's own
    // round code as a pushed roots/list request.
    for (const javascript of [clientKnownModuleJs, inputRoundsModuleJs, taskCallsModuleJs])
      for (const commonjs of [false, true]) {
        const text = javascript(commonjs);
        expect(isGeneratedModule(text)).toBe(true);
        expect(checkText('mcp-support.js', text)).toEqual([]);
      }
  });

  it.each<Era>(['pinned', 'legacy'])(
    'runs the hook once per connection, before the first call (%s client)',
    async era => {
      const seen: string[] = [];
      expect(await overOneConnection(whenClientKnown, era, seen)).toEqual([
        'desk/3.1.0 (elicits)',
        'desk/3.1.0 (elicits)'
      ]);
      expect(seen).toEqual(['desk/3.1.0 (elicits)']);
    }
  );

  it('runs it for each request under createMcpHandler, where every request has a server of its own', async () => {
    const seen: string[] = [];
    const handler = createMcpHandler(() => greeter(whenClientKnown, seen));
    const client = new Client({ name: 'web', version: '2.0.0' }, clientOptions('pinned'));
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
        fetch: (url, init) => handler.fetch(new Request(url, init))
      })
    );
    try {
      expect(client.getProtocolEra()).toBe('modern');
      expect(text(await client.callTool({ name: 'who' }))).toBe('web/2.0.0');
      expect(text(await client.callTool({ name: 'who' }))).toBe('web/2.0.0');
      expect(seen.filter(s => s === 'web/2.0.0').length).toBeGreaterThanOrEqual(2);
    } finally {
      await client.close();
    }
  });

  it('reports a hook that throws or rejects to onerror, and the call is still answered', async () => {
    for (const failing of [
      () => {
        throw new Error('telemetry down');
      },
      async () => {
        throw new Error('telemetry down');
      }
    ]) {
      const errors: string[] = [];
      const client = await connected(() => {
        const server = greeter(whenClientKnown, [], failing);
        server.server.onerror = error => errors.push(error.message);
        return server;
      }, 'pinned');
      try {
        expect(text(await client.callTool({ name: 'who' }))).toBe('nobody');
        expect(errors).toContain('telemetry down');
      } finally {
        await client.close();
      }
    }
  });

  it('behaves the same as JavaScript, in ES module and CommonJS form', async () => {
    // Inside the project, so the modules resolve @modelcontextprotocol/server from its node_modules.
    fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'client-known-'));
    try {
      fs.writeFileSync(path.join(dir, 'known.mjs'), clientKnownModuleJs());
      fs.writeFileSync(path.join(dir, 'known.cjs'), clientKnownModuleJs(true));
      const esm = (await import(path.join(dir, 'known.mjs'))) as { whenClientKnown: WhenClientKnown };
      const cjs = createRequire(import.meta.url)(path.join(dir, 'known.cjs')) as { whenClientKnown: WhenClientKnown };
      for (const module of [esm, cjs]) {
        const seen: string[] = [];
        expect(await overOneConnection(module.whenClientKnown, 'pinned', seen)).toEqual([
          'desk/3.1.0 (elicits)',
          'desk/3.1.0 (elicits)'
        ]);
        expect(seen).toEqual(['desk/3.1.0 (elicits)']);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
