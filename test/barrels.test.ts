/**
 * Files that reach the SDK only through a module of the project that re-exports it (`third_party/index.ts`) are MCP
 * code: `check` must see their deprecated APIs and `migrate` must rewrite or mark them, not pass them over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../src/check/run-check.js';
import { runMigration } from '../src/migrate.js';
import { scratch } from './helpers/cli.js';

const BARREL = `export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export { SetLevelRequestSchema } from '@modelcontextprotocol/sdk/types.js';
export { default as semver } from 'semver';
`;

const USER = `import { McpServer, SetLevelRequestSchema } from './third_party/index.js';

export function build(): McpServer {
  const server = new McpServer({ name: 'via-barrel', version: '1.0.0' }, { capabilities: { logging: {} } });
  server.server.setRequestHandler(SetLevelRequestSchema, async () => ({}));
  return server;
}
`;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function project(files: Record<string, string>): string {
  const { dir, cleanup } = scratch();
  cleanups.push(cleanup);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('a module of the project that re-exports the SDK', () => {
  it('makes check read the files that import it', async () => {
    const dir = project({
      'src/third_party/index.ts': BARREL,
      'src/server.ts': USER,
      'src/util.ts': 'export const x = 1;\n'
    });
    const report = await runCheck([dir], [], 1);
    const inUser = report.findings.filter(f => f.file.endsWith('server.ts'));
    expect(inUser.map(f => f.rule)).toContain('logging-set-level');
    // A file that imports neither the SDK nor the barrel is still nobody's business.
    expect(report.candidates).toBe(2);
  });

  it('makes migrate rewrite or mark what those files still use', async () => {
    const dir = project({ 'src/third_party/index.ts': BARREL, 'src/server.ts': USER });
    const report = await runMigration({ paths: [dir], dryRun: true, force: true, jobs: 1, ignore: [] });
    const user = report.files.find(f => f.file.endsWith('server.ts'));
    expect(user?.changed).toBe(true);
    // logging-to-otel removes the setLevel handler as it would with a direct SDK import.
    expect(user!.output).not.toContain('setRequestHandler(SetLevelRequestSchema');
    expect(report.summary.check.error).toBe(0);
  });
});
