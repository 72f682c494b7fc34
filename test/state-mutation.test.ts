/** Which factory locals are state that a per-request factory would lose: changed by a closure, or handed away. */
import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { perRequestState } from '../transforms/kit/server-factory.js';

const j = jscodeshift.withParser('tsx');

function stateIn(body: string): string[] {
  const root = j(`function build(flag: boolean) {\n${body}\n}`);
  const fn = root.find(j.FunctionDeclaration).get().node;
  return perRequestState(j, fn).flatMap((s: any) => s.declarations.map((d: any) => d.id.name));
}

describe('per-request state', () => {
  it.each([
    [
      'a Set built once and only asked',
      'const names = new Set(all.filter(n => flag || n));\nreg(() => names.has(x) && names.size);'
    ],
    ['a lookup table of strings read by key', "const alias = { a: 'b' };\nreg(() => alias[x] ?? x);"],
    [
      'a let never reassigned by a closure',
      "let mode = flag ? 'ro' : 'rw';\nif (flag) mode = 'x';\nreg(() => `${mode}`);"
    ],
    [
      'an array copied and iterated',
      'const list = [1, 2];\nreg(() => { for (const i of list) use(i); return [...list].join(); });'
    ],
    ['a Map read through a copying callee', 'const m = new Map();\nm.set(1, 2);\nreg(() => Array.from(m.keys()));'],
    [
      'a string a handler only hands to calls (its setter gone with logging/setLevel)',
      "let minLevel = 'info';\nreg(() => levels.indexOf(level) >= levels.indexOf(minLevel) && log(minLevel));"
    ]
  ])('%s is not state', (_, body) => {
    expect(stateIn(body)).toEqual([]);
  });

  it.each([
    ['an array a handler pushes to', 'const seen = [];\nreg(() => seen.push(x));'],
    ['a let a handler reassigns', 'let count = 0;\nreg(() => { count++; });'],
    ['a string a handler assigns', "let minLevel = 'info';\nreg(() => { minLevel = next(minLevel); });"],
    ['a Map entry changed through get', 'const carts = new Map();\nreg(() => carts.get(id).push(item));'],
    ['an object a handler writes a key of', 'const cache = {};\nreg(() => { cache[key] = value; });'],
    ['an entry deleted by a handler', "const flags = { a: 'b' };\nreg(() => { delete flags.a; });"],
    ['a lookup table a handler writes', "const alias = { a: 'b' };\nreg(() => { alias.c = 'd'; });"],
    ['a Set handed to a helper', 'const names = new Set();\nregisterTools(server, names);\nreg(() => names.has(x));'],
    [
      'an element read out and kept',
      'const sessions = new Map();\nreg(() => { const s = sessions.get(id); s.n = 1; });'
    ],
    ['a method the code does not know', 'const pool = new Set();\nreg(() => pool.drain());']
  ])('%s is state', (_, body) => {
    expect(stateIn(body)).toHaveLength(1);
  });
});
