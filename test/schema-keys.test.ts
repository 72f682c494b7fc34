/**
 * A test looking a handler up by the schema it was registered with breaks once the code under test registers by
 * method string (v2, and the registrations rewrite): in test files a spec schema read only as such a key becomes its
 * method, `'tools/list'`; a schema the test parses with, or reads the shape of, stays.
 */
import { describe, expect, it } from 'vitest';
import { dryRunProject } from './helpers/project.js';

const SERVER = `import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export function registerHandlers(server: Server) {
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [] }));
  server.setRequestHandler(CallToolRequestSchema, async () => ({ content: [] }));
}
`;

const TEST = `import { describe, it, expect, vi } from 'vitest';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { registerHandlers } from '../src/server.js';

function handlerFor(server: { setRequestHandler: ReturnType<typeof vi.fn> }, schema: unknown) {
  return server.setRequestHandler.mock.calls.find(c => c[0] === schema)?.[1];
}

describe('handlers', () => {
  it('registers tools/list and tools/call', async () => {
    const server = { setRequestHandler: vi.fn() };
    registerHandlers(server as never);
    expect(server.setRequestHandler).toHaveBeenCalledWith(ListToolsRequestSchema, expect.any(Function));
    expect(server.setRequestHandler.mock.calls.map(c => c[0])).toContain(CallToolRequestSchema);
    expect(await handlerFor(server, ListToolsRequestSchema)()).toEqual({ tools: [] });
  });
});
`;

describe('a spec schema a test reads as a handler key', () => {
  it('becomes the method the code under test now registers by', async () => {
    const { out } = await dryRunProject({
      'package.json': '{ "type": "module" }',
      'src/server.ts': SERVER,
      'test/server.test.ts': TEST
    });
    const test = out('test/server.test.ts');
    expect(out('src/server.ts')).toContain("server.setRequestHandler('tools/list',");
    expect(test).toContain("toHaveBeenCalledWith('tools/list', expect.any(Function))");
    expect(test).toContain(".toContain('tools/call')");
    expect(test).toContain("handlerFor(server, 'tools/list')");
    expect(test).not.toContain('RequestSchema');
  });

  it('stays where the test also parses with it, and outside test files', async () => {
    const parsing = TEST.replace(
      '    expect(await handlerFor(server, ListToolsRequestSchema)()).toEqual({ tools: [] });',
      "    expect(ListToolsRequestSchema.parse({ method: 'tools/list' }).method).toBe('tools/list');"
    );
    const { out } = await dryRunProject({
      'package.json': '{ "type": "module" }',
      'src/server.ts': SERVER,
      'test/server.test.ts': parsing,
      'src/keys.ts': `import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';\nexport const KEYS = [ListToolsRequestSchema];\n`
    });
    expect(out('test/server.test.ts')).toContain('toHaveBeenCalledWith(ListToolsRequestSchema,');
    // The one read only as a key in the same file still becomes its method.
    expect(out('test/server.test.ts')).toContain(".toContain('tools/call')");
    expect(out('src/keys.ts')).toContain('[ListToolsRequestSchema]');
  });

  it('stays where a request is handed it in the result schema position', async () => {
    const requesting = TEST.replace(
      '    registerHandlers(server as never);',
      '    registerHandlers(server as never);\n    const client = { request: vi.fn() };\n' +
        "    await client.request({ method: 'tools/list' }, ListToolsRequestSchema);"
    );
    const { out } = await dryRunProject({
      'package.json': '{ "type": "module" }',
      'src/server.ts': SERVER,
      'test/server.test.ts': requesting
    });
    expect(out('test/server.test.ts')).toContain("{ method: 'tools/list' }, ListToolsRequestSchema)");
    expect(out('test/server.test.ts')).toContain('toHaveBeenCalledWith(ListToolsRequestSchema,');
  });
});
