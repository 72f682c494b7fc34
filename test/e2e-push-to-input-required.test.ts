/**
 * Rewrite 6 end to end: a v1 server that asks the client mid-call (elicitation, sampling, roots) is migrated by
 * the CLI and type-checks; a client pinned to 2026-07-28 with handlers for those requests completes every flow
 * through inputRequired rounds (the SDK client fulfils them and retries), one without the capabilities gets the
 * v1 fallback, and a 2025-era client completes the same flows through the SDK's legacy shim. Each era's results
 * equal what the v1 server gave a 2025 client with the same capabilities.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import {
  copyServer,
  type E2eSpec,
  type Era,
  sharedMigration,
  observe,
  serverNames,
  specOf,
  start,
  type StartOptions,
  typecheck
} from './helpers/e2e.js';

const capable: StartOptions = {
  capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} },
  setup: (client: Client) => {
    client.setRequestHandler('elicitation/create', async req => {
      const message = req.params.message;
      const content: Record<string, string | boolean> = message.startsWith('Title')
        ? { title: 'Aurora' }
        : message.startsWith('Region')
          ? { region: 'eu-west' }
          : message.startsWith('Room')
            ? { room: 'A1' }
            : message.startsWith('Tone')
              ? { tone: 'formal' }
              : message.startsWith('Day')
                ? { day: 'friday' }
                : { confirm: true };
      return { action: 'accept', content };
    });
    client.setRequestHandler('sampling/createMessage', async () => ({
      role: 'assistant',
      content: { type: 'text', text: 'short' },
      model: 'test-model'
    }));
    client.setRequestHandler('roots/list', async () => ({
      roots: [{ uri: 'file:///work/a', name: 'a' }, { uri: 'file:///work/b' }]
    }));
  }
};

describe.each(serverNames('push-to-input-required'))('fixtures/servers/%s', name => {
  const spec: E2eSpec = specOf(name);
  let migrated: { dir: string; cleanup: () => void };
  const v1: { capable: unknown[]; incapable: unknown[] } = { capable: [], incapable: [] };
  const run = async (dir: string, era: Era, which: 'original' | 'migrated', opts: StartOptions = {}) => {
    const s = await start(dir, spec, era, which, opts);
    try {
      return { results: await observe(s.client, spec), era: s.client.getProtocolEra(), s };
    } finally {
      await s.close();
    }
  };

  beforeAll(async () => {
    const original = copyServer(name);
    try {
      v1.capable = (await run(original.dir, 'legacy-2025', 'original', capable)).results;
      v1.incapable = (await run(original.dir, 'legacy-2025', 'original')).results;
    } finally {
      original.cleanup();
    }
    migrated = sharedMigration(name);
  });
  afterAll(() => migrated?.cleanup());

  it('the v1 server behaves differently with and without the capabilities (the premise)', () => {
    expect(v1.capable).not.toEqual(v1.incapable);
    // A server of its own tools names what only an answering client gets; the others share the deploy/release suite.
    if (spec.premise) {
      for (const text of spec.premise) expect(JSON.stringify(v1.capable)).toContain(text);
      return;
    }
    expect(JSON.stringify(v1.capable)).toContain('Deployed to prod');
    // Asked by a helper in another module (src/confirm.ts), for the tool that calls it.
    if (name === 'push-requests') expect(JSON.stringify(v1.capable)).toContain('Promoted RC-7');
    // Asked in a branch, after a read (src/regions.ts) that the retry runs again; not asked when the call names a region.
    if (name === 'push-requests') {
      expect(JSON.stringify(v1.capable)).toContain('Moved api to eu-west');
      expect(JSON.stringify(v1.capable)).toContain('Moved db to us-east');
      // Two questions, each in its own branch, asked only for what the call leaves out.
      expect(JSON.stringify(v1.capable)).toContain('Booked A1 on friday');
      expect(JSON.stringify(v1.capable)).toContain('Booked B2 on friday');
    }
    expect(JSON.stringify(v1.capable)).toContain('Released 2.0.0 \\"Aurora\\" (confirmed: true) with notes: short');
  });

  it('type-checks against the v2 packages after migration', () => {
    expect(typecheck(migrated.dir)).toBe('');
  });

  it('completes every flow for a client pinned to 2026-07-28 through inputRequired rounds', async () => {
    const s = await start(migrated.dir, spec, 'pinned-2026', 'migrated', capable);
    try {
      expect(s.client.getProtocolEra()).toBe('modern');
      expect(await observe(s.client, spec)).toEqual(v1.capable);
      if (spec.transport === 'http') {
        await s.settle?.();
        // The server asked by returning input_required results, never by a request of its own.
        const rounds = s.exchanges.filter(
          e => e.method === 'tools/call' && e.response.result?.resultType === 'input_required'
        );
        expect(rounds.length).toBe(spec.calls.reduce((n, c) => n + (c.rounds ?? 1), 0));
      }
    } finally {
      await s.close();
    }
  });

  // requestState comes back through the client: a changed byte, or a state replayed with other arguments, must be
  // refused before the handler trusts what it carries. The same attack with the state untouched would complete.
  it.runIf(spec.transport === 'http')(
    'refuses a tampered requestState, and one replayed with other arguments',
    async () => {
      // A multi-round call with an argument to change: a state replayed with another value for it must be refused.
      const call = spec.calls.find(c => (c.rounds ?? 1) > 1 && Object.keys(c.arguments).length > 0);
      expect(call, 'e2e.json names a multi-round call with arguments').toBeDefined();
      const [argument] = Object.keys(call!.arguments);
      const attacks: Record<string, (params: any) => void> = {
        // The first character of the MAC (the last one of a base64url string can hold only padding bits).
        tampered: params =>
          (params.requestState = params.requestState.replace(
            /\.(.)([^.]*)$/,
            (_: string, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest}`
          )),
        rebound: params => (params.arguments = { ...params.arguments, [argument!]: 'evil' })
      };
      for (const [name, attack] of Object.entries(attacks)) {
        const s = await start(migrated.dir, spec, 'pinned-2026', 'migrated', {
          ...capable,
          tamper: m => {
            if (m.method === 'tools/call' && typeof m.params?.requestState === 'string') attack(m.params);
            return m;
          }
        });
        try {
          // McpServer answers an error thrown in a tool handler as an isError result: the model reads the refusal,
          // and the handler never runs past the check.
          const result = await s.client.callTool({ name: call!.tool, arguments: call!.arguments });
          expect({ content: result.content, isError: result.isError }, name).toEqual({
            content: [{ type: 'text', text: 'Invalid or expired requestState' }],
            isError: true
          });
        } finally {
          await s.close();
        }
      }
    }
  );

  it('gives a 2026 client without the capabilities the original fallback', async () => {
    const { results, era } = await run(migrated.dir, 'pinned-2026', 'migrated');
    expect(era).toBe('modern');
    expect(results).toEqual(v1.incapable);
  });

  it.runIf(spec.transport === 'stdio')(
    'still completes every flow for a 2025-era client over stdio, through the legacy shim',
    async () => {
      const { results, era } = await run(migrated.dir, 'legacy-2025', 'migrated', capable);
      expect(era).toBe('legacy');
      expect(results).toEqual(v1.capable);
    }
  );

  // Stateless HTTP cannot carry a server→client request to a 2025 client (no session to send it on): the SDK's
  // shim reports the capability as missing, so the handler takes its v1 fallback instead of failing.
  it.runIf(spec.transport === 'http')('gives a 2025-era client over stateless HTTP the original fallback', async () => {
    const { results, era } = await run(migrated.dir, 'legacy-2025', 'migrated', capable);
    expect(era).toBe('legacy');
    expect(results).toEqual(v1.incapable);
  });
});
