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
    const registry = new HandleRegistry('cart', { ttlMs: 60_000 });
    const ids = Array.from({ length: 2000 }, () => registry.mint());
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
    expect(registry.check(registry.mint())).toBeUndefined();
  });

  it('binds a handle to the principal that created it: possession is not authorization', () => {
    const registry = new HandleRegistry('cart', { ttlMs: 60_000 });
    const id = registry.mint(alice);
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
    const idle = registry.mint();
    const busy = registry.mint();
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

  it('caps live handles, dropping the least recently used', () => {
    vi.useFakeTimers();
    const dropped: string[] = [];
    const registry = new HandleRegistry('cart', { ttlMs: 60_000, maxHandles: 2, onExpire: id => dropped.push(id) });
    const a = registry.mint();
    vi.advanceTimersByTime(10);
    const b = registry.mint();
    vi.advanceTimersByTime(10);
    registry.check(a);
    registry.mint();
    expect(dropped).toEqual([b]);
  });

  it('shares one registry per noun across modules, with the shortest lifetime and every cleanup', () => {
    const dropped: string[] = [];
    const one = handleRegistry('shared_thing', { ttlMs: 60_000, onExpire: id => dropped.push(`one:${id}`) });
    const two = handleRegistry('shared_thing', { ttlMs: 5_000, onExpire: id => dropped.push(`two:${id}`) });
    expect(two).toBe(one);
    expect(one.policy).toContain('5 seconds');
    const id = one.mint();
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
    expect(fs.readFileSync(path.join(dir, 'src/mcp-handles.ts'), 'utf8')).toBe(HANDLES_MODULE_SOURCE);
    expect(fs.readFileSync(path.join(dir, 'src/tools/wishlist.ts'), 'utf8')).toContain("from '../mcp-handles.js'");
    expect(fs.readdirSync(path.join(dir, 'src/tools'))).toEqual(['wishlist.ts']);
    const after = fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8');
    expect(runCli(['.'], dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8')).toBe(after);
  });
});
