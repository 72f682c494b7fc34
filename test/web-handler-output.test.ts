/**
 * A web-standard handler migrated from a per-request v1 transport whose Response it post-processed (CORS, cache
 * headers): the fixture's expected output, imported as it is, serves a client pinned to 2026-07-28 through its
 * `fetch` export, and its preflight allows the 2026 request headers.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { handle } from '../fixtures/pipeline/a-web-handler-that-reads-the-transports-response-keeps-it.output.js';

describe('fixtures/pipeline/a-web-handler-that-reads-the-transports-response-keeps-it (output)', () => {
  it('serves a pinned 2026-07-28 client and keeps its own response headers', async () => {
    const seen: Response[] = [];
    const fetchThroughHandler = async (url: string | URL, init?: RequestInit) => {
      const res = await handle(new Request(url, init));
      seen.push(res);
      return res;
    };
    const client = new Client(
      { name: 'web-output-test', version: '0.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } }
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://local.test/mcp'), { fetch: fetchThroughHandler })
    );
    try {
      const result = await client.callTool({ name: 'summary', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'ok' }]);
      const last = seen[seen.length - 1]!;
      expect(last.headers.get('cache-control')).toBe('no-store');
      expect(last.headers.get('mcp-session-id')).toBeNull();
    } finally {
      await client.close();
    }
  });

  it('answers a preflight that allows the 2026 request headers and exposes no session id', async () => {
    const res = await handle(new Request('http://local.test/mcp', { method: 'OPTIONS' }));
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['mcp-protocol-version', 'mcp-method', 'mcp-name']) expect(allowed).toContain(h);
    expect(allowed).not.toContain('mcp-session-id');
    expect((res.headers.get('access-control-expose-headers') ?? '').toLowerCase()).not.toContain('mcp-session-id');
  });
});
