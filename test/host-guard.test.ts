/**
 * The generated mcp-host-guard module, run: it is what keeps a migrated server's DNS-rebinding protection once the
 * v1 transport that checked Host and Origin is gone. Served in front of a real createMcpHandler, it must refuse what
 * the v1 transports refused (403, -32000, their wording) and let a 2026-07-28 client through.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { HOST_GUARD_MODULE_SOURCE, hostGuardModuleJs } from '../transforms/stateless-entry/mcp-host-guard.source.js';
import * as guard from '../fixtures/stateless-entry/mcp-host-guard.js';
import { FIXTURES } from './helpers/fixtures.js';

type GuardModule = typeof guard;

function serve(g: GuardModule, options: guard.DnsRebindingOptions | undefined) {
  const handler = toNodeHandler(
    createMcpHandler(
      () => {
        const server = new McpServer({ name: 'guarded', version: '1.0.0' });
        server.registerTool('ping', { description: 'answers pong' }, async () => ({
          content: [{ type: 'text', text: 'pong' }]
        }));
        return server;
      },
      { onerror: () => {} }
    )
  );
  return http.createServer((req, res) => {
    if (g.refusedByHostGuard(req, res, options)) return;
    void handler(req, res);
  });
}

function post(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { port, method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json', ...headers } },
      res => {
        let body = '';
        res.on('data', c => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }
    );
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }));
  });
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

let jsGuard: GuardModule;
let tmp: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'host-guard-'));
  const file = path.join(tmp, 'mcp-host-guard.mjs');
  fs.writeFileSync(file, hostGuardModuleJs());
  jsGuard = (await import(pathToFileURL(file).href)) as GuardModule;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('mcp-host-guard', () => {
  it('is the text the rewrite emits', () => {
    expect(fs.readFileSync(path.join(FIXTURES, 'stateless-entry/mcp-host-guard.ts'), 'utf8')).toBe(
      HOST_GUARD_MODULE_SOURCE
    );
  });

  for (const [form, load] of [
    ['TypeScript', () => guard],
    ['JavaScript', () => jsGuard]
  ] as const) {
    it(`${form}: refuses a foreign Host or Origin with 403 and lets a 2026-07-28 client through`, async () => {
      const g = load();
      const options = {
        enableDnsRebindingProtection: true,
        allowedHosts: [] as string[],
        allowedOrigins: ['http://localhost:5173']
      };
      const guarded = serve(g, options);
      const port = await listen(guarded);
      // Hosts with the port, as v1 options listed them (v1 compared the whole Host header).
      options.allowedHosts.push(`127.0.0.1:${port}`, `localhost:${port}`);
      try {
        const rebound = await post(port, { host: 'attacker.example' });
        expect(rebound.status).toBe(403);
        expect(JSON.parse(rebound.body)).toEqual({
          jsonrpc: '2.0',
          error: { code: -32000, message: 'Invalid Host header: attacker.example' },
          id: null
        });
        const page = await post(port, { origin: 'http://attacker.example' });
        expect(page.status).toBe(403);
        expect(JSON.parse(page.body).error.message).toBe('Invalid Origin header: http://attacker.example');

        const client = new Client(
          { name: 'probe', version: '1.0.0' },
          { versionNegotiation: { mode: { pin: '2026-07-28' } } }
        );
        await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
        expect(client.getProtocolEra()).toBe('modern');
        expect((await client.listTools()).tools.map(t => t.name)).toEqual(['ping']);
        await client.close();
      } finally {
        guarded.close();
      }
    });
  }

  it('checks nothing unless protection was enabled, as v1 did', () => {
    expect(guard.dnsRebindingRefusal(undefined, 'attacker.example', 'http://x')).toBeUndefined();
    expect(
      guard.dnsRebindingRefusal({ allowedHosts: ['localhost:3000'] }, 'attacker.example', undefined)
    ).toBeUndefined();
    expect(
      guard.dnsRebindingRefusal({ enableDnsRebindingProtection: true }, 'attacker.example', 'http://x')
    ).toBeUndefined();
    // A request without Host cannot be matched against a list: refused; one without Origin (no browser) passes.
    expect(
      guard.dnsRebindingRefusal(
        { enableDnsRebindingProtection: true, allowedHosts: ['localhost:3000'] },
        undefined,
        undefined
      )
    ).toBe('Invalid Host header: undefined');
    expect(
      guard.dnsRebindingRefusal({ enableDnsRebindingProtection: true, allowedOrigins: ['http://a'] }, 'h', undefined)
    ).toBeUndefined();
  });

  it('answers fetch runtimes with a 403 Response', async () => {
    const options = { enableDnsRebindingProtection: true, allowedHosts: ['edge.example'] };
    const refused = guard.hostGuardResponse(
      new Request('http://x/mcp', { headers: { host: 'attacker.example' } }),
      options
    );
    expect(refused?.status).toBe(403);
    expect(((await refused!.json()) as { error: { message: string } }).error.message).toBe(
      'Invalid Host header: attacker.example'
    );
    expect(
      guard.hostGuardResponse(new Request('http://x/mcp', { headers: { host: 'edge.example' } }), options)
    ).toBeUndefined();
  });
});
