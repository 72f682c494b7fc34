/**
 * A v1 server that kept its own resource-subscriber list, migrated: a 2026-07-28 client that listens for the URI
 * (subscriptions/listen) receives the update the v1 server sent to a 2025 client that had subscribed, and a
 * listener for another URI does not.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyServer, migrate, specOf, start, typecheck } from './helpers/e2e.js';

const NAME = 'resource-subscriptions';
const URI = 'list://shopping';

async function updatesSeen(
  dir: string,
  era: 'pinned-2026' | 'legacy-2025',
  which: 'migrated' | 'original',
  uri: string
) {
  const seen: string[] = [];
  const s = await start(dir, specOf(NAME), era, which, {
    setup: client => client.setNotificationHandler('notifications/resources/updated', n => void seen.push(n.params.uri))
  });
  try {
    if (era === 'pinned-2026') await s.client.listen({ resourceSubscriptions: [uri] });
    else await s.client.subscribeResource({ uri });
    await s.client.callTool({ name: 'add_item', arguments: { item: 'bread' } });
    const deadline = Date.now() + 3_000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
    return seen;
  } finally {
    await s.close();
  }
}

describe('fixtures/servers/resource-subscriptions', () => {
  const copy = copyServer(NAME);
  afterAll(() => copy.cleanup());

  it('v1 announces the change to a subscribed 2025 client', async () => {
    expect(await updatesSeen(copy.dir, 'legacy-2025', 'original', URI)).toEqual([URI]);
  });

  it('migrated, it drops its subscriber list: a 2026 client listening for the URI gets the update, and a 2025 client still subscribes', async () => {
    expect(migrate(copy.dir).code).toBe(0);
    expect(typecheck(copy.dir)).toBe('');
    expect(await updatesSeen(copy.dir, 'pinned-2026', 'migrated', URI)).toEqual([URI]);
    expect(await updatesSeen(copy.dir, 'pinned-2026', 'migrated', 'list://other')).toEqual([]);
    expect(await updatesSeen(copy.dir, 'legacy-2025', 'migrated', URI)).toEqual([URI]);
  });
});
