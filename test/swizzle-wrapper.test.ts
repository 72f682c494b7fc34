/**
 * A tracing wrapper of v1's `server.tool`, moved onto `registerTool` by the surface rewrite, still wraps every tool at
 * run time: the migrated fixture output is built, served to a client pinned to 2026-07-28, and the call goes through
 * the wrapper (its span starts and ends) and answers as before.
 */
import path from 'node:path';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
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
