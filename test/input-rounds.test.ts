/**
 * The generated multi-round module (fixtures/push-to-input-required/mcp-input-rounds.ts is the text the rewrite
 * writes): answers carried across rounds in a sealed requestState, and every way a requestState must be refused.
 * The fixture pairs cover the code shapes; the e2e test covers a real client; these cover the sealing contract.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inputRequired, isInputRequiredResult, ProtocolError, type ServerContext } from '@modelcontextprotocol/server';
import {
  INPUT_ROUNDS_MODULE_SOURCE,
  inputRoundsModuleJs
} from '../transforms/push-to-input-required/mcp-input-rounds.source.js';
import {
  askingInRounds,
  beforeFirstToolCall,
  checkedAnswer,
  clientCapabilitiesInRound,
  createMessageInRound,
  elicitInRound,
  InputPending,
  inputRounds,
  listRootsInRound
} from '../fixtures/push-to-input-required/mcp-input-rounds.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.resetModules();
});

const alice = { clientId: 'app', extra: { sub: 'alice' } };
const bob = { clientId: 'app', extra: { sub: 'bob' } };

/** The slice of a tools/call context the module reads, for one round. */
function round(
  requestState?: string,
  inputResponses?: Record<string, unknown>,
  authInfo: object = alice
): ServerContext {
  return {
    mcpReq: { method: 'tools/call', requestState: () => requestState, inputResponses },
    http: { authInfo }
  } as unknown as ServerContext;
}

const confirm = inputRequired.elicit({
  message: 'Sure?',
  requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } }
});
const accepted = { action: 'accept', content: { ok: true } };

/** Round 1 asks `first`; round 2 reads it and asks `second`; returns round 2's sealed state. */
async function twoRounds(tool = 'deploy', args: unknown = { env: 'prod', region: 'eu' }): Promise<string> {
  const one = await inputRounds(round(), tool, args);
  expect(one.response('first').kind).toBe('missing');
  const asked = await one.ask({ first: confirm });
  expect(asked.inputRequests).toEqual({ first: confirm });
  const two = await inputRounds(round(asked.requestState, { first: accepted }), tool, args);
  expect(two.response('first')).toEqual({ kind: 'elicit', ...accepted });
  return (await two.ask({ second: confirm })).requestState!;
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(ProtocolError);
  return { code: (err as ProtocolError).code, message: (err as ProtocolError).message };
}

const REFUSED = { code: -32602, message: 'Invalid or expired requestState' };

describe('generated multi-round module', () => {
  it('is the module the fixtures type-check', () => {
    expect(fs.readFileSync(path.join(FIXTURES, 'push-to-input-required/mcp-input-rounds.ts'), 'utf8')).toBe(
      INPUT_ROUNDS_MODULE_SOURCE
    );
  });

  it('carries earlier answers to later rounds, where the client sends only the latest answer', async () => {
    const state = await twoRounds();
    const three = await inputRounds(round(state, { second: { action: 'decline' } }), 'deploy', {
      region: 'eu',
      env: 'prod'
    });
    expect(three.response('first')).toEqual({ kind: 'elicit', ...accepted });
    expect(three.response('second')).toEqual({ kind: 'elicit', action: 'decline' });
  });

  it('keeps the answers readable but not forgeable: the payload is signed, not encrypted', async () => {
    const state = await twoRounds();
    const [version, body, mac] = state.split('.');
    expect(version).toBe('v1');
    const decoded = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
    expect(decoded.p.answers.first.content).toEqual({ ok: true });
    // The binding (principal, tool, arguments) is an HMAC tag, never the raw values.
    expect(body).not.toContain(Buffer.from('alice').toString('base64url'));
    expect(JSON.stringify(decoded)).not.toMatch(/alice|deploy|prod/);
    decoded.p.answers.first.content.ok = false;
    const forged = `v1.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`;
    expect(await refusal(inputRounds(round(forged, {}), 'deploy', { env: 'prod', region: 'eu' }))).toEqual(REFUSED);
  });

  it('refuses garbage, and a state decoded by some other verify hook', async () => {
    expect(await refusal(inputRounds(round('v1.garbage.sig'), 'deploy', {}))).toEqual(REFUSED);
    const decodedElsewhere = {
      mcpReq: { method: 'tools/call', requestState: () => ({ answers: {} }) }
    } as unknown as ServerContext;
    expect(await refusal(inputRounds(decodedElsewhere, 'deploy', {}))).toEqual(REFUSED);
  });

  it('binds a state to its tool, its arguments and its caller', async () => {
    const state = await twoRounds();
    expect(await refusal(inputRounds(round(state), 'destroy', { env: 'prod', region: 'eu' }))).toEqual(REFUSED);
    expect(await refusal(inputRounds(round(state), 'deploy', { env: 'staging', region: 'eu' }))).toEqual(REFUSED);
    expect(await refusal(inputRounds(round(state, {}, bob), 'deploy', { env: 'prod', region: 'eu' }))).toEqual(REFUSED);
    const other = {
      mcpReq: { method: 'prompts/get', requestState: () => state },
      http: { authInfo: alice }
    } as unknown as ServerContext;
    expect(await refusal(inputRounds(other, 'deploy', { env: 'prod', region: 'eu' }))).toEqual(REFUSED);
  });

  it('expires a state after the round lifetime (600 s by default)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const state = await twoRounds();
    vi.setSystemTime(Date.now() + 599_000);
    await expect(inputRounds(round(state), 'deploy', { env: 'prod', region: 'eu' })).resolves.toBeDefined();
    vi.setSystemTime(Date.now() + 2_000);
    expect(await refusal(inputRounds(round(state), 'deploy', { env: 'prod', region: 'eu' }))).toEqual(REFUSED);
  });

  it("seals with MCP_REQUEST_STATE_KEY when set, so every instance accepts every other instance's state", async () => {
    const key = randomBytes(32).toString('base64');
    vi.stubEnv('MCP_REQUEST_STATE_KEY', key);
    const a = await import('../fixtures/push-to-input-required/mcp-input-rounds.js?instance=a' as string);
    const b = await import('../fixtures/push-to-input-required/mcp-input-rounds.js?instance=b' as string);
    const state = (await (await a.inputRounds(round(), 'deploy', {})).ask({ first: confirm })).requestState;
    await expect(b.inputRounds(round(state, { first: accepted }), 'deploy', {})).resolves.toBeDefined();
    // Without a shared key, another process (here: the statically imported module) refuses it.
    expect(await refusal(inputRounds(round(state, { first: accepted }), 'deploy', {}))).toEqual(REFUSED);
  });

  it('refuses to start with a sealing key that is short, not base64, or a placeholder', async () => {
    const loads = {
      'too-short': () => import('../fixtures/push-to-input-required/mcp-input-rounds.js?key=short' as string),
      ['a'.repeat(44)]: () =>
        import('../fixtures/push-to-input-required/mcp-input-rounds.js?key=placeholder' as string),
      ['not base64 at all, though long enough!!']: () =>
        import('../fixtures/push-to-input-required/mcp-input-rounds.js?key=text' as string)
    };
    for (const [bad, load] of Object.entries(loads)) {
      vi.stubEnv('MCP_REQUEST_STATE_KEY', bad);
      await expect(load()).rejects.toThrow(
        /MCP_REQUEST_STATE_KEY (must be the base64 of at least 32|looks like a placeholder)/
      );
    }
  });

  it('says once at start-up that an unset key is per-process', async () => {
    vi.stubEnv('MCP_REQUEST_STATE_KEY', '');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await import('../fixtures/push-to-input-required/mcp-input-rounds.js?key=unset' as string);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/MCP_REQUEST_STATE_KEY is not set/);
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses a round lifetime that is not between a second and a day, at start-up', async () => {
    const loads = {
      'ten minutes': () => import('../fixtures/push-to-input-required/mcp-input-rounds.js?ttl=words' as string),
      '0': () => import('../fixtures/push-to-input-required/mcp-input-rounds.js?ttl=zero' as string),
      '-5': () => import('../fixtures/push-to-input-required/mcp-input-rounds.js?ttl=negative' as string),
      '31536000': () => import('../fixtures/push-to-input-required/mcp-input-rounds.js?ttl=year' as string)
    };
    for (const [bad, load] of Object.entries(loads)) {
      vi.stubEnv('MCP_REQUEST_STATE_TTL_SECONDS', bad);
      await expect(load()).rejects.toThrow(/between 1 and 86400/);
    }
  });

  it('refuses arguments nested too deeply to bind instead of exhausting the stack', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const one = await inputRounds(round(), 'deploy', { deep });
    await expect(one.ask({ first: confirm })).rejects.toThrow(RangeError);
    expect(await refusal(inputRounds(round('v1.a.b'), 'deploy', { deep }))).toEqual(REFUSED);
  });
});

describe('answers are untrusted input', () => {
  const pick = inputRequired.elicit({
    message: 'Which?',
    requestedSchema: {
      type: 'object',
      properties: { ok: { type: 'boolean' }, size: { type: 'string', enum: ['s', 'm'] } },
      required: ['ok']
    }
  });
  const sample = inputRequired.createMessage({
    messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }],
    maxTokens: 5
  });
  const INVALID = -32602;

  function code(run: () => unknown): number | undefined {
    try {
      run();
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
      return (e as ProtocolError).code;
    }
  }

  it('refuses accepted elicitation content that does not match the requested schema', () => {
    for (const content of [{ ok: { $ne: false } }, { ok: 'yes' }, {}, { ok: true, size: 'xl' }]) {
      expect(code(() => checkedAnswer({ kind: 'elicit', action: 'accept', content } as never, pick))).toBe(INVALID);
    }
  });

  it('passes content that matches, and declines or cancels that carry no content', () => {
    const good = { kind: 'elicit', action: 'accept', content: { ok: false, size: 'm' } } as const;
    expect(checkedAnswer(good as never, pick)).toBe(good);
    for (const action of ['decline', 'cancel']) {
      expect(code(() => checkedAnswer({ kind: 'elicit', action } as never, pick))).toBeUndefined();
    }
  });

  it('refuses a sampling answer that is not shaped like a sampling result', () => {
    const garbage = { kind: 'sampling', result: { role: 'user', content: 'not a content block' } };
    expect(code(() => checkedAnswer(garbage as never, sample))).toBe(INVALID);
    const real = {
      kind: 'sampling',
      result: { role: 'assistant', content: { type: 'text', text: 'hello' }, model: 'm', stopReason: 'endTurn' }
    };
    expect(code(() => checkedAnswer(real as never, sample))).toBeUndefined();
  });

  it('checks a fresh answer when read with its request, and trusts what an earlier round sealed after checking', async () => {
    const one = await inputRounds(
      round(undefined, { first: { action: 'accept', content: { ok: 'yes' } } }),
      'deploy',
      {}
    );
    expect(code(() => one.response('first', pick))).toBe(INVALID);

    const two = await inputRounds(
      round(undefined, { first: { action: 'accept', content: { ok: true } } }),
      'deploy',
      {}
    );
    expect(two.response('first', pick)).toEqual({ kind: 'elicit', action: 'accept', content: { ok: true } });
    const state = (await two.ask({ second: confirm })).requestState;
    // The retry re-sends a different (bad) answer for the sealed key: the sealed, checked one wins.
    const three = await inputRounds(
      round(state, { first: { action: 'accept', content: { ok: 'yes' } }, second: accepted }),
      'deploy',
      {}
    );
    expect(three.response('first', pick)).toEqual({ kind: 'elicit', action: 'accept', content: { ok: true } });
  });
});

describe('questions asked below the tool callbacks (askingInRounds)', () => {
  const question = {
    message: 'Ship it?',
    requestedSchema: { type: 'object' as const, properties: { ok: { type: 'boolean' as const } }, required: ['ok'] }
  };
  /** A server whose registerTool keeps the callbacks it is given, by name, as the SDK's would. */
  function toolServer() {
    const callbacks = new Map<string, (...a: any[]) => Promise<any>>();
    const server = askingInRounds({
      registerTool: (name: string, _config: unknown, cb: (...a: any[]) => Promise<any>) => callbacks.set(name, cb)
    });
    return { server, callbacks };
  }
  // What the tools call, however deep: a service method that asks and then acts.
  const shipped: string[] = [];
  async function shipIfConfirmed(what: string): Promise<string> {
    const answer = await elicitInRound(question);
    if (answer.action !== 'accept' || answer.content?.['ok'] !== true) return 'kept';
    shipped.push(what);
    return `shipped ${what}`;
  }

  it('ends the call with inputRequired where the code asks, and runs it to its end on the retry', async () => {
    const { server, callbacks } = toolServer();
    server.registerTool('ship', { inputSchema: {} }, async (args: { what: string }) => ({
      content: [{ type: 'text', text: await shipIfConfirmed(args.what) }]
    }));
    const ship = callbacks.get('ship')!;
    shipped.length = 0;
    const first = await ship({ what: 'v2' }, round());
    expect(isInputRequiredResult(first)).toBe(true);
    expect(Object.keys(first.inputRequests)).toEqual(['ask_1']);
    expect(shipped).toEqual([]);
    const retry = await ship({ what: 'v2' }, round(first.requestState, { ask_1: accepted }));
    expect(retry.content[0].text).toBe('shipped v2');
    expect(shipped).toEqual(['v2']);
  });

  it('asks the questions of one call one round at a time, carrying the earlier answers sealed', async () => {
    const { server, callbacks } = toolServer();
    server.registerTool('twice', { inputSchema: {} }, async () => {
      const a = await elicitInRound(question);
      const b = await elicitInRound({ ...question, message: 'Really?' });
      return { content: [{ type: 'text', text: `${a.action}/${b.action}` }] };
    });
    const twice = callbacks.get('twice')!;
    const one = await twice({}, round());
    expect(Object.keys(one.inputRequests)).toEqual(['ask_1']);
    const two = await twice({}, round(one.requestState, { ask_1: accepted }));
    expect(Object.keys(two.inputRequests)).toEqual(['ask_2']);
    const three = await twice({}, round(two.requestState, { ask_2: { action: 'decline' } }));
    expect(three.content[0].text).toBe('accept/decline');
  });

  it('still asks where the code catches the stop and goes on; an answer that does not fit throws as v1 did', async () => {
    const { server, callbacks } = toolServer();
    const caught: unknown[] = [];
    server.registerTool('lenient', { inputSchema: {} }, async () => {
      try {
        return { content: [{ type: 'text', text: (await elicitInRound(question)).action }] };
      } catch (e) {
        caught.push(e);
        return { content: [{ type: 'text', text: 'fallback' }] };
      }
    });
    const lenient = callbacks.get('lenient')!;
    const asked = await lenient({}, round());
    expect(Object.keys(asked.inputRequests)).toEqual(['ask_1']);
    expect(caught[0]).toBeInstanceOf(InputPending);
    // v1's elicitInput threw on content that does not match the schema, into the same catch.
    const wrong = await lenient({}, round(asked.requestState, { ask_1: { action: 'accept', content: { ok: 'yes' } } }));
    expect(wrong.content[0].text).toBe('fallback');
    expect(caught[1]).toBeInstanceOf(ProtocolError);
    const right = await lenient({}, round(asked.requestState, { ask_1: accepted }));
    expect(right.content[0].text).toBe('accept');
  });

  it('reads the capabilities the tool call brought, and says plainly when asked outside any tool call', async () => {
    const { server, callbacks } = toolServer();
    const legacy = { getClientCapabilities: () => ({ roots: {} }) };
    server.registerTool('caps', { inputSchema: {} }, async (_args: unknown, ctx: ServerContext) => ({
      content: [{ type: 'text', text: JSON.stringify([clientCapabilitiesInRound(legacy), Boolean(ctx)]) }]
    }));
    const ctx = round();
    (ctx.mcpReq as unknown as { envelope: object }).envelope = {
      'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } }
    };
    const caps = await callbacks.get('caps')!({}, ctx);
    expect(JSON.parse(caps.content[0].text)).toEqual([{ elicitation: { form: {} } }, true]);
    expect(clientCapabilitiesInRound(legacy)).toEqual({ roots: {} });
    await expect(listRootsInRound()).rejects.toThrow(/outside a tool call/);
  });

  it('asks through the server it is handed as v1 did outside any tool call, and in the round inside one', async () => {
    const sent: string[] = [];
    const v1 = {
      elicitInput: async (params: { message: string }) => (sent.push(params.message), { action: 'decline' as const }),
      createMessage: async () => (sent.push('sampling'), { role: 'assistant', content: { type: 'text', text: 'hi' } }),
      listRoots: async () => (sent.push('roots'), { roots: [{ uri: 'file:///work' }] })
    };
    expect(await elicitInRound(question, undefined, v1)).toEqual({ action: 'decline' });
    expect((await createMessageInRound({ messages: [], maxTokens: 5 }, undefined, v1)).content).toEqual({
      type: 'text',
      text: 'hi'
    });
    expect(await listRootsInRound(undefined, undefined, v1)).toEqual({ roots: [{ uri: 'file:///work' }] });
    expect(sent).toEqual(['Ship it?', 'sampling', 'roots']);
    // Inside a tool call the question is the round's, whatever server the code hands along.
    const { server, callbacks } = toolServer();
    server.registerTool('ask', { inputSchema: {} }, async () => ({
      content: [{ type: 'text', text: (await elicitInRound(question, undefined, v1)).action }]
    }));
    const first = await callbacks.get('ask')!({}, round());
    expect(first.resultType).toBe('input_required');
    expect(sent).toHaveLength(3);
  });

  it('runs a hook set with beforeFirstToolCall once, in the first tool call, asking under keys of its own', async () => {
    const { server, callbacks } = toolServer();
    const seen: string[] = [];
    beforeFirstToolCall(server, async () => {
      const { roots } = await listRootsInRound();
      seen.push(roots.map(r => r.uri).join(','));
    });
    server.registerTool('ship', { inputSchema: {} }, async (args: { what: string }) => ({
      content: [{ type: 'text', text: await shipIfConfirmed(args.what) }]
    }));
    const ship = callbacks.get('ship')!;
    const first = await ship({ what: 'v3' }, round());
    expect(Object.keys(first.inputRequests)).toEqual(['before_1']);
    expect(seen).toEqual([]);
    // The hook answered, the tool asks its own question (its key counts from its own start).
    const roots = { roots: [{ uri: 'file:///work' }] };
    const second = await ship({ what: 'v3' }, round(first.requestState, { before_1: roots }));
    expect(Object.keys(second.inputRequests)).toEqual(['ask_1']);
    expect(seen).toEqual(['file:///work']);
    const done = await ship({ what: 'v3' }, round(second.requestState, { ask_1: accepted }));
    expect(done.content[0].text).toBe('shipped v3');
    // Not again: the hook ran once for this server.
    const later = await ship({ what: 'v4' }, round());
    expect(Object.keys(later.inputRequests)).toEqual(['ask_1']);
    expect(seen).toEqual(['file:///work']);
  });

  it("reports a hook that throws to the server's onerror, as v1 did, and runs the tool", async () => {
    const errors: Error[] = [];
    const callbacks = new Map<string, (...a: any[]) => Promise<any>>();
    const low = { onerror: (e: Error) => errors.push(e) };
    const server = askingInRounds({
      server: low,
      registerTool: (name: string, _config: unknown, cb: (...a: any[]) => Promise<any>) => callbacks.set(name, cb)
    });
    // Set on the low-level server, as v1's oninitialized was.
    beforeFirstToolCall(low, () => {
      throw new Error('no directories');
    });
    server.registerTool('list', { inputSchema: {} }, async () => ({ content: [{ type: 'text', text: 'listed' }] }));
    const result = await callbacks.get('list')!({}, round());
    expect(result.content[0].text).toBe('listed');
    expect(errors.map(e => e.message)).toEqual(['no directories']);
  });

  it("wraps a low-level server's tools/call handler (by the called tool's name), and no other handler", async () => {
    const handlers = new Map<string, (...a: any[]) => Promise<any>>();
    const server = askingInRounds({
      setRequestHandler: (method: string, handler: (...a: any[]) => Promise<any>) => handlers.set(method, handler)
    });
    const list = async () => ({ tools: [] });
    server.setRequestHandler('tools/list', list);
    server.setRequestHandler('tools/call', async () => ({
      content: [{ type: 'text', text: (await elicitInRound(question)).action }]
    }));
    expect(handlers.get('tools/list')).toBe(list);
    const call = handlers.get('tools/call')!;
    const request = { params: { name: 'ship', arguments: { what: 'v2' } } };
    const asked = await call(request, round());
    const done = await call(request, round(asked.requestState, { ask_1: accepted }));
    expect(done.content[0].text).toBe('accept');
    // The state is bound to the tool it was asked for.
    const other = { params: { name: 'other', arguments: { what: 'v2' } } };
    expect(await refusal(call(other, round(asked.requestState, { ask_1: accepted })))).toEqual(REFUSED);
  });

  it("asks in the round another copy of the module opened (a monorepo's packages each get one)", async () => {
    // Inside the project, so the copies resolve @modelcontextprotocol/server from its node_modules.
    fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'input-rounds-'));
    try {
      for (const copy of ['server', 'core']) fs.writeFileSync(path.join(dir, `${copy}.mjs`), inputRoundsModuleJs());
      type Copy = { askingInRounds: typeof askingInRounds; elicitInRound: typeof elicitInRound };
      const server = (await import(path.join(dir, 'server.mjs'))) as Copy;
      const core = (await import(path.join(dir, 'core.mjs'))) as Copy;
      const callbacks = new Map<string, (...a: any[]) => Promise<any>>();
      const wrapped = server.askingInRounds({
        registerTool: (name: string, _config: unknown, cb: (...a: any[]) => Promise<any>) => callbacks.set(name, cb)
      });
      wrapped.registerTool('ship', { inputSchema: {} }, async () => ({
        content: [{ type: 'text', text: (await core.elicitInRound(question)).action }]
      }));
      const ship = callbacks.get('ship')!;
      const asked = await ship({}, round());
      expect(isInputRequiredResult(asked)).toBe(true);
      const done = await ship({}, round(asked.requestState, { ask_1: accepted }));
      expect(done.content[0].text).toBe('accept');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
