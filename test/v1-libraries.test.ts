/**
 * A server built by a library that is itself on the v1 SDK (`createMcpServer` from `@supabase/mcp-utils`) speaks only
 * 2025 whatever the project's code does: check says so at the import, and migrate leaves its connect as it was (a v2
 * serveStdio cannot serve a v1 server) with the finding marked, instead of reporting a clean, broken server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkText } from '../src/check/matcher.js';
import { runCheck } from '../src/check/run-check.js';
import { runMigration } from '../src/migrate.js';
import { scratch } from './helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach(c => c()));

const ENTRY = [
  "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
  "import { createMcpServer } from '@acme/mcp-kit';",
  "import { formatDate } from '@acme/mcp-kit/format';",
  "import { slugify } from 'plain-utils';",
  '',
  "const server = createMcpServer({ name: 'kit', version: '1.0.0', tools: [] });",
  'await server.connect(new StdioServerTransport());',
  ''
].join('\n');

/** A project whose `@acme/mcp-kit` depends on the v1 SDK, known from node_modules or only from the lockfile. */
function project(how: 'installed' | 'locked'): string {
  const { dir, cleanup } = scratch();
  cleanups.push(cleanup);
  const kit = { name: '@acme/mcp-kit', version: '0.2.2', dependencies: { '@modelcontextprotocol/sdk': '^1.18.0' } };
  const utils = { name: 'plain-utils', version: '1.0.0', dependencies: { lodash: '^4.0.0' } };
  if (how === 'installed') {
    for (const pkg of [kit, utils]) {
      fs.mkdirSync(path.join(dir, 'node_modules', pkg.name), { recursive: true });
      fs.writeFileSync(path.join(dir, 'node_modules', pkg.name, 'package.json'), JSON.stringify(pkg));
    }
  } else {
    const packages = { '': {}, 'node_modules/@acme/mcp-kit': kit, 'node_modules/plain-utils': utils };
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
  }
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'x',
      type: 'module',
      dependencies: { '@modelcontextprotocol/sdk': '^1.25.0', '@acme/mcp-kit': '^0.2.2', 'plain-utils': '^1.0.0' }
    })
  );
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/index.ts'), ENTRY);
  return dir;
}

/** A project whose package.json declares these dependencies, none installed, with an empty `src`. */
function declaringProject(dependencies: Record<string, string>): string {
  const { dir, cleanup } = scratch();
  cleanups.push(cleanup);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', type: 'module', dependencies }));
  fs.mkdirSync(path.join(dir, 'src'));
  return dir;
}

describe('a library built on the v1 SDK', () => {
  it.each(['installed', 'locked'] as const)('is an error at its first import (%s), other packages are not', how => {
    const dir = project(how);
    const findings = checkText(path.join(dir, 'src/index.ts'), ENTRY).filter(f => f.rule === 'v1-library');
    expect(findings.map(f => [f.line, f.severity])).toEqual([[2, 'error']]);
    expect(findings[0]!.message).toContain(
      '`@acme/mcp-kit` is built on the v1 SDK (it depends on @modelcontextprotocol/sdk ^1.18.0)'
    );
  });

  it('is found in a file that uses nothing of the SDK itself, and migrate marks it there', async () => {
    const dir = project('installed');
    // A server written against the library alone: no SDK import, no SDK call for a text test to see.
    const only =
      "import { FastKit } from '@acme/mcp-kit';\n\nnew FastKit({ name: 'kit' }).start({ transport: 'stdio' });\n";
    fs.writeFileSync(path.join(dir, 'src/kit-only.ts'), only);
    const report = await runCheck([dir], [], 1);
    const found = report.findings.filter(f => f.file.endsWith('kit-only.ts'));
    expect(found.map(f => `${f.rule}@${f.line}:${f.severity}`)).toEqual(['v1-library@1:error']);
    const migrated = await runMigration({ paths: [dir], dryRun: true, force: true, jobs: 1, ignore: [] });
    const out = migrated.files.find(f => f.file.endsWith('kit-only.ts'))?.output ?? '';
    expect(out.startsWith('// TODO(mcp-migrate/check/v1-library): `@acme/mcp-kit` is built on the v1 SDK')).toBe(true);
    expect(out.endsWith(only)).toBe(true);
  });

  it('is not a workspace package of the project linked into node_modules, which the same run migrates', () => {
    const dir = project('installed');
    // packages/kit is the project's own package on the v1 SDK; npm workspaces link it as node_modules/@acme/mcp-kit.
    const own = path.join(dir, 'packages/kit');
    fs.mkdirSync(own, { recursive: true });
    fs.renameSync(path.join(dir, 'node_modules/@acme/mcp-kit/package.json'), path.join(own, 'package.json'));
    fs.rmSync(path.join(dir, 'node_modules/@acme/mcp-kit'), { recursive: true });
    fs.symlinkSync(own, path.join(dir, 'node_modules/@acme/mcp-kit'), 'dir');
    expect(checkText(path.join(dir, 'src/index.ts'), ENTRY).filter(f => f.rule === 'v1-library')).toEqual([]);
  });

  it('keeps the connect of a server it built, marked, and leaves the error for check', async () => {
    const dir = project('installed');
    const report = await runMigration({ paths: [dir], dryRun: true, force: true, jobs: 1, ignore: [] });
    const out = report.files.find(f => f.file.endsWith('index.ts'))!.output!;
    expect(out).toContain('await server.connect(new StdioServerTransport());');
    expect(out).not.toMatch(/^\s*serveStdio\(/m);
    expect(out).toMatch(
      /TODO\(mcp-migrate\/stateless-entry\/[\w-]+\): server is built by `createMcpServer` from `@acme\/mcp-kit`/
    );
    expect(out).toMatch(
      /TODO\(mcp-migrate\/check\/v1-library\)[^\n]*\n\s*import \{ createMcpServer \} from '@acme\/mcp-kit';/
    );
  });

  it('a hosting library the project declares but has not installed is a warning, not a verdict', () => {
    const dir = declaringProject({ fastmcp: '^3.0.0', 'left-pad': '^1.3.0' });
    const code = [
      "import { FastMCP } from 'fastmcp';",
      "import leftPad from 'left-pad';",
      '',
      "export const demo = new FastMCP({ name: 'd', version: leftPad('1', 1) });",
      ''
    ].join('\n');
    const file = path.join(dir, 'src/index.ts');
    fs.writeFileSync(file, code);
    const findings = checkText(file, code).filter(f => f.rule === 'v1-library');
    expect(findings.map(f => [f.line, f.severity])).toEqual([[1, 'warning']]);
    expect(findings[0]!.message).toContain(
      '`fastmcp` builds or serves MCP servers on the SDK it depends on, and is not installed'
    );
  });

  it("agents' McpAgent hosts only SDK v1 servers whatever the release; its agents/mcp/server entry takes v2 factories", () => {
    const dir = declaringProject({ agents: '^0.0.100' });
    const agent = [
      "import { McpAgent } from 'agents/mcp';",
      "import { McpServer } from '@modelcontextprotocol/server';",
      '',
      "export class Demo extends McpAgent { server = new McpServer({ name: 'd', version: '1' }); async init() {} }",
      ''
    ].join('\n');
    const agentFile = path.join(dir, 'src/agent.ts');
    fs.writeFileSync(agentFile, agent);
    // Not installed: still an error, since no release of McpAgent runs a v2 server.
    const uninstalled = checkText(agentFile, agent).filter(f => f.rule === 'v1-library');
    expect(uninstalled.map(f => [f.line, f.severity])).toEqual([[1, 'error']]);
    expect(uninstalled[0]!.message).toContain("createMcpHandler(createServer)` from 'agents/mcp/server'");
    // agents 0.32 installed, peer-depending on both SDKs: the v2 entry is no finding, McpAgent still is.
    fs.mkdirSync(path.join(dir, 'node_modules/agents'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'node_modules/agents/package.json'),
      JSON.stringify({
        name: 'agents',
        version: '0.32.0',
        peerDependencies: { '@modelcontextprotocol/sdk': '1.32.2', '@modelcontextprotocol/server': '2.4.0' }
      })
    );
    const handler = [
      "import { createMcpHandler } from 'agents/mcp/server';",
      "import { McpServer } from '@modelcontextprotocol/server';",
      '',
      "const handler = createMcpHandler(() => new McpServer({ name: 'd', version: '1' }));",
      'export default { fetch: handler };',
      ''
    ].join('\n');
    const handlerFile = path.join(dir, 'src/handler.ts');
    fs.writeFileSync(handlerFile, handler);
    expect(checkText(handlerFile, handler).filter(f => f.rule === 'v1-library')).toEqual([]);
    expect(
      checkText(agentFile, agent)
        .filter(f => f.rule === 'v1-library')
        .map(f => f.severity)
    ).toEqual(['error']);
  });
});
