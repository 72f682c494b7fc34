/**
 * Host classes as compiled packages ship them, whose expected outputs are imported as they are and served to a client
 * pinned to 2026-07-28: an HTTP+SSE host that built a fresh server per stream (shadcn-ui's shape), and an HTTP host
 * that filed its transports in an untyped property a health route counted (contentful's), and a host handed its one
 * server by its constructor, which now takes a factory, and a class connecting its one server in a route its
 * constructor registers, or registering its tools in a method its caller runs. Each serves at /mcp, two
 * calls in a row (one server kept serving would refuse the second), and its page counts no sessions any more.
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript fixture, imported for what it does
import { SseHost } from '../fixtures/stateless-entry/a-class-sse-host-building-its-server-per-stream-serves-streamable-http.output.js';
// @ts-expect-error: a JavaScript fixture, imported for what it does
import { HttpHost } from '../fixtures/stateless-entry/an-http-host-class-counting-its-sessions-in-an-untyped-property-counts-none.output.js';
// @ts-expect-error: a JavaScript fixture, imported for what it does
import { RouteHost } from '../fixtures/stateless-entry/a-class-connecting-its-server-in-a-route-its-constructor-registers-builds-one-per-request.output.js';
// @ts-expect-error: a JavaScript fixture, imported for what it does
import { InitHost } from '../fixtures/stateless-entry/a-class-whose-caller-runs-its-registering-method-registers-per-server.output.js';
// @ts-expect-error: a JavaScript fixture, imported for what it does
import { startHost } from '../fixtures/stateless-entry/a-host-class-handed-its-server-by-its-constructor-takes-a-factory.output.js';

async function servedAt(listener: HttpServer): Promise<string> {
  if (!listener.listening) await new Promise(resolve => listener.once('listening', resolve));
  return `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
}

async function callsTwice(origin: string, greeting: string): Promise<void> {
  const client = new Client(
    { name: 'host-test', version: '0.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } }
  );
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(`${origin}/mcp`)));
    expect(client.getProtocolEra()).toBe('modern');
    expect((await client.listTools()).tools.map(t => t.name)).toEqual(['hello']);
    for (let i = 0; i < 2; i++)
      expect((await client.callTool({ name: 'hello', arguments: {} })).content).toEqual([
        { type: 'text', text: greeting }
      ]);
  } finally {
    await client.close();
  }
}

describe('host classes of compiled packages (fixture outputs)', () => {
  it('the SSE host serves /mcp per request; its status page counts 0 and GET /sse is gone', async () => {
    const listener = new SseHost({ name: 'host-a' }).listen(0);
    const origin = await servedAt(listener);
    try {
      await callsTwice(origin, 'hello from host-a');
      expect(await (await fetch(`${origin}/status`)).json()).toEqual({ ok: true, open: 0 });
      expect((await fetch(`${origin}/sse`)).status).toBe(404);
    } finally {
      listener.close();
    }
  });

  it('the host handed its server at construction serves a fresh one per request from the factory it is handed', async () => {
    const listener = startHost(0);
    const origin = await servedAt(listener);
    try {
      await callsTwice(origin, 'hello from constructed');
      expect(await (await fetch(`${origin}/about`)).json()).toEqual({ name: 'constructed' });
    } finally {
      listener.close();
    }
  });

  it('the class whose constructor registers the route serves a server per request, its handler made once', async () => {
    const listener = new RouteHost('routes').app.listen(0);
    const origin = await servedAt(listener);
    try {
      await callsTwice(origin, 'hello from route-host');
      expect(await (await fetch(`${origin}/about`)).json()).toEqual({ name: 'routes' });
    } finally {
      listener.close();
    }
  });

  it("the class whose caller runs its registering method serves that method's tools on every server", async () => {
    const host = new InitHost();
    await host.init();
    const listener = host.app.listen(0);
    const origin = await servedAt(listener);
    try {
      await callsTwice(origin, 'hello from init-host');
    } finally {
      listener.close();
    }
  });

  it('the HTTP host serves /mcp per request; its health route counts 0 sessions', async () => {
    const host = new HttpHost();
    const listener = host.app.listen(0);
    const origin = await servedAt(listener);
    try {
      await callsTwice(origin, 'hello from host');
      expect(await (await fetch(`${origin}/health`)).json()).toEqual({ ok: true, sessions: 0 });
    } finally {
      listener.close();
      await host.stop();
    }
  });
});
