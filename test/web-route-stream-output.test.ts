/**
 * A fetch-style route that gave each request its own v1 transport and closed it once the response body drained:
 * the fixture's expected output, imported as it is, still streams the body through its own TransformStream, serves a
 * client pinned to 2026-07-28 through createMcpHandler, and hands the route's auth to the tool.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { mcpRoute } from '../fixtures/stateless-entry/a-fetch-route-that-streams-the-body-to-close-its-transport-keeps-the-stream.output.js';

const NAME = 'a-fetch-route-that-streams-the-body-to-close-its-transport-keeps-the-stream';

function makeServer(): McpServer {
  const server = new McpServer({ name: 'streamed', version: '1.0.0' });
  server.registerTool('whoami', { description: 'The caller the route authenticated' }, async ctx => ({
    content: [{ type: 'text', text: ctx.http?.authInfo?.clientId ?? 'anonymous' }]
  }));
  return server;
}

describe(`fixtures/stateless-entry/${NAME} (output)`, () => {
  it('serves a pinned 2026-07-28 client through the route, its body streamed and its auth passed on', async () => {
    const route = mcpRoute(makeServer);
    const statuses: number[] = [];
    const fetchThroughRoute = async (url: string | URL, init?: RequestInit) => {
      const raw = new Request(url, init);
      const res = await route({ req: { raw }, get: () => ({ token: 't', clientId: 'app-42', scopes: [] }) });
      statuses.push(res.status);
      return res;
    };
    const client = new Client(
      { name: 'web-route-test', version: '0.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } }
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://local.test/mcp'), { fetch: fetchThroughRoute })
    );
    try {
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'app-42' }]);
      // Two calls in a row: a handler that kept one server serving would refuse the second.
      const again = await client.callTool({ name: 'whoami', arguments: {} });
      expect(again.content).toEqual([{ type: 'text', text: 'app-42' }]);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.every(s => s < 400)).toBe(true);
    } finally {
      await client.close();
    }
  });
});
