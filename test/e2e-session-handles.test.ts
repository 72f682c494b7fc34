/**
 * Rewrite 2 end to end: v1 servers that kept state per session (a Map-keyed cart, a per-session closure, a store
 * in another file) are migrated by the CLI, type-check, and serve a client pinned to 2026-07-28 through handles:
 * two handles keep separate state, the state is the one the v1 server kept for a session, it survives separate
 * HTTP requests and connections, and a bogus handle gets an isError result that names it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyServer,
  type E2eSpec,
  sharedMigration,
  type Running,
  serverNames,
  specOf,
  start,
  typecheck
} from './helpers/e2e.js';

type Call = { tool: string; arguments: Record<string, unknown> };

const text = (r: { content?: unknown }) =>
  ((r.content ?? []) as { type: string; text?: string }[]).map(c => c.text ?? '').join('\n');

describe.each(serverNames('session-handles'))('fixtures/servers/%s', name => {
  const spec: E2eSpec = specOf(name);
  const h = spec.handles!;
  let migrated: { dir: string; cleanup: () => void };
  /** What the v1 server answered `read` with: in a session that made the writes, and in a fresh one. */
  const v1 = { afterWrites: '', fresh: '' };

  const call = (s: Running, c: Call, extra: Record<string, unknown> = {}) =>
    s.client.callTool({ name: c.tool, arguments: { ...c.arguments, ...extra } });

  beforeAll(async () => {
    const original = copyServer(name);
    try {
      const a = await start(original.dir, spec, 'legacy-2025', 'original');
      const b = await start(original.dir, spec, 'legacy-2025', 'original');
      try {
        for (const w of h.writes) await call(a, w);
        v1.afterWrites = text(await call(a, h.read));
        v1.fresh = text(await call(b, h.read));
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      original.cleanup();
    }
    migrated = sharedMigration(name);
  });
  afterAll(() => migrated?.cleanup());

  it('v1 kept different state per session (the premise)', () => {
    expect(v1.afterWrites).not.toBe(v1.fresh);
  });

  it('type-checks against the v2 packages after migration', () => {
    expect(typecheck(migrated.dir)).toBe('');
  });

  it('serves handles to a client pinned to 2026-07-28: isolated, durable across requests, bogus ones refused', async () => {
    const s = await start(migrated.dir, spec, 'pinned-2026');
    try {
      expect(s.client.getProtocolEra()).toBe('modern');
      const { tools } = await s.client.listTools();
      const create = tools.find(t => t.name === h.create)!;
      expect(create.description).toMatch(/expires after .* without use/);
      for (const c of [...h.writes, h.read])
        expect(tools.find(t => t.name === c.tool)?.inputSchema.required).toContain(h.argument);

      const created = [
        await call(s, { tool: h.create, arguments: {} }),
        await call(s, { tool: h.create, arguments: {} })
      ];
      const [one, two] = created.map(r => (r.structuredContent as Record<string, string>)[h.argument]!);
      expect(one).not.toBe(two);
      for (const [i, r] of created.entries()) expect(text(r)).toContain([one, two][i]);

      for (const w of h.writes) expect((await call(s, w, { [h.argument]: one })).isError ?? false).toBe(false);
      expect(text(await call(s, h.read, { [h.argument]: one }))).toBe(v1.afterWrites);
      expect(text(await call(s, h.read, { [h.argument]: two }))).toBe(v1.fresh);

      const bogus = await call(s, h.read, { [h.argument]: 'not-a-real-handle' });
      expect(bogus.isError).toBe(true);
      expect(text(bogus)).toContain(h.argument);
      expect(text(bogus)).toContain('not-a-real-handle');
      expect(text(bogus)).toContain(h.create);

      await s.settle?.();
      // Every call above was its own HTTP request, and none carried a session.
      expect(s.exchanges.filter(e => e.method === 'tools/call').length).toBeGreaterThanOrEqual(h.writes.length + 4);
      for (const headers of s.responseHeaders) expect(headers.get('mcp-session-id')).toBeNull();

      // Another client that shares nothing with the first but the handle sees the same state.
      const other = await s.connectAnother!();
      const again = await other.callTool({ name: h.read.tool, arguments: { ...h.read.arguments, [h.argument]: one } });
      expect(text(again)).toBe(v1.afterWrites);
    } finally {
      await s.close();
    }
  });
});
