/**
 * Rewrite 1 end to end: each v1 server under fixtures/servers is migrated by the CLI, type-checks against the v2
 * packages, starts, and a client pinned to 2026-07-28 gets the same results the v1 server gave to a 2025 client.
 * The servers are split into shards, one test file each, so the suite's longest file runs beside the others on a
 * two-core CI machine instead of after them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  type E2eSpec,
  observe,
  observedMigration,
  pagesOf,
  type Running,
  serverNames,
  specOf,
  start,
  typecheck
} from './e2e.js';

/** The stateless-entry servers of shard `shard` (0-based) of `shards`, every shards-th by name. */
export function statelessEntryShard(shard: number, shards: number): string[] {
  return serverNames('stateless-entry').filter((_, i) => i % shards === shard);
}

/** Which tool each call was and whether it failed: what a 2025-era client without its session still gets alike. */
const outcomes = (results: unknown[]) =>
  results.map(r => {
    const { tool, isError } = r as { tool?: string; isError?: boolean };
    return { tool, isError };
  });

export function describeStatelessEntryServers(names: string[]): void {
  describe.each(names)('fixtures/servers/%s', name => {
    const spec: E2eSpec = specOf(name);
    const run = observedMigration(name, spec);

    it('type-checks against the v2 packages after migration', () => {
      expect(typecheck(run.migrated.dir)).toBe('');
    });

    // A route that served a session's GET and DELETE beside its POST serves them through the handler now, which refuses
    // them (no session to stream or end): dropped with the sessions, those requests would hang with no answer.
    // (A server with a page of its own at the MCP path answers GET with it.) Asked of the server the pinned client was
    // served by, kept running for it: a start of its own per server was a sixth of these files' time.
    const ownPage = spec.pages?.includes(spec.path ?? '/mcp');
    const refusesSessionMethods = spec.transport === 'http' && !ownPage;
    let served: Running | undefined;
    afterAll(async () => {
      await served?.close();
    });

    it('serves a client pinned to 2026-07-28 with the results the v1 server gave', async () => {
      const s = await start(run.migrated.dir, spec, 'pinned-2026');
      let keep = false;
      try {
        expect(s.client.getProtocolEra()).toBe('modern');
        expect(await observe(s.client, spec)).toEqual(run.v1Results);
        for (const h of s.responseHeaders) expect(h.get('mcp-session-id')).toBeNull();
        keep = refusesSessionMethods;
      } finally {
        if (keep) served = s;
        else await s.close();
      }
    });

    it.runIf(refusesSessionMethods)('answers a GET and a DELETE on the MCP path, refusing them', async () => {
      const s = served ?? (await start(run.migrated.dir, spec, 'pinned-2026'));
      served = undefined;
      try {
        const url = new URL(spec.path ?? '/mcp', s.origin);
        for (const method of ['GET', 'DELETE']) {
          const res = await fetch(url, {
            method,
            headers: { accept: 'text/event-stream, application/json' },
            signal: AbortSignal.timeout(10_000)
          });
          await res.body?.cancel();
          expect({ method, status: res.status >= 400 && res.status < 500 }).toEqual({ method, status: true });
        }
      } finally {
        await s.close();
      }
    });

    it.runIf(!!spec.pages)('still answers its own pages beside the MCP route, as the v1 server did', async () => {
      const s = await start(run.migrated.dir, spec, 'pinned-2026');
      try {
        // After the same calls as the v1 server had served: a page may show what they did.
        expect(await observe(s.client, spec)).toEqual(run.v1Results);
        expect(run.v1Pages.length).toBeGreaterThan(0);
        expect(await pagesOf(s.origin!, spec)).toEqual(run.v1Pages);
      } finally {
        await s.close();
      }
    });

    it.runIf(spec.original?.transport === 'stdio')('serves the same over stdio, as its original did', async () => {
      const s = await start(run.migrated.dir, { ...spec, transport: 'stdio' }, 'pinned-2026');
      try {
        expect(s.client.getProtocolEra()).toBe('modern');
        expect(await observe(s.client, spec)).toEqual(run.v1Results);
      } finally {
        await s.close();
      }
    });

    it.runIf(spec.transport === 'http')('still serves a 2025-era client, without sessions', async () => {
      const s = await start(run.migrated.dir, spec, 'legacy-2025');
      try {
        expect(s.client.getProtocolEra()).toBe('legacy');
        const results = await observe(s.client, spec);
        if (spec.legacyOverHttp === 'served') expect(outcomes(results)).toEqual(outcomes(run.v1Results));
        else expect(results).toEqual(run.v1Results);
        expect(s.responseHeaders.length).toBeGreaterThan(0);
        for (const h of s.responseHeaders) expect(h.get('mcp-session-id')).toBeNull();
      } finally {
        await s.close();
      }
    });

    // serveStdio builds a probe server for server/discover and drops it when the client falls back to initialize: a
    // factory handing back one kept instance (`serveStdio(() => server)`) must survive that.
    it.runIf(spec.transport === 'stdio')('still serves a 2025-era client over stdio', async () => {
      const s = await start(run.migrated.dir, spec, 'legacy-2025');
      try {
        expect(s.client.getProtocolEra()).toBe('legacy');
        expect(await observe(s.client, spec)).toEqual(run.v1Results);
      } finally {
        await s.close();
      }
    });
  });
}
