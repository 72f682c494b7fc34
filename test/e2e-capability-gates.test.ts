/**
 * Tools registered only for a client that declared a capability (the official "everything" server's conditional
 * tools, registered from an `oninitialized` hook): on 2026-07-28 the hook never fires and set-up knows no client,
 * so left as it was the tool is gone for every client. Migrated, it is registered for every client: a pinned
 * 2026 client that can elicit completes it through an input round, one that cannot is refused for that call
 * (-32021, the spec's answer) instead of never seeing the tool. A tool that reads the capability inside its handler
 * reads the calling client's, from its request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import {
  copyServer,
  sharedMigration,
  observe,
  serverNames,
  specOf,
  start,
  type StartOptions,
  typecheck
} from './helpers/e2e.js';

const elicits: StartOptions = {
  capabilities: { elicitation: { form: {} } },
  setup: (client: Client) => {
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { kind: 'green' } }));
  }
};

const toolNames = async (client: Client) => (await client.listTools()).tools.map(t => t.name).sort();

describe.each(serverNames('capability-gates'))('fixtures/servers/%s', name => {
  const spec = specOf(name);
  let migrated: { dir: string; cleanup: () => void };
  let v1: { results: unknown[]; tools: string[]; toolsWithout: string[]; suggestedWithout: unknown };

  beforeAll(async () => {
    const original = copyServer(name);
    try {
      const s = await start(original.dir, spec, 'legacy-2025', 'original', elicits);
      const without = await start(original.dir, spec, 'legacy-2025', 'original');
      try {
        v1 = {
          tools: await toolNames(s.client),
          results: await observe(s.client, spec),
          toolsWithout: await toolNames(without.client),
          suggestedWithout: (await without.client.callTool({ name: 'suggest', arguments: { topic: 'tea' } })).content
        };
      } finally {
        await s.close();
        await without.close();
      }
    } finally {
      original.cleanup();
    }
    migrated = sharedMigration(name);
  });
  afterAll(() => migrated?.cleanup());

  it('the v1 server lists the gated tool only to a client that can elicit (the premise)', () => {
    expect(v1.tools).toContain('ask_preference');
    expect(v1.toolsWithout).not.toContain('ask_preference');
    expect(v1.toolsWithout).toContain('suggest');
    expect(v1.suggestedWithout).toEqual([{ type: 'text', text: 'Try a green tea' }]);
  });

  it('type-checks against the v2 packages after migration', () => {
    expect(typecheck(migrated.dir)).toBe('');
  });

  it('lists the tool to a client pinned to 2026-07-28 and completes it through an input round', async () => {
    const s = await start(migrated.dir, spec, 'pinned-2026', 'migrated', elicits);
    try {
      expect(s.client.getProtocolEra()).toBe('modern');
      expect(await toolNames(s.client)).toEqual(v1.tools);
      expect(await observe(s.client, spec)).toEqual(v1.results);
    } finally {
      await s.close();
    }
  });

  it('still serves a 2025-era client that can elicit the same tools and answers, through the legacy shim', async () => {
    const s = await start(migrated.dir, spec, 'legacy-2025', 'migrated', elicits);
    try {
      expect(s.client.getProtocolEra()).toBe('legacy');
      expect(await toolNames(s.client)).toEqual(v1.tools);
      expect(await observe(s.client, spec)).toEqual(v1.results);
    } finally {
      await s.close();
    }
  });

  it('refuses the call of a 2026 client that cannot elicit with -32021, and still serves it the other tools', async () => {
    const s = await start(migrated.dir, spec, 'pinned-2026', 'migrated');
    try {
      expect(await toolNames(s.client)).toEqual(v1.tools);
      const echo = await s.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
      expect(echo.content).toEqual([{ type: 'text', text: 'hi' }]);
      const refused = await s.client.callTool({ name: 'ask_preference', arguments: { topic: 'tea' } }).then(
        r => ({ answered: r }),
        (e: { code?: number }) => ({ code: e.code })
      );
      expect(refused).toEqual({ code: -32021 });
      // A tool reading the capability in its handler reads the calling client's, from its request.
      const suggested = await s.client.callTool({ name: 'suggest', arguments: { topic: 'tea' } });
      expect(suggested.content).toEqual(v1.suggestedWithout);
    } finally {
      await s.close();
    }
  });
});
