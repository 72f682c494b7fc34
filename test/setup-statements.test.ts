/** Which statements set a server up, so a factory can run them per request as they ran once at start. */
import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { isSetupStatement } from '../transforms/kit/setup-statements.js';

const j = jscodeshift.withParser('tsx');
const statement = (code: string) => j(code).get().node.program.body[0];

describe('setup statements', () => {
  it.each([
    'server.registerTool(name, config, cb);',
    'registerAll(server);',
    'if (key) { registerReader(server); } else { server.registerTool(a, b, c); }',
    'for (const t of tools) { const c = config(t); server.registerTool(t.name, c, cb); }',
    'tools.forEach(t => { if (!t.cb) throw new Error(t.name); server.registerTool(t.name, t.config, t.cb); });'
  ])('%s is setup', code => {
    expect(isSetupStatement(statement(code), 'server')).toBe(true);
  });

  it.each([
    'if (server.isConnected()) { register(server); }',
    'if (debug) { setTimeout(() => server.sendToolListChanged(), 10); }',
    'if (debug) { globalThis.current = server; }',
    'for (const t of tools) { other.register(t); }',
    'tools.map(t => server.registerTool(t.name, t.config, t.cb));',
    'if (flag) { const server = make(); server.registerTool(a, b, c); }'
  ])('%s is not setup', code => {
    expect(isSetupStatement(statement(code), 'server')).toBe(false);
  });
});
