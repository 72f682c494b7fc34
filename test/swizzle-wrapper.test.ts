/**
 * Wrappers of v1's `server.tool`, moved onto `registerTool` by the surface rewrite, still wrap every tool at run time:
 * the migrated fixture output is built, served to a client pinned to 2026-07-28, and the call goes through the
 * wrapper and answers as before. A tracing wrapper assigned over the method, and proxies trapping it.
 */
import path from 'node:path';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { McpServer } from '@modelcontextprotocol/server';
import { expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';

it('runs every tool call through the wrapper, now around registerTool', async () => {
  const migrated = await import(
    path.join(FIXTURES, 'surface/a-tracing-wrapper-of-the-removed-method-wraps-registertool.output.ts')
  );
  const spans: string[] = [];
  const tracer = {
    startSpan(name: string) {
      spans.push(`start ${name}`);
      return { end: () => void spans.push(`end ${name}`) };
    }
  };
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = migrated.buildServer(tracer);
  serveStdio(() => server, { transport: serverSide });
  const client = new Client(
    { name: 'test', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } }
  );
  await client.connect(clientSide);
  try {
    const result = await client.callTool({ name: 'echo', arguments: { text: 'traced' } });
    expect(result.content).toEqual([{ type: 'text', text: 'traced' }]);
    expect(spans).toEqual(['start tool.echo', 'end tool.echo']);
  } finally {
    await client.close();
  }
});

/** A client pinned to 2026-07-28, connected in memory to what `build` serves. */
async function pinnedClient(build: () => McpServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  serveStdio(build, { transport: serverSide });
  const client = new Client(
    { name: 'test', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } }
  );
  await client.connect(clientSide);
  return client;
}

it('runs every tool call through a proxy that took the removed method apart, now handed a config', async () => {
  const migrated = await import(
    path.join(FIXTURES, 'surface/a-proxy-taking-the-tool-arguments-apart-hands-on-a-config.output.ts')
  );
  const client = await pinnedClient(() => migrated.buildServer());
  try {
    const { tools } = await client.listTools();
    expect(tools.map(t => [t.name, t.description, t.annotations?.readOnlyHint])).toEqual([
      ['echo', 'Echo the text back', true]
    ]);
    const result = await client.callTool({ name: 'echo', arguments: { text: 'checked' } });
    expect(result.content).toEqual([{ type: 'text', text: 'checked' }]);
    expect(migrated.checked).toEqual(['echo']);
  } finally {
    await client.close();
  }
});

it('runs every tool call through a proxy that hands the callback on last, now trapping registerTool', async () => {
  const migrated = await import(
    path.join(FIXTURES, 'surface/a-proxy-trapping-the-removed-tool-method-traps-registertool.output.ts')
  );
  const client = await pinnedClient(() => {
    const server = new McpServer({ name: 'setup-checked', version: '1.0.0' });
    migrated.registerAll(server);
    return server;
  });
  try {
    delete process.env.PROJECT_ID;
    const refused = await client.callTool({ name: 'search', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain('Run the setup tool before search');
    process.env.PROJECT_ID = 'p1';
    const result = await client.callTool({ name: 'search', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'no results' }]);
  } finally {
    delete process.env.PROJECT_ID;
    await client.close();
  }
});
