/**
 * A hook run once the client initialized that asks the client something (a filesystem server reading its roots)
 * has neither its moment nor a way to ask on 2026-07-28. Where it waits for every question it asks, it runs at the
 * start of the first tool call instead (beforeFirstToolCall), asking in that call's round; the functions it awaits
 * ask there too, and as v1 did where a 2025-era client's roots/list_changed runs them. The served behaviour is in
 * fixtures/servers/stdio-workspace-reading-its-roots-once-initialized (e2e-push-to-input-required.test.ts).
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { copyServer, migratedCopy, observe, specOf, start, type StartOptions, typecheck } from './helpers/e2e.js';
import { dryRunProject } from './helpers/project.js';

const ROOTS = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InitializedNotificationSchema, RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

let rootDirectories: string[] = [];
let clientInitialized = false;
let pending: ReturnType<typeof setTimeout> | undefined;

export function currentRoots(): string[] {
  return rootDirectories;
}

async function updateRootsFromClient(server: McpServer): Promise<void> {
  try {
    const result = await server.server.listRoots(undefined, { timeout: 5_000 });
    rootDirectories = result.roots.map(root => root.uri);
  } catch (error) {
    rootDirectories = [];
    console.error('roots unavailable:', error);
  }
}

export function registerRootHandlers(server: McpServer): void {
  server.server.setNotificationHandler(InitializedNotificationSchema, async () => {
    clientInitialized = true;
    await updateRootsFromClient(server);
  });
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    if (!clientInitialized) return;
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      void updateRootsFromClient(server);
    }, 100);
  });
}
`;

const INDEX = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { currentRoots, registerRootHandlers } from './roots.js';

const server = new McpServer({ name: 'files', version: '1.0.0' });
server.registerTool('roots', { description: 'The roots in use' }, async () => ({
  content: [{ type: 'text', text: currentRoots().join(', ') }]
}));
registerRootHandlers(server);
await server.connect(new StdioServerTransport());
`;

const project = (roots: string, index = INDEX) =>
  dryRunProject({ 'package.json': '{ "type": "module" }', 'src/roots.ts': roots, 'src/index.ts': index });

const errorsOf = (report: Awaited<ReturnType<typeof project>>['report']) =>
  report.files.flatMap(f => f.diagnostics).filter(d => d.severity === 'error');

describe('a hook asking the client once it initialized', () => {
  it('runs at the first tool call, and the function it awaits asks in that round (as v1 did elsewhere)', async () => {
    const { out, report } = await project(ROOTS);
    const roots = out('src/roots.ts');
    expect(roots).toContain('beforeFirstToolCall(server.server, async () => {\n    clientInitialized = true;');
    expect(roots).not.toMatch(/notifications\/initialized|InitializedNotificationSchema/);
    // The debounced refresh of a 2025-era client still asks through the server, as v1 did.
    expect(roots).toContain('await listRootsInRound(undefined, { timeout: 5_000 }, server.server);');
    expect(roots).toContain("import { beforeFirstToolCall, listRootsInRound } from './mcp-input-rounds.js';");
    expect(out('src/index.ts')).toContain("askingInRounds(new McpServer({ name: 'files', version: '1.0.0' }))");
    expect(errorsOf(report)).toEqual([]);
    const notes = report.files.flatMap(f => f.diagnostics).map(d => d.rule);
    expect(notes).toContain('push-to-input-required/first-tool-call');
  });

  it('stays marked where it leaves its question to run on its own', async () => {
    const { out, report } = await project(
      ROOTS.replace('    await updateRootsFromClient(server);\n  });', '    void updateRootsFromClient(server);\n  });')
    );
    expect(out('src/roots.ts')).not.toContain('beforeFirstToolCall');
    expect(out('src/roots.ts')).toContain('TODO(mcp-migrate/');
    expect(errorsOf(report).length).toBeGreaterThan(0);
  });

  it('stays marked where no server of the run opens rounds for it', async () => {
    const { out } = await dryRunProject({ 'package.json': '{ "type": "module" }', 'src/roots.ts': ROOTS });
    expect(out('src/roots.ts')).not.toContain('beforeFirstToolCall');
    expect(out('src/roots.ts')).toContain('TODO(mcp-migrate/');
  });

  it('keeps a hook set twice under its marker', async () => {
    const twice = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

let roots: string[] = [];
const server = new McpServer({ name: 'files', version: '1.0.0' });
server.registerTool('roots', { description: 'The roots in use' }, async () => ({
  content: [{ type: 'text', text: roots.join(', ') }]
}));
const previous = server.server.oninitialized;
server.server.oninitialized = async () => {
  previous?.();
  roots = (await server.server.listRoots()).roots.map(root => root.uri);
};
await server.connect(new StdioServerTransport());
`;
    const { out } = await dryRunProject({ 'package.json': '{ "type": "module" }', 'src/index.ts': twice });
    expect(out('src/index.ts')).not.toContain('beforeFirstToolCall');
    expect(out('src/index.ts')).toContain('TODO(mcp-migrate/');
  });
});

// Over stateful HTTP, v1's hook asked on a stream the client had not opened, and the answer never came: the session
// worked from the configured projects. Migrated, each request gets a server of its own, whose first tool call asks.
describe('a hook reading the roots of HTTP sessions', () => {
  const name = 'http-sessions-reading-their-roots-once-initialized';
  const spec = specOf(name);
  const roots: StartOptions = {
    capabilities: { roots: {} },
    setup: (client: Client) =>
      client.setRequestHandler('roots/list', async () => ({
        roots: [{ uri: 'file:///work/a', name: 'a' }, { uri: 'file:///work/b' }]
      }))
  };
  const texts = (results: unknown[]) =>
    (results as { content: { text: string }[] }[]).map(r => r.content.map(c => c.text).join(''));

  it('asks a client pinned to 2026-07-28 in the round of each tool call, and type-checks', async () => {
    const original = copyServer(name);
    onTestFinished(original.cleanup);
    const v1 = await start(original.dir, spec, 'legacy-2025', 'original', roots);
    let before: unknown[];
    try {
      before = await observe(v1.client, spec);
    } finally {
      await v1.close();
    }
    expect(texts(before)[0]).toBe('projects: (none)');

    const migrated = migratedCopy(name);
    onTestFinished(migrated.cleanup);
    expect(typecheck(migrated.dir)).toBe('');
    const s = await start(migrated.dir, spec, 'pinned-2026', 'migrated', roots);
    try {
      expect(texts(await observe(s.client, spec))).toEqual([
        'projects: file:///work/a, file:///work/b',
        'opened file:///work/b',
        'file:///elsewhere is not a project of this session'
      ]);
      await s.settle?.();
      // Every request gets a server of its own, so every tool call asks once.
      const asked = s.exchanges.filter(
        e => e.method === 'tools/call' && e.response.result?.resultType === 'input_required'
      );
      expect(asked.length).toBe(spec.calls.length);
    } finally {
      await s.close();
    }
    // A client without roots works from the configured projects, as before.
    const plain = await start(migrated.dir, spec, 'pinned-2026', 'migrated');
    try {
      expect(texts(await observe(plain.client, spec))[0]).toBe('projects: (none)');
    } finally {
      await plain.close();
    }
  });
});
