/**
 * A length check that came before a pattern in v1 keeps protecting it after the move into the schema (issue: a
 * moved `maxLength` + `pattern` let a backtracking pattern run on input of any length: 8 s for 4,001 characters).
 * Nothing is timed: every evaluation of the fixture's patterns is counted, and none may see a string longer than the
 * v1 limit. The argument is only a few times the limit, so a regression fails at once instead of backtracking. The fixture's
 * input (v1 order, checks in the handler) and output (schema) are both served to a real client.
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';

const FIXTURE = path.join(FIXTURES, 'validators-to-json-schema/length-guards-keep-protecting-a-pattern');

/** The fixture's own patterns (the validators' internal regexes, e.g. zod's code-point counter, are linear). */
const PATTERNS = new Set(['^[A-Za-z]+\\s*[A-Za-z]*\\s*[A-Za-z]*$', '^[A-Za-z0-9]+[ -]*[A-Za-z0-9]*[ -]*[A-Za-z0-9]*$']);

/** Lengths of the strings the fixture's patterns were evaluated on while `run` ran. */
async function regexInputs(run: () => Promise<unknown>): Promise<number[]> {
  const seen: number[] = [];
  const { test, exec } = RegExp.prototype;
  RegExp.prototype.test = function (this: RegExp, s: string) {
    if (PATTERNS.has(this.source)) seen.push(String(s).length);
    return test.call(this, s);
  };
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    if (PATTERNS.has(this.source)) seen.push(String(s).length);
    return exec.call(this, s);
  };
  try {
    await run();
  } finally {
    RegExp.prototype.test = test;
    RegExp.prototype.exec = exec;
  }
  return seen;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function clientFor(which: 'input' | 'output'): Promise<Client> {
  const mod = await import(`${FIXTURE}.${which}.ts`);
  const server = mod.createServer();
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'length-guard-test', version: '1.0.0' });
  await client.connect(b);
  closers.push(() => client.close());
  return client;
}

describe.each([
  ['greet', 'name', 64, 'zod'],
  ['rename', 'title', 80, 'JSON Schema']
] as const)('%s (%s of at most %i characters, %s)', (tool, field, limit, _kind) => {
  it.each(['input', 'output'] as const)(
    '%s: an argument past the limit is refused before the pattern sees it',
    async which => {
      const client = await clientFor(which);
      let result: any;
      const lengths = await regexInputs(async () => {
        result = await client.callTool({ name: tool, arguments: { [field]: 'a'.repeat(limit * 4) + '!' } });
      });
      expect(result.isError).toBe(true);
      expect(lengths.filter(n => n > limit)).toEqual([]);
    }
  );

  it.each(['input', 'output'] as const)('%s: the pattern is what refuses bad input within the limit', async which => {
    const client = await clientFor(which);
    const lengths = await regexInputs(() => client.callTool({ name: tool, arguments: { [field]: 'Ada  Lovelace!' } }));
    expect(lengths.length).toBeGreaterThan(0);
  });

  it.each(['input', 'output'] as const)('%s: within the limit the pattern still decides', async which => {
    const client = await clientFor(which);
    const good = await client.callTool({ name: tool, arguments: { [field]: 'Ada Lovelace' } });
    const bad = await client.callTool({ name: tool, arguments: { [field]: 'Ada  Lovelace!' } });
    expect(good.isError ?? false).toBe(false);
    expect(bad.isError).toBe(true);
  });
});
