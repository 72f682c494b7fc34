/**
 * Rewrite 5 end to end: the migrated v1 server's raw 2026 responses carry integer ttlMs and the cacheScope the
 * code supports — public for the static tool list, private for the per-user read — and tools/call carries none.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migratedCopy, specOf, start, typecheck } from './helpers/e2e.js';

const spec = specOf('cache-docs');
let migrated: { dir: string; cleanup: () => void };

beforeAll(() => {
  migrated = migratedCopy('cache-docs');
});
afterAll(() => migrated?.cleanup());

it('type-checks', () => {
  expect(typecheck(migrated.dir)).toBe('');
});

it('puts cache fields on cacheable 2026 results only, with the inferred scopes', async () => {
  const s = await start(migrated.dir, spec, 'pinned-2026');
  try {
    const tools = await s.client.listTools(undefined, { cacheMode: 'bypass' } as never);
    expect(tools.tools.map(t => t.name)).toEqual(['shout']);
    await s.client.callTool({ name: 'shout', arguments: { text: 'a' } });
    await s.client.readResource({ uri: 'docs://guide' });
    await s.client.readResource({ uri: 'user://me' });
    await s.settle?.();
    const result = (method: string, pick: (r: any) => boolean = () => true) =>
      s.exchanges
        .filter(e => e.method === method && e.response.result && pick(e.response.result))
        .map(e => e.response.result);
    const [list] = result('tools/list');
    expect(Number.isInteger(list.ttlMs) && list.ttlMs > 0).toBe(true);
    expect(list.cacheScope).toBe('public');
    const [call] = result('tools/call');
    expect(call).toBeDefined();
    expect('ttlMs' in call || 'cacheScope' in call).toBe(false);
    const [guide] = result('resources/read', r => r.contents?.[0]?.uri === 'docs://guide');
    const [me] = result('resources/read', r => r.contents?.[0]?.uri === 'user://me');
    expect(guide.cacheScope).toBe('public');
    expect(me.cacheScope).toBe('private');
    expect(Number.isInteger(me.ttlMs)).toBe(true);
    const [discover] = result('server/discover');
    expect(discover.cacheScope).toBe('public');
  } finally {
    await s.close();
  }
});
