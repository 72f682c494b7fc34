/**
 * The generated handle module (fixtures/session-handles/mcp-handles.ts is the text the rewrite writes) and the
 * rewrite's naming and configuration. Fixture pairs cover the code shapes; these cover the runtime contract.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { migrateText } from '../src/pipeline.js';
import { handleNoun } from '../transforms/session-handles/handle-naming.js';
import { HANDLES_MODULE_SOURCE } from '../transforms/session-handles/mcp-handles.source.js';
import { withNodeTypes } from '../transforms/kit/support-module.js';
import { HandleRegistry, handleRegistry } from '../fixtures/session-handles/mcp-handles.js';
import { runCli, scratch } from './helpers/cli.js';
import { FIXTURES } from './helpers/fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach(c => c());
  vi.useRealTimers();
});

const alice = { http: { authInfo: { clientId: 'app', extra: { sub: 'alice' } } } };
const bob = { http: { authInfo: { clientId: 'app', extra: { sub: 'bob' } } } };

describe('generated handle module', () => {
  it('is the module the fixtures type-check', () => {
    expect(fs.readFileSync(path.join(FIXTURES, 'session-handles/mcp-handles.ts'), 'utf8')).toBe(HANDLES_MODULE_SOURCE);
  });

  it('mints opaque handles with at least 128 random bits', () => {
    const registry = new HandleRegistry('cart', { ttlMs: 60_000, maxHandlesPerCaller: 5_000 });
    const ids = Array.from({ length: 2000 }, () => registry.mint() as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id.startsWith('cart_')).toBe(true);
      const random = id.slice('cart_'.length);
      // 16 bytes of base64url: 22 characters, 128 bits.
      expect(random).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  it('answers an unknown handle with an isError result that names the argument and the create tool', () => {
    const registry = new HandleRegistry('cart', { ttlMs: 60_000 });
    const error = registry.check('cart_bogus');
    expect(error?.isError).toBe(true);
    expect(JSON.stringify(error?.content)).toMatch(/cart_id .*cart_bogus.*create_cart/);
    expect(registry.check(registry.mint() as string)).toBeUndefined();
  });

  it('binds a handle to the principal that created it: possession is not authorization', () => {
    const registry = new HandleRegistry('cart', { ttlMs: 60_000 });
    const id = registry.mint(alice) as string;
    expect(registry.check(id, alice)).toBeUndefined();
    expect(registry.check(id, bob)?.isError).toBe(true);
    expect(registry.check(id)?.isError).toBe(true);
    // A foreign handle gets the same answer as an unknown one, so probing learns nothing.
    expect(registry.check(id, bob)?.content).toEqual(
      registry
        .check('x'.repeat(id.length), bob)
        ?.content.map(c => ({ ...c, text: (c as { text: string }).text.replace('x'.repeat(id.length), id) }))
    );
  });

  it('expires idle handles, drops their state, and keeps used ones alive', () => {
    vi.useFakeTimers();
    const dropped: string[] = [];
    const registry = new HandleRegistry('note', { ttlMs: 10_000, onExpire: id => dropped.push(id) });
    const idle = registry.mint() as string;
    const busy = registry.mint() as string;
    for (let t = 0; t < 4; t++) {
      vi.advanceTimersByTime(4_000);
      expect(registry.check(busy)).toBeUndefined();
    }
    expect(registry.check(idle)?.isError).toBe(true);
    expect(dropped).toEqual([idle]);
    registry.destroy(busy);
    expect(dropped).toEqual([idle, busy]);
    expect(registry.check(busy)?.isError).toBe(true);
  });

  it("refuses a new handle past the global cap instead of evicting anyone else's", () => {
    const dropped: string[] = [];
    const registry = new HandleRegistry('cart', { ttlMs: 60_000, maxHandles: 2, onExpire: id => dropped.push(id) });
    const a = registry.mint(alice) as string;
    const b = registry.mint(bob) as string;
    const refused = registry.mint(alice);
    expect(typeof refused).not.toBe('string');
    expect((refused as { isError?: boolean }).isError).toBe(true);
    expect(dropped).toEqual([]);
    expect(registry.check(a, alice)).toBeUndefined();
    expect(registry.check(b, bob)).toBeUndefined();
  });

  it("gives each caller a quota: one caller creating handles in a loop cannot wipe another caller's state", () => {
    const dropped: string[] = [];
    const registry = new HandleRegistry('cart', {
      ttlMs: 60_000,
      maxHandlesPerCaller: 3,
      onExpire: id => dropped.push(id)
    });
    const bobs = registry.mint(bob) as string;
    const alices = Array.from({ length: 3 }, () => registry.mint(alice));
    expect(alices.every(id => typeof id === 'string')).toBe(true);
    for (let i = 0; i < 1000; i++) expect(typeof registry.mint(alice)).not.toBe('string');
    expect(JSON.stringify(registry.mint(alice))).toMatch(/destroy_cart/);
    expect(dropped).toEqual([]);
    expect(registry.check(bobs, bob)).toBeUndefined();
    // Destroying one frees a place in the quota.
    registry.destroy(alices[0] as string);
    expect(typeof registry.mint(alice)).toBe('string');
  });

  it('binds to the user, not only the client app: auth without a user claim is refused', () => {
    const registry = new HandleRegistry('cart', { ttlMs: 60_000 });
    const noUser = { http: { authInfo: { clientId: 'app', extra: {} } } };
    expect((registry.mint(noUser) as { isError?: boolean }).isError).toBe(true);
    const carol = { http: { authInfo: { clientId: 'app', extra: { email: 'carol@example.com' } } } };
    const id = registry.mint(carol) as string;
    expect(registry.check(id, carol)).toBeUndefined();
    expect(registry.check(id, alice)?.isError).toBe(true);
    // The parts are joined unambiguously: client "a:b" + user "c" is not client "a" + user "b:c".
    const one = { http: { authInfo: { clientId: 'a:b', extra: { sub: 'c' } } } };
    const two = { http: { authInfo: { clientId: 'a', extra: { sub: 'b:c' } } } };
    expect(registry.check(registry.mint(one) as string, two)?.isError).toBe(true);
  });

  it('takes a configured identity extractor, which may refuse a caller', () => {
    const registry = new HandleRegistry('cart', {
      ttlMs: 60_000,
      identify: caller => (caller?.http?.authInfo?.extra?.tenant as string | undefined) ?? undefined
    });
    const t1 = { http: { authInfo: { clientId: 'x', extra: { tenant: 't1' } } } };
    const t2 = { http: { authInfo: { clientId: 'x', extra: { tenant: 't2' } } } };
    const id = registry.mint(t1) as string;
    expect(registry.check(id, t1)).toBeUndefined();
    expect(registry.check(id, t2)?.isError).toBe(true);
    expect((registry.mint(alice) as { isError?: boolean }).isError).toBe(true);
  });

  it('forgets a handle after its absolute lifetime, however busy it is', () => {
    vi.useFakeTimers();
    const dropped: string[] = [];
    const registry = new HandleRegistry('note', {
      ttlMs: 10_000,
      maxLifetimeMs: 30_000,
      onExpire: id => dropped.push(id)
    });
    const busy = registry.mint() as string;
    for (let t = 0; t < 7; t++) {
      vi.advanceTimersByTime(4_000);
      expect(registry.check(busy)).toBeUndefined();
    }
    vi.advanceTimersByTime(4_000);
    expect(registry.check(busy)?.isError).toBe(true);
    expect(dropped).toEqual([busy]);
  });

  it('shares one registry per noun across modules, with the shortest lifetime and every cleanup', () => {
    const dropped: string[] = [];
    const one = handleRegistry('shared_thing', { ttlMs: 60_000, onExpire: id => dropped.push(`one:${id}`) });
    const two = handleRegistry('shared_thing', { ttlMs: 5_000, onExpire: id => dropped.push(`two:${id}`) });
    expect(two).toBe(one);
    expect(one.policy).toContain('5 seconds');
    const id = one.mint() as string;
    one.destroy(id);
    expect(dropped).toEqual([`one:${id}`, `two:${id}`]);
  });
});

describe('handle names', () => {
  it.each([
    ['carts', 'cart'],
    ['cartsBySession', 'cart'],
    ['sessionCarts', 'cart'],
    ['userPreferencesMap', 'user_preference'],
    ['getOrCreateSession', 'session'],
    ['deleteSession', 'session'],
    ['sessionStore', 'session'],
    ['browserContexts', 'browser_context'],
    ['indexes', 'index'],
    ['queries', 'query']
  ])('%s → %s', (name, noun) => {
    expect(handleNoun(name)).toBe(noun);
  });
});

const CART_SERVER = `import * as z from 'zod/v4';
import { McpServer } from '@modelcontextprotocol/server';

const carts = new Map<string, string[]>();

export function createServer() {
  const server = new McpServer({ name: 'shop', version: '1.0.0' });
  server.registerTool('add_item', { inputSchema: z.object({ sku: z.string() }) }, async ({ sku }, ctx) => {
    carts.set(ctx.sessionId!, [...(carts.get(ctx.sessionId!) ?? []), sku]);
    return { content: [] };
  });
  return server;
}
`;

describe('configuration', () => {
  it('takes handle names and the lifetime from sessionHandles in the config', async () => {
    const config = { sessionHandles: { ttlMs: 1_800_000, names: { carts: 'basket' } } };
    const r = await migrateText('server.ts', CART_SERVER, { transforms: ['session-handles'], config });
    expect(r.output).toContain("handleRegistry('basket', { ttlMs: 1_800_000,");
    expect(r.output).toContain('async ({ basket_id, sku }, ctx) =>');
    expect(r.output).toContain("describe('Handle returned by create_basket')");
  });

  it('writes mcp-handles.ts once per package, and a second run changes nothing', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    fs.mkdirSync(path.join(dir, 'src/tools'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify(
        { name: 'x', type: 'module', dependencies: { '@modelcontextprotocol/server': '^2.4.0' } },
        null,
        2
      ) + '\n'
    );
    fs.writeFileSync(path.join(dir, 'src/server.ts'), CART_SERVER);
    fs.writeFileSync(
      path.join(dir, 'src/tools/wishlist.ts'),
      CART_SERVER.replace(/carts/g, 'wishlists').replace("'shop'", "'wish'")
    );
    expect(runCli(['.'], dir).code).toBe(0);
    // As written for a TypeScript package: naming Node's types, which its randomBytes needs.
    expect(fs.readFileSync(path.join(dir, 'src/mcp-handles.ts'), 'utf8')).toBe(withNodeTypes(HANDLES_MODULE_SOURCE));
    expect(fs.readFileSync(path.join(dir, 'src/tools/wishlist.ts'), 'utf8')).toContain("from '../mcp-handles.js'");
    expect(fs.readdirSync(path.join(dir, 'src/tools'))).toEqual(['wishlist.ts']);
    const after = fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8');
    expect(runCli(['.'], dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8')).toBe(after);
  });
});
