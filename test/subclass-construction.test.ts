/**
 * A project's McpServer subclass is built per request only when building it keeps no state and starts no work:
 * read from its constructor and field initialisers, never from its handlers or its strings.
 */
import { describe, expect, it } from 'vitest';
import { parseAst } from '../transforms/kit/grammar.js';
import { buildsStateOrWork } from '../transforms/stateless-entry/subclass-construction.js';

const cls = (body: string) =>
  parseAst('server.ts', `class Catalog extends McpServer {\n${body}\n}`)?.program.body.find(
    (s: { type: string }) => s.type === 'ClassDeclaration'
  );

describe('buildsStateOrWork', () => {
  it('reads options and registers tools: nothing to keep', () => {
    const c = cls(`
      private readonly currency: string;
      constructor(options: { currency: string }) {
        super({ name: 'catalog', version: '1.0.0' });
        this.currency = options.currency;
        this.tool('price', 'Creates a new Nile database', {}, async () => ({ content: [{ type: 'text', text: new URL('https://x').host }] }));
      }`);
    expect(c).toBeDefined();
    expect(buildsStateOrWork(c)).toBe(false);
  });

  it('keeps a collection an instance fills, in a field or the constructor', () => {
    expect(buildsStateOrWork(cls('private seen = new Map<string, number>();'))).toBe(true);
    expect(buildsStateOrWork(cls('private history: string[] = [];'))).toBe(true);
    expect(buildsStateOrWork(cls("constructor() { super({ name: 'a', version: '1' }); this.cache = {}; }"))).toBe(true);
  });

  it('starts work a request would repeat: a pool, a client, a timer', () => {
    expect(
      buildsStateOrWork(cls("constructor() { super({ name: 'a', version: '1' }); this.pool = new Pool(); }"))
    ).toBe(true);
    expect(
      buildsStateOrWork(cls("constructor() { super({ name: 'a', version: '1' }); setInterval(() => {}, 1000); }"))
    ).toBe(true);
  });
});
