/**
 * An HTTP+SSE host class that built a fresh server per stream (shadcn-ui's shape, as its compiled package ships it):
 * the fixture's expected output, imported as it is, serves a client pinned to 2026-07-28 at /mcp, two calls in a row,
 * and its status page counts no sessions any more.
 */
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript fixture, imported for what it does
import { SseHost } from '../fixtures/stateless-entry/a-class-sse-host-building-its-server-per-stream-serves-streamable-http.output.js';

describe('fixtures/stateless-entry/a-class-sse-host-building-its-server-per-stream-serves-streamable-http (output)', () => {
  it('serves a pinned 2026-07-28 client at /mcp, a server per request', async () => {
    const listener = new SseHost({ name: 'host-a' }).listen(0);
    await new Promise(resolve => listener.once('listening', resolve));
    const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    const client = new Client(
      { name: 'sse-host-test', version: '0.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } }
    );
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${origin}/mcp`)));
      expect(client.getProtocolEra()).toBe('modern');
      const { tools } = await client.listTools();
      expect(tools.map(t => t.name)).toEqual(['hello']);
      for (let i = 0; i < 2; i++) {
        const result = await client.callTool({ name: 'hello', arguments: {} });
        expect(result.content).toEqual([{ type: 'text', text: 'hello from host-a' }]);
      }
      const status = await (await fetch(`${origin}/status`)).json();
      expect(status).toEqual({ ok: true, open: 0 });
      // The old stream route is gone: nothing answers GET /sse with an event stream.
      expect((await fetch(`${origin}/sse`)).status).toBe(404);
    } finally {
      await client.close();
      listener.close();
    }
  });
});
