/**
 * Which calls before a question may run again on the retry as reads (push-to-input-required's replay safety): taken
 * by name, so the names that only look like reads must stay out, and the reads taken on trust are named for the NOTE.
 */
import { describe, expect, it } from 'vitest';
import { parseAst } from '../transforms/kit/grammar.js';
import { effectFree } from '../transforms/push-to-input-required/replay-safety.js';

/** The expression of `code`, parsed as the body of an async function. */
function expressionOf(code: string): unknown {
  const ast = parseAst('x.ts', `async function f() { ${code}; }`) as any;
  return ast.program.body[0].body.body[0].expression;
}

function asRead(code: string): string[] | undefined {
  const reads: string[] = [];
  return effectFree(expressionOf(code), reads) ? reads : undefined;
}

describe('reads replayed before a question', () => {
  it.each([
    ['await api.getProjects(org)', ['api.getProjects']],
    ['await listTeams(org)', ['listTeams']],
    ['(await connection.getCoreApi()).getTeams(project)', ['connection.getCoreApi', 'getTeams']],
    ['await client.search_issues({ q })', ['client.search_issues']],
    ['await fetch(url)', ['fetch']],
    // Nouns that share a spelling with a writing verb are still reads.
    ['await api.getSettings()', ['api.getSettings']],
    ['await api.getPosts(user)', ['api.getPosts']],
    ['await connectionProvider()', ['connectionProvider']],
    // Predicates ask; and a function made here is a value, judged where it is called.
    ['isAbsolutePath(savePath) || hasDriveLetter(savePath)', ['isAbsolutePath', 'hasDriveLetter']],
    ['[(value: string) => value.trim()]', []]
  ])('%s is a read', (code, names) => {
    expect(asRead(code)).toEqual(names);
  });

  it.each([
    'await api.getOrCreateBoard(name)',
    // A function called where it is made runs its body now, unread.
    '(() => audit.record())()',
    'await connectionProviderRefresh()',
    'await queue.fetchAndLock(id)',
    'await ids.getNextId()',
    'await fetch(url, { method: "POST" })',
    'await api.createProject(name)',
    'await api.getProjects(audit.record())',
    // A SQL client's query runs any statement.
    'await pool.query("DELETE FROM carts")'
  ])('%s is not', code => {
    expect(asRead(code)).toBeUndefined();
  });

  it('counts no call as a read unless the caller collects them', () => {
    expect(effectFree(expressionOf('await api.getProjects(org)'))).toBe(false);
  });
});

describe('global functions that only compute', () => {
  it.each(['String(answer.content?.title)', 'JSON.stringify(args)', 'Math.max(a, b)', 'Object.keys(fields).length'])(
    '%s runs again to the same value',
    code => {
      expect(effectFree(expressionOf(code))).toBe(true);
    }
  );

  it.each(['notify(user)', 'Object.assign(target, patch)', 'JSON.stringify(audit.record())', 'Math.random()'])(
    '%s does not',
    code => {
      expect(effectFree(expressionOf(code))).toBe(false);
    }
  );
});
