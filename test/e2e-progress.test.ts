/**
 * A v1 HTTP server whose tool reports progress through its server (`server.server.notification({ method:
 * 'notifications/progress', … })`, not tied to the request: v1 sent it on a session's standalone GET stream, or over
 * stdio, where it does arrive), migrated: served per request there is no stream but the request's own, so left as it
 * was the progress went nowhere, silently. It is sent with the handler context (`ctx.mcpReq.notify`) now, and a
 * 2026-07-28 client's progress callback runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyServer, migrate, specOf, start, typecheck } from './helpers/e2e.js';

const NAME = 'http-tool-reporting-progress-through-the-server';

async function progressSeen(dir: string) {
  const seen: number[] = [];
  const s = await start(dir, specOf(NAME), 'pinned-2026');
  try {
    const r = await s.client.callTool(
      { name: 'crawl', arguments: { pages: 3 } },
      { onprogress: p => void seen.push(p.progress) }
    );
    expect(JSON.stringify(r.content)).toContain('crawled 3 pages');
    return seen;
  } finally {
    await s.close();
  }
}

describe(`fixtures/servers/${NAME}`, () => {
  const copy = copyServer(NAME);
  afterAll(() => copy.cleanup());

  it('migrated, a 2026 client hears the progress on its request', async () => {
    expect(migrate(copy.dir).code).toBe(0);
    expect(typecheck(copy.dir)).toBe('');
    expect(await progressSeen(copy.dir)).toEqual([1, 2, 3]);
  });
});
