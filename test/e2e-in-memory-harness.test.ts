/**
 * A test suite's in-process harness end to end: fixtures/servers/in-memory-test-harness connects a client to the
 * server over `InMemoryTransport.createLinkedPair()`, own-transport-pair-test-harness over two of the project's own
 * transports linked back to back. Migrated, the harness serves the server half with serveStdio, so the suite's client
 * speaks 2026-07-28 (what the real entry serves) and gets what the v1 harness gave it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyServer, migrate, typecheck } from './helpers/e2e.js';

interface HarnessClient {
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  listTools(): Promise<{ tools: { name: string; description?: string }[] }>;
  getProtocolEra?(): string;
  close(): Promise<void>;
}

/** What a test of the harness sees: the tool list and one call, without the per-era `_meta` a 2026 result carries. */
async function observed(client: HarnessClient): Promise<unknown> {
  const { tools } = await client.listTools();
  const call = (await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } })) as { content: unknown };
  return { tools: tools.map(t => [t.name, t.description]), content: call.content };
}

async function connect(dir: string): Promise<HarnessClient> {
  const harness = await import(path.join(dir, 'src/harness.ts'));
  return harness.connectTestClient();
}

describe.each(['in-memory-test-harness', 'own-transport-pair-test-harness'])('fixtures/servers/%s', name => {
  const original = copyServer(name);
  const migrated = copyServer(name);
  let migration = { code: -1, stdout: '', stderr: '' };

  beforeAll(() => {
    migration = migrate(migrated.dir);
  });
  afterAll(() => {
    original.cleanup();
    migrated.cleanup();
  });

  it('migrates with no leftover and type-checks against the v2 packages', () => {
    expect(migration.code, migration.stdout + migration.stderr).toBe(0);
    expect(migration.stdout).not.toMatch(/server-connect-transport/);
    expect(typecheck(migrated.dir)).toBe('');
  });

  it("serves the harness's client on 2026-07-28 with what the v1 harness gave", async () => {
    const before = await connect(original.dir);
    const after = await connect(migrated.dir);
    try {
      expect(after.getProtocolEra?.()).toBe('modern');
      const seen = await observed(after);
      expect(seen).toEqual(await observed(before));
      expect(JSON.stringify(seen)).toContain('42');
    } finally {
      await before.close();
      await after.close();
    }
  });
});
