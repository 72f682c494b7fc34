/**
 * A v1 HTTP server whose tool announces list changes and resource updates on its own server
 * (`server.sendResourceListChanged()`, `server.server.sendResourceUpdated({ uri })`), migrated: served per request,
 * the announcements are the handler's publications, and a 2026-07-28 client listening on subscriptions/listen hears
 * them as a 2025 client of the v1 server heard them on its session.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyServer, migrate, specOf, start, typecheck } from './helpers/e2e.js';

const NAME = 'http-tool-announcing-list-changes';

async function heard(dir: string, era: 'pinned-2026' | 'legacy-2025', which: 'migrated' | 'original') {
  const seen: string[] = [];
  const s = await start(dir, specOf(NAME), era, which, {
    setup: client => {
      client.setNotificationHandler('notifications/resources/list_changed', () => void seen.push('list_changed'));
      client.setNotificationHandler('notifications/resources/updated', n => void seen.push(`updated ${n.params.uri}`));
    }
  });
  const until = async (n: number) => {
    const deadline = Date.now() + 3_000;
    while (seen.length < n && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
  };
  try {
    // v1 sent both to its session unasked; a 2026 client asks on subscriptions/listen.
    if (era === 'pinned-2026')
      await s.client.listen({ resourcesListChanged: true, resourceSubscriptions: ['note://first'] });
    await s.client.callTool({ name: 'add_note', arguments: { id: 'first', text: 'hello' } });
    await until(1);
    await s.client.callTool({ name: 'add_note', arguments: { id: 'first', text: 'hello again' } });
    await until(2);
    return seen;
  } finally {
    await s.close();
  }
}

describe(`fixtures/servers/${NAME}`, () => {
  const copy = copyServer(NAME);
  afterAll(() => copy.cleanup());

  it('v1 announces the new note and the edit to its 2025 session', async () => {
    expect(await heard(copy.dir, 'legacy-2025', 'original')).toEqual(['list_changed', 'updated note://first']);
  });

  it('migrated, a 2026 client listening hears both through the handler', async () => {
    expect(migrate(copy.dir).code).toBe(0);
    expect(typecheck(copy.dir)).toBe('');
    expect(await heard(copy.dir, 'pinned-2026', 'migrated')).toEqual(['list_changed', 'updated note://first']);
  });
});
