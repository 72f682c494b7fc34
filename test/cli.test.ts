/** The CLI contract users and scripts rely on: what is written, what is printed, and the exit codes. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateText } from '../src/pipeline.js';
import { TOOL_ARGUMENTS_MODULE_SOURCE } from '../transforms/validators-to-json-schema/mcp-tool-arguments.source.js';
import { TRACING_MODULE_SOURCE } from '../transforms/logging-to-otel/mcp-tracing.source.js';
import { CLI, git, gitInit, runCli, scratch } from './helpers/cli.js';
import { ROOT } from './helpers/fixtures.js';
import { ALL_IDS } from '../src/cli/migrate-command.js';
import { V2_VERSIONS } from '../src/manifest.js';

const EXAMPLE = path.join(ROOT, 'examples/v1-express-server');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach(c => c()));

function copyOfExample() {
  const s = scratch(EXAMPLE);
  cleanups.push(s.cleanup);
  return s.dir;
}

/** A scratch package depending on the v1 SDK, with these folders. */
function v1Package(...folders: string[]): string {
  const { dir, cleanup } = scratch();
  cleanups.push(cleanup);
  for (const f of folders) fs.mkdirSync(path.join(dir, f), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'x', type: 'module', dependencies: { '@modelcontextprotocol/sdk': '^1.25.0' } }, null, 2) +
      '\n'
  );
  return dir;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, f);
    if (fs.statSync(full).isFile() && !f.startsWith('.git')) out[f] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

const V1_SERVER = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { z } from 'zod';",
  '',
  "export const server = new McpServer({ name: 'x', version: '1.0.0' });",
  "server.tool('echo', { text: z.string() }, async ({ text }) => ({ content: [{ type: 'text', text }] }));",
  ''
].join('\n');

describe('mcp-migrate --dry-run', () => {
  it('prints a unified diff and a summary, and writes nothing', () => {
    const dir = copyOfExample();
    const before = snapshot(dir);
    const r = runCli(['--dry-run', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--- a/src/server.ts');
    expect(r.stdout).toContain('+++ b/src/server.ts');
    expect(r.stdout).toMatch(/^-import \{ McpServer \} from '@modelcontextprotocol\/sdk\/server\/mcp\.js';$/m);
    expect(r.stdout).toMatch(/^\+.*'@modelcontextprotocol\/server'/m);
    expect(r.stdout).toContain('--- a/package.json');
    expect(r.stdout).toMatch(/1 would change/);
    expect(r.stdout).not.toContain('\u001b['); // no color codes when not a TTY
    expect(snapshot(dir)).toEqual(before);
  });

  it('with --exit-code exits 1 while changes are pending, 0 once migrated', () => {
    const dir = copyOfExample();
    expect(runCli(['--dry-run', '--exit-code', '.'], dir).code).toBe(1);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(runCli(['--dry-run', '--exit-code', '.'], dir).code).toBe(0);
  });
});

describe('mcp-migrate (write)', () => {
  it('applies the same changes the dry run showed, and a second run changes nothing', () => {
    const dir = copyOfExample();
    const dry = runCli(['--dry-run', '--json', '.'], dir);
    const r = runCli(['.'], dir);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8');
    expect(text).not.toContain('@modelcontextprotocol/sdk');
    expect(JSON.parse(dry.stdout).files[0].file).toBe('src/server.ts');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@modelcontextprotocol/sdk']).toBeUndefined();
    expect(pkg.dependencies['@modelcontextprotocol/server']).toBe('^2.4.0');
    const after = snapshot(dir);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(snapshot(dir)).toEqual(after);
  });

  it('its summary counts what `check` then reports on the migrated files', () => {
    const dir = copyOfExample();
    // A client that still pings and a session read: leftovers check will report.
    fs.writeFileSync(
      path.join(dir, 'src/client.ts'),
      "import { Client } from '@modelcontextprotocol/sdk/client/index.js';\nconst client = new Client({ name: 'c', version: '1' });\nawait client.ping();\n"
    );
    const run = runCli(['--json', '.'], dir);
    const summary = JSON.parse(run.stdout).summary;
    const check = runCli(['check', '--format', 'json', '.'], dir);
    const findings = JSON.parse(check.stdout).findings as { severity: string }[];
    expect(summary.check).toEqual({
      error: findings.filter(f => f.severity === 'error').length,
      warning: findings.filter(f => f.severity === 'warning').length
    });
    expect(summary.check.error).toBeGreaterThan(0);
    expect(runCli(['--dry-run', '.'], dir).stdout).toMatch(
      new RegExp(`${summary.check.error} error\\(s\\), ${summary.check.warning} warning\\(s\\) would be left for`)
    );
  });

  it('refuses to write in a dirty git work tree unless --force, and says why', () => {
    const dir = copyOfExample();
    gitInit(dir);
    fs.appendFileSync(path.join(dir, 'package.json'), '\n');
    const before = snapshot(dir);
    const r = runCli(['.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/uncommitted changes.*package\.json.*--force/);
    expect(snapshot(dir)).toEqual(before);
    expect(runCli(['--force', '.'], dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8')).toContain('@modelcontextprotocol/server');
  });

  it('writes in a clean git work tree', () => {
    const dir = copyOfExample();
    gitInit(dir);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toContain('src/server.ts');
  });

  it('migrates only the named file (per-file incremental run) and keeps the sdk dependency others still need', () => {
    const dir = copyOfExample();
    fs.writeFileSync(path.join(dir, 'src/other.ts'), V1_SERVER);
    const r = runCli(['src/other.ts'], dir);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/other.ts'), 'utf8')).toContain("'@modelcontextprotocol/server'");
    expect(fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8')).toBe(
      fs.readFileSync(path.join(EXAMPLE, 'src/server.ts'), 'utf8')
    );
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@modelcontextprotocol/sdk']).toBe('^1.29.0');
    expect(pkg.dependencies['@modelcontextprotocol/server']).toBe('^2.4.0');
  });

  it("migrates and checks a compiled package's modules that are handed the server and import nothing of the SDK", () => {
    const dir = v1Package('dist');
    fs.writeFileSync(
      path.join(dir, 'dist/index.js'),
      [
        "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
        "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
        "import { registerAppTools } from './tools.js';",
        "const server = new McpServer({ name: 'x', version: '1.0.0' });",
        'registerAppTools(server);',
        'await server.connect(new StdioServerTransport());',
        ''
      ].join('\n')
    );
    fs.writeFileSync(
      path.join(dir, 'dist/tools.js'),
      [
        "import { z } from 'zod';",
        'export const registerAppTools = (server) => {',
        "    server.tool('list_apps', 'List apps', { all: z.boolean() }, async ({ all }) => ({ content: [{ type: 'text', text: String(all) }] }));",
        '};',
        'export class Picker {',
        '    async pick() {',
        "        return this.server.server.elicitInput({ message: 'Pick one', requestedSchema: { type: 'object', properties: {} } });",
        '    }',
        '}',
        ''
      ].join('\n')
    );
    // A base class registering with the modern call only, whose handler names its context `extra`, and a log line
    // that brings in a support module: the second run must find nothing left (the first once missed the context,
    // then the new relative import let the rewrite in).
    fs.mkdirSync(path.join(dir, 'dist/tools'));
    fs.writeFileSync(
      path.join(dir, 'dist/tools/base-tool.js'),
      [
        'export class BaseTool {',
        '    installTo(server) {',
        '        this.server = server;',
        '        const config = { title: this.title, inputSchema: this.inputSchema };',
        '        return server.registerTool(this.name, config, (args, extra) => this.run(args, extra));',
        '    }',
        '    log(level, data) {',
        '        if (this.server?.server) {',
        '            void this.server.server.sendLoggingMessage({ level, data });',
        '        }',
        '    }',
        '}',
        ''
      ].join('\n')
    );
    expect(runCli(['dist'], dir).code).toBe(0);
    const tools = fs.readFileSync(path.join(dir, 'dist/tools.js'), 'utf8');
    expect(tools).toContain("server.registerTool('list_apps', { description: 'List apps', inputSchema: z.object(");
    expect(tools).not.toContain('server.tool(');
    expect(runCli(['--dry-run', '--exit-code', 'dist'], dir).code).toBe(0);
    const check = runCli(['check', '--format', 'json', 'dist'], dir);
    const findings = JSON.parse(check.stdout).findings as { file: string; rule: string; marker?: string }[];
    // A method asks for the tools that call it: it asks in the round of the tool call it runs in, opened where the
    // package builds its server (before 2026-12-07 it kept a marker sending the question to the tool).
    expect(findings.filter(f => f.file.endsWith('tools.js') && f.rule === 'push-elicitation')).toEqual([]);
    expect(tools).toContain("return elicitInRound({ message: 'Pick one'");
    expect(fs.readFileSync(path.join(dir, 'dist/index.js'), 'utf8')).toContain('askingInRounds(new McpServer(');
  });

  it('keeps CRLF line endings and a BOM', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    const file = path.join(dir, 'server.ts');
    fs.writeFileSync(file, '\ufeff' + V1_SERVER.replace(/\n/g, '\r\n'));
    expect(runCli([file], dir).code).toBe(0);
    const out = fs.readFileSync(file, 'utf8');
    expect(out.startsWith('\ufeff')).toBe(true);
    expect(out).toContain('@modelcontextprotocol/server');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('keeps the file mode', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    const file = path.join(dir, 'server.ts');
    fs.writeFileSync(file, V1_SERVER);
    fs.chmodSync(file, 0o750);
    expect(runCli([file], dir).code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o750);
  });

  it('reports a file that does not parse, leaves it untouched, migrates the rest, and exits 1', () => {
    const dir = copyOfExample();
    const broken = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nconst s = new McpServer({ name: 'x', version: '1' };\n`;
    fs.writeFileSync(path.join(dir, 'src/broken.ts'), broken);
    const r = runCli(['--json', '.'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const entry = report.files.find((f: { file: string }) => f.file === 'src/broken.ts');
    expect(entry.error).toMatch(/does not parse/);
    expect(entry.diagnostics[0]).toMatchObject({ rule: 'parse-error', line: 2, severity: 'error' });
    expect(fs.readFileSync(path.join(dir, 'src/broken.ts'), 'utf8')).toBe(broken);
    expect(fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8')).toContain('@modelcontextprotocol/server');
    expect(runCli(['--dry-run', '.'], dir).stdout).toMatch(/^failed src\/broken\.ts:2:\d+: .*does not parse/m);
  });

  it('skips binary and oversized files with a reason', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'bin.ts'), Buffer.from([0x69, 0x6d, 0, 1, 2]));
    fs.writeFileSync(path.join(dir, 'big.ts'), `// @modelcontextprotocol/sdk\n${'x'.repeat(2 * 1024 * 1024 + 10)}`);
    const r = runCli(['--json', '--dry-run', '.'], dir);
    const reasons = Object.fromEntries(
      JSON.parse(r.stdout).skipped.map((s: { file: string; reason: string }) => [s.file, s.reason])
    );
    expect(reasons).toEqual({ 'bin.ts': 'binary', 'big.ts': 'too-large' });
    // The oversized file that uses MCP is an unchecked-file error for check, and the run counts it as left for check.
    expect(JSON.parse(r.stdout).summary.check.error).toBe(1);
    expect(runCli(['--dry-run', '.'], dir).stdout).toMatch(/1 error\(s\), 0 warning\(s\) would be left for/);
    expect(JSON.parse(runCli(['check', '--format', 'json', '.'], dir).stdout).findings).toMatchObject([
      { rule: 'unchecked-file', file: 'big.ts', line: 1 }
    ]);
    // Written, it says why at its end (its code and every line before stay), where check then reports the error.
    const big = fs.readFileSync(path.join(dir, 'big.ts'), 'utf8');
    runCli(['--force', '.'], dir);
    const marked = fs.readFileSync(path.join(dir, 'big.ts'), 'utf8');
    expect(marked.slice(0, big.length + 1)).toBe(`${big}\n`);
    expect(marked.slice(big.length + 1)).toMatch(
      /^\/\/ TODO\(mcp-migrate\/check\/unchecked-file\): not checked: over the 2 MB limit;[^\n]*\n$/
    );
    expect(JSON.parse(runCli(['check', '--format', 'json', '.'], dir).stdout).findings).toMatchObject([
      { rule: 'unchecked-file', file: 'big.ts', line: 3, marker: expect.stringMatching(/^TODO\(mcp-migrate\/check\//) }
    ]);
    // The binary file is not an MCP leftover: untouched.
    expect([...fs.readFileSync(path.join(dir, 'bin.ts'))]).toEqual([0x69, 0x6d, 0, 1, 2]);
  });

  it('leaves a bundle with the v1 SDK compiled in to its sources, and check says so instead of checking the SDK', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    // What esbuild makes of a server and the SDK it imports: the SDK's constants and classes, then the server.
    const bundle = [
      'var LATEST_PROTOCOL_VERSION = "2025-11-25";',
      'var JSONRPC_VERSION = "2.0";',
      'var Protocol = class { connect(transport) { this._transport = transport; } };',
      'var Server = class extends Protocol {};',
      'var McpServer = class { constructor(info) { this.server = new Server(info); } tool() {} };',
      "const server = new McpServer({ name: 'x', version: '1.0.0' });",
      "server.tool('echo', async () => ({ content: [] }));",
      'const sessionId = req.headers["mcp-session-id"];',
      ''
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'stdio.cjs'), bundle);
    const r = runCli(['--json', '--dry-run', '.'], dir);
    expect(JSON.parse(r.stdout).skipped).toEqual([
      expect.objectContaining({ file: 'stdio.cjs', reason: 'bundled-sdk' })
    ]);
    const check = JSON.parse(runCli(['check', '--format', 'json', '.'], dir).stdout);
    expect(check.findings.map((f: { rule: string; message: string }) => [f.rule, f.message])).toEqual([
      ['unchecked-file', expect.stringContaining('bundles the v1 SDK itself')]
    ]);
    expect(check.findings[0].marker).toBeUndefined();
    // A write run leaves the code as it was and says why at the end of the file, where no source map position moves;
    // check then reports the error on that line, carrying the marker. A second run adds nothing.
    const written = JSON.parse(runCli(['--json', '--force', '.'], dir).stdout);
    expect(written.summary.check.error).toBe(1);
    const marked = fs.readFileSync(path.join(dir, 'stdio.cjs'), 'utf8');
    expect(marked.startsWith(bundle)).toBe(true);
    expect(marked.slice(bundle.length)).toMatch(
      /^\/\/ TODO\(mcp-migrate\/check\/unchecked-file\): not checked: bundles the v1 SDK itself; migrate and check the sources it is built from, then rebuild it\n$/
    );
    const after = JSON.parse(runCli(['check', '--format', 'json', '.'], dir).stdout);
    expect(after.findings).toMatchObject([
      { rule: 'unchecked-file', line: 9, marker: expect.stringMatching(/^TODO\(mcp-migrate\/check\/unchecked-file\)/) }
    ]);
    runCli(['--force', '.'], dir);
    expect(fs.readFileSync(path.join(dir, 'stdio.cjs'), 'utf8')).toBe(marked);
    // Only a run of every rewrite marks it, as it marks any other leftover.
    fs.writeFileSync(path.join(dir, 'stdio.cjs'), bundle);
    runCli(['--force', '--transforms', 'cache-hints', '.'], dir);
    expect(fs.readFileSync(path.join(dir, 'stdio.cjs'), 'utf8')).toBe(bundle);
  });

  it('does not follow a symlink, and lists it as skipped', () => {
    const outside = scratch();
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup, outside.cleanup);
    fs.writeFileSync(path.join(outside.dir, 'server.ts'), V1_SERVER);
    fs.symlinkSync(outside.dir, path.join(dir, 'linked'));
    fs.writeFileSync(path.join(dir, 'own.ts'), V1_SERVER);
    const r = runCli(['--json', '.'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).skipped).toEqual([{ file: 'linked', reason: 'symlink-not-followed' }]);
    expect(fs.readFileSync(path.join(outside.dir, 'server.ts'), 'utf8')).toBe(V1_SERVER);
    expect(fs.readFileSync(path.join(dir, 'own.ts'), 'utf8')).not.toBe(V1_SERVER);
  });

  it('honours .gitignore and --ignore', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    for (const f of ['a.ts', 'gen/b.ts', 'vendor/c.ts']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), V1_SERVER);
    }
    fs.writeFileSync(path.join(dir, '.gitignore'), 'gen/\n');
    const r = runCli(['--json', '--dry-run', '--ignore', 'vendor/**', '.'], dir);
    expect(JSON.parse(r.stdout).files.map((f: { file: string }) => f.file)).toEqual(['a.ts']);
  });
});

describe('safety and manifests', () => {
  it('Ctrl-C mid-run leaves every file either fully old or fully new, and the report counts what is on disk', async () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    const names = Array.from({ length: 150 }, (_, i) => `s${i}.ts`);
    for (const n of names) fs.writeFileSync(path.join(dir, n), V1_SERVER);
    const expected = (await migrateText('x.ts', V1_SERVER)).output!;
    const run = startCli(['--jobs', '1', '--json', '.'], dir);
    await run.started;
    await new Promise(r => setTimeout(r, 800));
    run.child.kill('SIGINT');
    const code = await run.exited;
    const stdout = run.stdout();
    const contents = names.map(n => fs.readFileSync(path.join(dir, n), 'utf8'));
    for (const c of contents) expect([V1_SERVER, expected]).toContain(c);
    const onDisk = contents.filter(c => c === expected).length;
    if (onDisk < names.length) {
      expect(code).toBe(1);
      const report = JSON.parse(stdout);
      expect(report.interrupted).toBe(true);
      expect(report.files.filter((f: { written: boolean }) => f.written)).toHaveLength(onDisk);
    }
  });

  it('Ctrl-C stops a file that is still being rewritten instead of waiting for it', async () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    // Hundreds of tools with long handler bodies that read the v1 context: tens of seconds of work, in a worker.
    const body = Array.from({ length: 40 }, (_, k) => `  const v${k} = q.length * ${k} + (n ?? 0);`).join('\n');
    const tools = Array.from(
      { length: 700 },
      (_, i) =>
        `server.tool('t${i}', { q: z.string(), n: z.number().optional() }, async ({ q, n }, extra) => {\n${body}\n` +
        `  return { content: [{ type: 'text', text: \`\${q} \${extra.requestId}\` }] };\n});`
    );
    const big = [...V1_SERVER.split('\n').slice(0, 4), ...tools, ''].join('\n');
    fs.writeFileSync(path.join(dir, 'big.ts'), big);
    const { child, exited, stdout, started } = startCli(['--timeout', '600', '.'], dir);
    await started;
    await new Promise(r => setTimeout(r, 1500));
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await Promise.race([
      exited,
      new Promise<'still running'>(r => setTimeout(() => r('still running'), 10_000))
    ]);
    if (code === 'still running') child.kill('SIGKILL');
    expect(code).toBe(1);
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(stdout()).toMatch(/interrupted: 0 file\(s\) written/);
    expect(fs.readFileSync(path.join(dir, 'big.ts'), 'utf8')).toBe(big);
  });

  it('a read-only file is reported and not replaced (unless --force); the run goes on and prints its summary', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'locked.ts'), V1_SERVER);
    fs.writeFileSync(path.join(dir, 'open.ts'), V1_SERVER);
    fs.chmodSync(path.join(dir, 'locked.ts'), 0o444);
    const r = runCli(['.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^failed locked\.ts: not written: the file is read-only \(mode 444\)/m);
    expect(r.stdout).toMatch(/1 changed, 1 failed/);
    expect(r.stderr).toBe('');
    expect(fs.readFileSync(path.join(dir, 'locked.ts'), 'utf8')).toBe(V1_SERVER);
    expect(fs.readFileSync(path.join(dir, 'open.ts'), 'utf8')).not.toBe(V1_SERVER);
    expect(runCli(['--force', '.'], dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'locked.ts'), 'utf8')).not.toBe(V1_SERVER);
  });

  // Root writes anywhere: as root (CI containers) the run drops to nobody with setpriv, so the case is really tried.
  const asUser =
    process.getuid?.() === 0
      ? hasSetpriv()
        ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
        : undefined
      : [];
  it.skipIf(asUser === undefined)(
    'a read-only folder fails its files in one line each (no stack trace); the others are written',
    () => {
      const { dir, cleanup } = scratch();
      cleanups.push(() => {
        fs.chmodSync(path.join(dir, 'ro'), 0o755);
        cleanup();
      });
      fs.mkdirSync(path.join(dir, 'ro'));
      fs.writeFileSync(path.join(dir, 'ro/server.ts'), V1_SERVER);
      fs.writeFileSync(path.join(dir, 'rw.ts'), V1_SERVER);
      for (const f of ['', 'ro/server.ts', 'rw.ts']) fs.chmodSync(path.join(dir, f), 0o777);
      fs.chmodSync(path.join(dir, 'ro'), 0o555);
      const [cmd, ...pre] = [...asUser!, process.execPath];
      const r = spawnSync(cmd!, [...pre, CLI, '.'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' }
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^failed ro\/server\.ts: not written: EACCES: permission denied$/m);
      expect(r.stdout).toMatch(/1 changed, 1 failed/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(fs.readFileSync(path.join(dir, 'ro/server.ts'), 'utf8')).toBe(V1_SERVER);
      expect(fs.readFileSync(path.join(dir, 'rw.ts'), 'utf8')).not.toBe(V1_SERVER);
    }
  );

  it('a file over the time budget fails with the reason; its code is left as it was, with its leftovers marked', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    const tools = Array.from(
      { length: 1500 },
      (_, i) =>
        `server.tool('t${i}', { text: z.string() }, async ({ text }) => ({ content: [{ type: 'text', text }] }));`
    );
    // A server that also reads the session header check flags: over the budget, that finding is marked all the same.
    const sessionRead = "export const sessionOf = (headers: Record<string, string>) => headers['mcp-session-id'];";
    const big = [...V1_SERVER.split('\n').slice(0, 4), ...tools, sessionRead, ''].join('\n');
    fs.writeFileSync(path.join(dir, 'big.ts'), big);
    const manifest = JSON.stringify({ type: 'module', dependencies: { '@modelcontextprotocol/sdk': '^1.29.0' } });
    fs.writeFileSync(path.join(dir, 'package.json'), manifest);
    const r = runCli(['--timeout', '0.05', '--json', '.'], dir);
    expect(r.code).toBe(1);
    const entry = JSON.parse(r.stdout).files.find((f: { file: string }) => f.file === 'big.ts');
    expect(entry.error).toMatch(/took longer than 0\.05 s: its code was left as it was, with what `check` finds/);
    // Only marker lines were added: the code is the original's, line for line.
    const written = fs.readFileSync(path.join(dir, 'big.ts'), 'utf8');
    const markers = written.split('\n').filter(l => /^\s*\/\/ TODO\(mcp-migrate\/check\//.test(l));
    expect(markers.length).toBeGreaterThan(0);
    expect(
      written
        .split('\n')
        .filter(l => !markers.includes(l))
        .join('\n')
    ).toBe(big);
    // The file still imports the v1 SDK, so the package keeps it.
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(manifest);
    // And `check` finds nothing the run did not mark.
    const check = runCli(['check', '--format', 'json', '.'], dir);
    const findings = JSON.parse(check.stdout).findings as { severity: string; marker?: string; file: string }[];
    const unmarked = findings.filter(f => f.file === 'big.ts' && f.severity === 'error' && !f.marker);
    expect(unmarked).toEqual([]);
  });

  it('keeps the v1 SDK in the manifest while a file only marked (over the size limit) still imports it', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    // A small server migrated away from v1, and a generated one over the 2 MB limit that keeps importing it.
    fs.writeFileSync(path.join(dir, 'server.ts'), V1_SERVER);
    const data = `export const WORDS = [${Array.from({ length: 260_000 }, (_, i) => `'w${i}'`).join(', ')}];\n`;
    fs.writeFileSync(path.join(dir, 'huge.ts'), `${V1_SERVER}${data}`);
    const manifest = JSON.stringify({ type: 'module', dependencies: { '@modelcontextprotocol/sdk': '^1.29.0' } });
    fs.writeFileSync(path.join(dir, 'package.json'), manifest);
    runCli(['--json', '.'], dir);
    expect(fs.readFileSync(path.join(dir, 'huge.ts'), 'utf8')).toMatch(/TODO\(mcp-migrate\/check\/unchecked-file\)/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toHaveProperty(
      '@modelcontextprotocol/sdk'
    );
  });

  it('updates each workspace member manifest on its own', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    const pkg = (name: string, deps: Record<string, string>) =>
      JSON.stringify({ name, private: true, dependencies: deps }, null, 2) + '\n';
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }, null, 2) + '\n'
    );
    for (const m of ['a', 'b']) {
      fs.mkdirSync(path.join(dir, 'packages', m, 'src'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'packages', m, 'package.json'),
        pkg(m, { '@modelcontextprotocol/sdk': '^1.20.0', zod: '^3.25.0' })
      );
      fs.writeFileSync(path.join(dir, 'packages', m, 'src/server.ts'), V1_SERVER);
    }
    // Only b's own code uses what zod 4 removed: a moves to zod 4, b stays on zod 3 and is told why.
    fs.writeFileSync(
      path.join(dir, 'packages/b/src/tags.ts'),
      "import { z } from 'zod';\nexport const Tag = z.string({ required_error: 'a tag' });\n"
    );
    const r = runCli(['--json', '.'], dir);
    expect(r.code).toBe(0);
    const manifests = JSON.parse(r.stdout).manifests.sort((x: { file: string }, y: { file: string }) =>
      x.file < y.file ? -1 : 1
    );
    expect(manifests.map((m: { file: string }) => m.file)).toEqual([
      'packages/a/package.json',
      'packages/b/package.json'
    ]);
    expect(manifests[0].warnings).toEqual([]);
    expect(manifests[1].warnings[0]).toMatch(/zod \^3\.25\.0 is below 4\.2.*required_error.* in src\/tags\.ts/);
    const deps = (m: string) =>
      JSON.parse(fs.readFileSync(path.join(dir, 'packages', m, 'package.json'), 'utf8')).dependencies;
    expect(deps('a')).toEqual({ '@modelcontextprotocol/server': '^2.4.0', zod: '^4.2.0' });
    expect(deps('b')).toEqual({ '@modelcontextprotocol/server': '^2.4.0', zod: '^3.25.0' });
    // b's server now serves zod 3 schemas the v2 server refuses at tools/list: an error, marked at its zod import;
    // a's package moved to zod 4 after a's file was rewritten, and nothing is marked there.
    const server = (m: string) => fs.readFileSync(path.join(dir, 'packages', m, 'src/server.ts'), 'utf8');
    expect(server('a')).not.toContain('zod-3');
    expect(server('b')).toMatch(
      /\/\/ TODO\(mcp-migrate\/check\/zod-3\): .*declares zod \^3\.25\.0.*\nimport \{ z \} from 'zod';/
    );
    const check = runCli(['check', '--format', 'json', 'packages'], dir);
    const errors = JSON.parse(check.stdout).findings.filter((f: { severity: string }) => f.severity === 'error');
    expect(errors.map((f: { rule: string; file: string; marker?: string }) => [f.rule, f.file, !!f.marker])).toEqual([
      ['zod-3', 'packages/b/src/server.ts', true]
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toBeUndefined();
  });

  // A build's copy of the package's manifest (`dist/package.json`, same name) and a dual build's module-type marker
  // (`{ "type": "module" }`, no name, no dependencies): npm installs from neither.
  it.each([
    ['the copy a build wrote beside its output', 'dist', (root: string) => fs.readFileSync(root, 'utf8')],
    ["a build's module-type marker", 'dist/esm', () => JSON.stringify({ type: 'module' }, null, 2) + '\n']
  ])("edits the package's manifest, not %s (%s/package.json)", (_what, folder, beside) => {
    const dir = v1Package(folder);
    const inner = beside(path.join(dir, 'package.json'));
    fs.writeFileSync(path.join(dir, folder, 'package.json'), inner);
    fs.writeFileSync(
      path.join(dir, folder, 'server.js'),
      V1_SERVER.replace(/import \{ z \}.*\n/, '').replace(/\{ text: z\.string\(\) \}, /, '')
    );
    const r = runCli(['--json', 'dist'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).manifests.map((m: { file: string }) => m.file)).toEqual(['package.json']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toHaveProperty(
      '@modelcontextprotocol/server'
    );
    expect(fs.readFileSync(path.join(dir, folder, 'package.json'), 'utf8')).toBe(inner);
  });

  it('runs no command a repository config names (core.fsmonitor) when it checks the work tree', () => {
    const dir = copyOfExample();
    gitInit(dir);
    const marker = path.join(dir, '..', `${path.basename(dir)}-fsmonitor-ran`);
    cleanups.push(() => fs.rmSync(marker, { force: true }));
    git(dir, 'config', 'core.fsmonitor', `touch '${marker}'; false`);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("runs no filter driver the repository's own config defines when it checks the work tree", () => {
    const dir = copyOfExample();
    fs.writeFileSync(path.join(dir, '.gitattributes'), '*.ts filter=evil\n*.json filter=evil\n');
    gitInit(dir);
    const marker = path.join(dir, '..', `${path.basename(dir)}-filter-ran`);
    cleanups.push(() => fs.rmSync(marker, { force: true }));
    git(dir, 'config', 'filter.evil.clean', `touch '${marker}'; cat`);
    // New modification times make git compare contents, which is when it would run the clean command.
    const later = new Date(Date.now() + 60_000);
    for (const f of ['src/server.ts', 'package.json']) fs.utimesSync(path.join(dir, f), later, later);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('never edits a package.json above the repository, and never writes through a symlinked one', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    const outer = JSON.stringify({ name: 'outer', dependencies: { '@modelcontextprotocol/sdk': '^1.20.0' } }) + '\n';
    fs.writeFileSync(path.join(dir, 'package.json'), outer);
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, 'server.ts'), V1_SERVER);
    gitInit(repo);
    const first = runCli(['--force', '--json', '.'], repo);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).manifests).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(outer);

    const linked = path.join(dir, 'linked');
    fs.mkdirSync(linked);
    fs.writeFileSync(path.join(linked, 'server.ts'), V1_SERVER);
    fs.symlinkSync(path.join(dir, 'package.json'), path.join(linked, 'package.json'));
    const second = runCli(['--json', '.'], linked);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.manifests).toEqual([]);
    expect(report.skipped).toContainEqual(
      expect.objectContaining({ file: 'package.json', reason: 'symlinked-manifest' })
    );
    expect(fs.lstatSync(path.join(linked, 'package.json')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(outer);
  });
});

/** The built CLI started in `dir` (for tests that signal it mid-run): its process, exit code, and stdout so far. */
function startCli(args: string[], dir: string) {
  // Timings on stderr tell when the run is past start-up (its Ctrl-C handler installed): a fixed delay is not enough
  // on a busy machine, where loading the modules alone can take longer.
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...process.env, CI: 'true', MCP_MIGRATE_TIMINGS: '1' }
  });
  let out = '';
  child.stdout.on('data', d => (out += d));
  const exited = new Promise<number | null>(r => child.on('exit', r));
  const started = new Promise<void>(resolve => {
    let err = '';
    child.stderr.on('data', d => {
      err += d;
      if (err.includes('phase discover')) resolve();
    });
    setTimeout(resolve, 30_000);
  });
  return { child, exited, stdout: () => out, started };
}

/** A v1 server module named `name` whose tool logs, written with `q` quotes. */
function loggingServer(name: string, q = "'"): string {
  return [
    `import { McpServer } from ${q}@modelcontextprotocol/sdk/server/mcp.js${q};`,
    `export const ${name} = new McpServer({ name: ${q}${name}${q}, version: ${q}1${q} });`,
    `${name}.registerTool(${q}t${q}, {}, async () => {`,
    `  await ${name}.sendLoggingMessage({ level: ${q}info${q}, data: ${q}hi${q} });`,
    '  return { content: [] };',
    '});',
    ''
  ].join('\n');
}

describe('Deno projects', () => {
  it('maps the v2 packages in deno.json where the v1 entry was, and imports support modules by their .ts name', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    const denoJson = {
      tasks: { start: 'deno run --allow-net src/main.ts' },
      imports: {
        zod: 'npm:zod@^4.1.0',
        '@modelcontextprotocol/sdk': 'npm:@modelcontextprotocol/sdk@^1.29.0',
        '@std/assert': 'jsr:@std/assert@1'
      }
    };
    fs.writeFileSync(path.join(dir, 'deno.json'), JSON.stringify(denoJson, null, 2) + '\n');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src/tools.ts'), 'export const greeting = "hi";\n');
    fs.writeFileSync(
      path.join(dir, 'src/main.ts'),
      [
        "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
        "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
        "import { greeting } from './tools.ts';",
        "const server = new McpServer({ name: 'deno', version: '1' });",
        "server.registerTool('greet', {}, async () => {",
        "  await server.sendLoggingMessage({ level: 'info', data: 'greeting' });",
        "  return { content: [{ type: 'text', text: greeting }] };",
        '});',
        'await server.connect(new StdioServerTransport());',
        ''
      ].join('\n')
    );
    expect(runCli(['.'], dir).code).toBe(0);
    const imports = JSON.parse(fs.readFileSync(path.join(dir, 'deno.json'), 'utf8')).imports;
    expect(Object.keys(imports)).toEqual(['zod', '@modelcontextprotocol/server', '@opentelemetry/api', '@std/assert']);
    expect(imports['@modelcontextprotocol/server']).toMatch(/^npm:@modelcontextprotocol\/server@\^2\./);
    const main = fs.readFileSync(path.join(dir, 'src/main.ts'), 'utf8');
    expect(main).toContain("from './mcp-tracing.ts'");
    expect(main).toContain("from '@modelcontextprotocol/server/stdio'");
    expect(fs.existsSync(path.join(dir, 'src/mcp-tracing.ts'))).toBe(true);
    const after = snapshot(dir);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(snapshot(dir)).toEqual(after);
  });
});

describe('generated support module', () => {
  it('writes the tracing module once per package, adds @opentelemetry/api, and a second run changes nothing', () => {
    const dir = v1Package('src/tools');
    fs.writeFileSync(path.join(dir, 'src/a.ts'), loggingServer('a'));
    fs.writeFileSync(path.join(dir, 'src/tools/b.ts'), loggingServer('b'));
    const r = runCli(['--json', '.'], dir);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/mcp-tracing.ts'), 'utf8')).toBe(TRACING_MODULE_SOURCE);
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toContain("from './mcp-tracing.js'");
    expect(fs.readFileSync(path.join(dir, 'src/tools/b.ts'), 'utf8')).toContain("from '../mcp-tracing.js'");
    expect(fs.readdirSync(path.join(dir, 'src/tools'))).toEqual(['b.ts']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies['@opentelemetry/api']).toBe(
      '^1.9.0'
    );
    const after = snapshot(dir);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(snapshot(dir)).toEqual(after);
  });

  it('a package without src/ still gets one tracing module, in the folder its servers share and their quote style', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', type: 'module' }) + '\n');
    for (const f of ['lib/a/one.ts', 'lib/b/two.ts']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), loggingServer(path.basename(f, '.ts'), '"'));
    }
    expect(runCli(['.'], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'lib/mcp-tracing.ts'))).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'lib/a'))).toEqual(['one.ts']);
    expect(fs.readFileSync(path.join(dir, 'lib/b/two.ts'), 'utf8')).toContain('from "../mcp-tracing.js"');
    const tracing = fs.readFileSync(path.join(dir, 'lib/mcp-tracing.ts'), 'utf8');
    expect(tracing).toContain('from "@opentelemetry/api"');
    expect(tracing).not.toMatch(/'@opentelemetry\/api'/);
    const after = snapshot(dir);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(snapshot(dir)).toEqual(after);
  });

  it('a .mjs server in a package without "type": "module" imports an .mjs support module, which Node runs as ESM', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x' }) + '\n');
    fs.writeFileSync(path.join(dir, 'server.mjs'), loggingServer('served'));
    expect(runCli(['.'], dir).code).toBe(0);
    expect(fs.readdirSync(dir).filter(f => f.startsWith('mcp-'))).toEqual(['mcp-tracing.mjs']);
    expect(fs.readFileSync(path.join(dir, 'mcp-tracing.mjs'), 'utf8')).toMatch(/^export function withMcpSpan/m);
    expect(fs.readFileSync(path.join(dir, 'server.mjs'), 'utf8')).toContain("from './mcp-tracing.mjs'");
  });

  it('a dual build gets a support module in each module system, and its markers stay as they were', () => {
    const dir = v1Package('dist/esm', 'dist/commonjs');
    const markers = { 'dist/esm': { type: 'module' }, 'dist/commonjs': { type: 'commonjs' } };
    for (const [folder, marker] of Object.entries(markers))
      fs.writeFileSync(path.join(dir, folder, 'package.json'), JSON.stringify(marker) + '\n');
    fs.writeFileSync(path.join(dir, 'dist/esm/server.js'), loggingServer('served'));
    fs.writeFileSync(
      path.join(dir, 'dist/commonjs/server.js'),
      [
        '"use strict";',
        'const mcp_js_1 = require("@modelcontextprotocol/sdk/server/mcp.js");',
        'const served = new mcp_js_1.McpServer({ name: "served", version: "1" });',
        'served.registerTool("t", {}, async () => {',
        '  await served.sendLoggingMessage({ level: "info", data: "hi" });',
        '  return { content: [] };',
        '});',
        'exports.served = served;',
        ''
      ].join('\n')
    );
    expect(runCli(['dist'], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'dist/mcp-tracing.js'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'dist/esm/mcp-tracing.js'), 'utf8')).toMatch(/^export function withMcpSpan/m);
    expect(fs.readFileSync(path.join(dir, 'dist/commonjs/mcp-tracing.js'), 'utf8')).toMatch(/^exports\.withMcpSpan/m);
    for (const [folder, marker] of Object.entries(markers))
      expect(JSON.parse(fs.readFileSync(path.join(dir, folder, 'package.json'), 'utf8'))).toEqual(marker);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toHaveProperty(
      '@opentelemetry/api'
    );
  });

  it('a package whose tests use the SDK too keeps its support module under src/ (above it, a build with rootDir src fails)', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', type: 'module' }) + '\n');
    for (const f of ['src/server.ts', 'test/server.test.ts']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), loggingServer(f.startsWith('src') ? 'served' : 'tested'));
    }
    expect(runCli(['.'], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'src/mcp-tracing.ts'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'mcp-tracing.ts'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'test/server.test.ts'), 'utf8')).toContain("from '../src/mcp-tracing.js'");
  });

  it("a package's tsconfig rootDir decides where its support module goes", () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', type: 'module' }) + '\n');
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      '{\n  // "rootDir": "./elsewhere",\n  "compilerOptions": { "rootDir": "./server", "outDir": "build" }\n}\n'
    );
    for (const f of ['server/main.ts', 'scripts/smoke.ts']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), loggingServer(path.basename(f, '.ts')));
    }
    expect(runCli(['.'], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'server/mcp-tracing.ts'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'scripts/smoke.ts'), 'utf8')).toContain("from '../server/mcp-tracing.js'");
  });

  it('writes mcp-tool-arguments.ts for a low-level server, leaves it alone on the next run, and a second run changes nothing', () => {
    const dir = v1Package('src');
    fs.writeFileSync(
      path.join(dir, 'src/server.ts'),
      [
        "import { Server } from '@modelcontextprotocol/sdk/server/index.js';",
        "import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';",
        "const TOOLS = [{ name: 'q', inputSchema: { type: 'object' as const, properties: { q: { type: 'string' } } } }];",
        "export const server = new Server({ name: 'x', version: '1' }, { capabilities: { tools: {} } });",
        'server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));',
        "server.setRequestHandler(CallToolRequestSchema, async request => ({ content: [{ type: 'text', text: String(request.params.arguments?.q) }] }));",
        ''
      ].join('\n')
    );
    expect(runCli(['.'], dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/mcp-tool-arguments.ts'), 'utf8')).toBe(TOOL_ARGUMENTS_MODULE_SOURCE);
    expect(fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8')).toContain('toolArgumentsValidator(TOOLS)');
    const after = snapshot(dir);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(snapshot(dir)).toEqual(after);
  });

  it('writes the support module without semicolons for a project written without them, and it still runs', async () => {
    const dir = v1Package('src');
    fs.writeFileSync(
      path.join(dir, 'src/server.js'),
      [
        "import { Server } from '@modelcontextprotocol/sdk/server/index.js'",
        "import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'",
        '',
        "const TOOLS = [{ name: 'q', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } }]",
        "export const server = new Server({ name: 'x', version: '1' }, { capabilities: { tools: {} } })",
        'server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }))',
        "server.setRequestHandler(CallToolRequestSchema, async request => ({ content: [{ type: 'text', text: String(request.params.arguments?.q) }] }))",
        ''
      ].join('\n')
    );
    expect(runCli(['.'], dir).code).toBe(0);
    const support = fs.readFileSync(path.join(dir, 'src/mcp-tool-arguments.js'), 'utf8');
    const server = fs.readFileSync(path.join(dir, 'src/server.js'), 'utf8');
    for (const text of [support, server]) expect(text.split('\n').filter(l => /;\s*$/.test(l))).toEqual([]);
    expect(server).toContain('toolArgumentsValidator(TOOLS)');
    // Still the same module: it checks as the one with semicolons does.
    fs.writeFileSync(path.join(dir, 'src/package.json'), '{ "type": "module" }');
    const { toolArgumentsValidator } = await import(pathToFileURL(path.join(dir, 'src/mcp-tool-arguments.js')).href);
    const check = toolArgumentsValidator([{ name: 'q', inputSchema: { type: 'object', required: ['q'] } }]);
    expect((await check('q', {}))?.isError).toBe(true);
    expect(await check('q', { q: 'x' })).toBeUndefined();
  });

  it('adds a v2 package only tests import as a dev dependency', () => {
    const dir = v1Package('src', 'test');
    fs.writeFileSync(
      path.join(dir, 'src/server.ts'),
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const createServer = () => new McpServer({ name: 'x', version: '1' });\n"
    );
    fs.writeFileSync(
      path.join(dir, 'test/server.test.ts'),
      "import { Client } from '@modelcontextprotocol/sdk/client/index.js';\nimport { createServer } from '../src/server.js';\n" +
        "export const pair = () => [new Client({ name: 't', version: '1' }), createServer()];\n"
    );
    expect(runCli(['.'], dir).code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['@modelcontextprotocol/server']);
    expect(Object.keys(pkg.devDependencies)).toEqual(['@modelcontextprotocol/client']);
  });

  it("a generated module on Node's APIs names Node's types; a package without them gains @types/node at its engines' major", () => {
    const dir = v1Package('src');
    const pkgFile = path.join(dir, 'package.json');
    const declared = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    fs.writeFileSync(
      pkgFile,
      JSON.stringify({ ...declared, engines: { node: '>=22' }, license: 'MIT' }, null, 2) + '\n'
    );
    fs.writeFileSync(
      path.join(dir, 'src/server.ts'),
      [
        "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
        "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
        "import { z } from 'zod';",
        "const server = new McpServer({ name: 'x', version: '1.0.0' });",
        "server.registerTool('ask', { inputSchema: { q: z.string() } }, async ({ q }) => {",
        "  const r = await server.server.elicitInput({ message: q, requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } });",
        "  return { content: [{ type: 'text', text: r.action }] };",
        '});',
        'await server.connect(new StdioServerTransport());',
        ''
      ].join('\n')
    );
    expect(runCli(['.'], dir).code).toBe(0);
    const rounds = fs.readFileSync(path.join(dir, 'src/mcp-input-rounds.ts'), 'utf8');
    expect(rounds.split('\n').find(l => !/^\/\/(?!\/)/.test(l))).toBe('/// <reference types="node" />');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    expect(pkg.devDependencies).toEqual({ '@types/node': '^22.0.0' });
    // The new map goes after dependencies, not first in the file.
    expect(Object.keys(pkg)).toEqual(['name', 'type', 'dependencies', 'devDependencies', 'engines', 'license']);
    // A package that declares them keeps its own.
    const after = snapshot(dir);
    expect(runCli(['.'], dir).code).toBe(0);
    expect(snapshot(dir)).toEqual(after);
  });

  it('edits package.json in place: only dependency lines change, one-line arrays, key order and tabs stay', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    const manifest = [
      '{',
      '\t"name": "tabs",',
      '\t"files": ["dist", "README.md"],',
      '\t"keywords": ["mcp", "server"],',
      '\t"dependencies": {',
      '\t\t"@modelcontextprotocol/sdk": "^1.29.0",',
      '\t\t"express": "^5.1.0",',
      '\t\t"zod": "^4.2.0"',
      '\t},',
      '\t"scripts": { "build": "tsc" }',
      '}',
      ''
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'package.json'), manifest);
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(
      path.join(dir, 'src/server.ts'),
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const createServer = () => new McpServer({ name: 'x', version: '1' });\n"
    );
    expect(runCli(['.'], dir).code).toBe(0);
    const after = fs.readFileSync(path.join(dir, 'package.json'), 'utf8');
    expect(after).toBe(
      manifest.replace(
        '\t\t"@modelcontextprotocol/sdk": "^1.29.0",',
        `\t\t"@modelcontextprotocol/server": "${V2_VERSIONS['@modelcontextprotocol/server']}",`
      )
    );
  });

  it('keeps the v1 SDK dependency of a package that reaches it through a framework and imports it nowhere', () => {
    const dir = v1Package('src');
    fs.writeFileSync(
      path.join(dir, 'src/server.js'),
      [
        "import { FastMCP } from 'fastmcp';",
        "const server = new FastMCP({ name: 'x', version: '1.0.0' });",
        'server.addTool({',
        "  name: 'summarize',",
        '  execute: async (_args, { session }) => {',
        '    const reply = await session.requestSampling({ messages: [], maxTokens: 10 });',
        '    return String(reply.content);',
        '  }',
        '});',
        // What makes the file read as MCP: the SDK server's accessor, reached through the framework's session.
        "server.on('connect', event => console.error(event.session.server?.getClientVersion?.()));",
        ''
      ].join('\n')
    );
    const run = runCli(['--json', '.'], dir);
    expect(run.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/server.js'), 'utf8')).toContain('TODO(mcp-migrate/check/sampling)');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ '@modelcontextprotocol/sdk': '^1.25.0' });
  });

  it('declares what the code imports and had only through the v1 SDK when the SDK dependency goes', () => {
    const dir = v1Package('src', 'test', 'node_modules/zod-to-json-schema');
    fs.writeFileSync(path.join(dir, 'src/server.ts'), V1_SERVER);
    // Modules with no MCP in them, so the migration leaves them as they are: their imports resolved only because
    // npm installed the SDK's own dependencies (HubSpot's tools import zod-to-json-schema this way).
    fs.writeFileSync(
      path.join(dir, 'src/schemas.ts'),
      "import { zodToJsonSchema } from 'zod-to-json-schema';\nexport const toJson = zodToJsonSchema;\n"
    );
    fs.writeFileSync(
      path.join(dir, 'test/app.test.ts'),
      "import express from 'express';\nexport const app = express();\n"
    );
    fs.writeFileSync(
      path.join(dir, 'node_modules/zod-to-json-schema/package.json'),
      JSON.stringify({ name: 'zod-to-json-schema', version: '3.24.6' })
    );
    expect(runCli(['src', 'test'], dir).code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({
      '@modelcontextprotocol/server': V2_VERSIONS['@modelcontextprotocol/server'],
      // the installed version, which the project ran with
      'zod-to-json-schema': '^3.24.6',
      // imported by the server and never declared: it was the v1 SDK's zod 3, which the v2 server refuses
      zod: '^4.2.0'
    });
    // only a test imports it, and nothing is installed to read a version from: the v1 SDK's own range
    expect(pkg.devDependencies).toEqual({ express: '^5.2.1' });
  });

  it('declares zod 4 for code that imported an undeclared zod, also while the v1 SDK stays', () => {
    const dir = v1Package('src');
    fs.writeFileSync(path.join(dir, 'src/server.ts'), V1_SERVER);
    // An instrumentation module keeps the v1 SDK (and with it the hoisted zod 3 the server's import resolved to).
    fs.writeFileSync(
      path.join(dir, 'src/telemetry.ts'),
      "import * as stdio from '@modelcontextprotocol/sdk/server/stdio.js';\nexport const instrumented = stdio;\n"
    );
    expect(runCli(['src'], dir).code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({
      '@modelcontextprotocol/sdk': '^1.25.0',
      '@modelcontextprotocol/server': V2_VERSIONS['@modelcontextprotocol/server'],
      zod: '^4.2.0'
    });
  });

  it('drops the v1 SDK dependency when what is left of it is commented-out imports', () => {
    const dir = v1Package('src', 'test');
    fs.writeFileSync(path.join(dir, 'src/server.ts'), V1_SERVER);
    fs.writeFileSync(
      path.join(dir, 'test/types.ts'),
      [
        "// import type { ToolResult } from '@modelcontextprotocol/sdk/types.js';",
        '/**',
        " * import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'; (how the old version did it)",
        ' */',
        'export type ToolResult = { content: unknown[] };',
        ''
      ].join('\n')
    );
    expect(runCli(['.'], dir).code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({
      '@modelcontextprotocol/server': V2_VERSIONS['@modelcontextprotocol/server'],
      zod: '^4.2.0'
    });
  });

  it('names the dependency whose zod 3 peer range npm will refuse once the package is on zod 4', () => {
    const dir = v1Package('src', 'node_modules/@ai-sdk/openai', 'node_modules/zod-friendly');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    Object.assign(pkg.dependencies, { zod: '^3.25.0', '@ai-sdk/openai': '^1.3.22', 'zod-friendly': '^1.0.0' });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    const installed = (name: string, zod: string) =>
      fs.writeFileSync(
        path.join(dir, 'node_modules', name, 'package.json'),
        JSON.stringify({ name, version: '1.3.24', peerDependencies: { zod } })
      );
    installed('@ai-sdk/openai', '^3.0.0');
    installed('zod-friendly', '^3.25.0 || ^4.0.0');
    fs.writeFileSync(path.join(dir, 'src/server.ts'), V1_SERVER);
    const r = runCli(['--json', '.'], dir);
    expect(r.code).toBe(0);
    const [manifest] = JSON.parse(r.stdout).manifests;
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies.zod).toBe('^4.2.0');
    expect(manifest.warnings).toEqual([
      expect.stringMatching(
        /^zod is now \^4\.2\.0, but @ai-sdk\/openai@1\.3\.24 asks for zod \^3\.0\.0: npm install refuses/
      )
    ]);
  });

  it('moves a package on zod 3 to zod 4 when its zod code is what zod 4 kept, and names what keeps another on zod 3', () => {
    const onZod3 = (schemaFile: string) => {
      const dir = v1Package('src');
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      pkg.dependencies.zod = '^3.25.76';
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
      fs.writeFileSync(path.join(dir, 'src/server.ts'), V1_SERVER);
      // A module with no MCP in it: zod is the package's, so every file that imports it counts.
      fs.writeFileSync(path.join(dir, 'src/schemas.ts'), schemaFile);
      const r = runCli(['.'], dir);
      return { r, dir, zod: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies.zod };
    };
    const kept =
      "import { z } from 'zod';\nexport const Note = z.object({ title: z.string().min(1).describe('Title') });\n";
    const upgraded = onZod3(kept);
    expect(upgraded.r.code).toBe(0);
    expect(upgraded.zod).toBe('^4.2.0');
    expect(upgraded.r.stdout).toContain('+zod@^4.2.0');
    // z.record(valueSchema) means z.record(z.string(), valueSchema) in zod 3, which zod 4 reads the same: ported.
    const record = "import { z } from 'zod';\nexport const Tags = z.record(z.string());\n";
    const ported = onZod3(record);
    expect(ported.zod).toBe('^4.2.0');
    expect(ported.r.stdout).toContain('changed src/schemas.ts (zod-4)');
    expect(fs.readFileSync(path.join(ported.dir, 'src/schemas.ts'), 'utf8')).toBe(
      "import { z } from 'zod';\nexport const Tags = z.record(z.string(), z.string());\n"
    );
    const removed = "import { z } from 'zod';\nexport const Tag = z.string({ required_error: 'a tag' });\n";
    // Where something else keeps the package on zod 3, the record calls are not ported for nothing.
    const blocked = onZod3(removed + 'export const Tags = z.record(z.string());\n');
    expect(blocked.zod).toBe('^3.25.76');
    expect(blocked.r.stdout + blocked.r.stderr).toContain(
      'z.record(valueSchema) (zod 4 takes the key schema first) in src/schemas.ts; required_error / invalid_type_error (zod 4: { error }) in src/schemas.ts'
    );
    expect(fs.readFileSync(path.join(blocked.dir, 'src/schemas.ts'), 'utf8')).toContain('z.record(z.string());');
    // A generated client's hundred model files using one removed API: three named, the rest counted.
    const many = v1Package('src');
    const manifest = JSON.parse(fs.readFileSync(path.join(many, 'package.json'), 'utf8'));
    manifest.dependencies.zod = '^3.25.76';
    fs.writeFileSync(path.join(many, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
    fs.writeFileSync(path.join(many, 'src/server.ts'), V1_SERVER);
    for (const n of [1, 2, 3, 4, 5]) fs.writeFileSync(path.join(many, `src/model${n}.ts`), removed);
    const out = runCli(['.'], many);
    expect(out.stdout + out.stderr).toContain(
      'required_error / invalid_type_error (zod 4: { error }) in src/model1.ts, src/model2.ts, src/model3.ts and 2 more file(s)'
    );
  });

  it('drops zod-to-json-schema once the migration removed its last import, and keeps it while another file uses it', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    const manifest = (deps: Record<string, string>) =>
      JSON.stringify({ name: 'x', type: 'module', dependencies: deps }, null, 2) + '\n';
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      manifest({ '@modelcontextprotocol/sdk': '^1.25.0', zod: '^4.2.0', 'zod-to-json-schema': '^3.24.0' })
    );
    const server = [
      "import { Server } from '@modelcontextprotocol/sdk/server/index.js';",
      "import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';",
      "import { z } from 'zod';",
      "import { zodToJsonSchema } from 'zod-to-json-schema';",
      'const Args = z.object({ q: z.string() });',
      "export const server = new Server({ name: 'x', version: '1' }, { capabilities: { tools: {} } });",
      "server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'q', inputSchema: zodToJsonSchema(Args) as any }] }));",
      ''
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'src/server.ts'), server);
    fs.writeFileSync(
      path.join(dir, 'src/other.ts'),
      "import { zodToJsonSchema } from 'zod-to-json-schema';\nexport const f = zodToJsonSchema;\n"
    );
    expect(runCli(['src/server.ts'], dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8')).not.toContain('zod-to-json-schema');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies['zod-to-json-schema']).toBe(
      '^3.24.0'
    );

    fs.writeFileSync(
      path.join(dir, 'package.json'),
      manifest({ '@modelcontextprotocol/sdk': '^1.25.0', zod: '^4.2.0', 'zod-to-json-schema': '^3.24.0' })
    );
    fs.writeFileSync(path.join(dir, 'src/server.ts'), server);
    fs.rmSync(path.join(dir, 'src/other.ts'));
    expect(runCli(['src/server.ts'], dir).code).toBe(0);
    expect(
      JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies['zod-to-json-schema']
    ).toBeUndefined();
  });

  it('the module the rewrite writes is the one the fixtures type-check', () => {
    expect(fs.readFileSync(path.join(ROOT, 'fixtures/logging-to-otel/mcp-tracing.ts'), 'utf8')).toBe(
      TRACING_MODULE_SOURCE
    );
  });
});

describe('configuration', () => {
  it('reads TTL defaults from mcp-migrate.config.json, and rejects a broken config file', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'server.ts'), V1_SERVER);
    fs.writeFileSync(path.join(dir, 'mcp-migrate.config.json'), JSON.stringify({ cacheHints: { staticTtlMs: 60000 } }));
    expect(runCli(['server.ts'], dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'server.ts'), 'utf8')).toContain(
      "'tools/list': { ttlMs: 60_000, cacheScope: 'public' }"
    );
    fs.writeFileSync(path.join(dir, 'mcp-migrate.config.json'), '{ nope');
    const r = runCli(['--dry-run', 'server.ts'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mcp-migrate\.config\.json/);
  });
});

describe('usage', () => {
  it('--list shows transform ids; with --json as data', () => {
    const r = runCli(['--list'], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^surface\s+/m);
    const listed = JSON.parse(runCli(['--list', '--json'], ROOT).stdout);
    expect(listed.map((t: { id: string }) => t.id)).toEqual(ALL_IDS);
    expect(listed[0]).toMatchObject({ id: 'surface', safety: expect.any(String), summary: expect.any(String) });
  });

  it('--version prints the package version; --help shows the default command flags', () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(runCli(['--version'], ROOT).stdout.trim()).toBe(version);
    const help = runCli(['--help'], ROOT);
    expect(help.code).toBe(0);
    for (const flag of ['--dry-run', '--exit-code', '--timeout', '--force', 'check', 'explain']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it.each([
    [['--no-such-flag'], /unknown option/],
    [['does/not/exist'], /path does not exist: does\/not\/exist/],
    [['--transforms', 'nope', '.'], /unknown transform id\(s\): nope/],
    [['--jobs', '0', '.'], /--jobs/],
    [['--exit-code', '.'], /--exit-code only works with --dry-run/],
    [['--timeout', 'soon', '.'], /--timeout takes a number of seconds/]
  ])('%j exits 2 with a one-line message', (args, message) => {
    const r = runCli(args, ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--json gives per-file results and summary counts', () => {
    const dir = copyOfExample();
    // A client that still pings: a marker, so a diagnostic with its position.
    fs.writeFileSync(
      path.join(dir, 'src/probe.ts'),
      "import { Client } from '@modelcontextprotocol/sdk/client/index.js';\nexport const probe = (c: Client) => c.setLoggingLevel('debug');\n"
    );
    const report = JSON.parse(runCli(['--dry-run', '--json', '.'], dir).stdout);
    expect(report.summary).toMatchObject({ scanned: 2, candidates: 2, changed: 2, failed: 0 });
    expect(typeof report.summary.durationMs).toBe('number');
    const server = report.files.find((f: any) => f.file === path.join('src', 'server.ts'));
    expect(server).toMatchObject({ changed: true });
    expect(server.transforms.slice(0, 2)).toEqual(['surface', 'stateless-entry']);
    const probe = report.files.find((f: any) => f.file === path.join('src', 'probe.ts'));
    expect(probe.diagnostics[0]).toMatchObject({ rule: 'logging-to-otel/set-logging-level', line: 3, column: 1 });
    expect(report.manifests[0]).toMatchObject({ file: 'package.json', removed: ['@modelcontextprotocol/sdk'] });
  });

  it('--jobs 2 over many files gives the same result as --jobs 1', () => {
    const { dir, cleanup } = scratch();
    cleanups.push(cleanup);
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(dir, `s${i}.ts`), V1_SERVER.replace("'x'", `'x${i}'`));
    const one = JSON.parse(runCli(['--dry-run', '--json', '--jobs', '1', '.'], dir).stdout);
    const two = JSON.parse(runCli(['--dry-run', '--json', '--jobs', '2', '.'], dir).stdout);
    expect(two.files).toEqual(one.files);
    expect(one.summary.changed).toBe(20);
  });
});

/** setpriv exists and `nobody` can run the built CLI from where it is (a checkout under /root may not allow it). */
function hasSetpriv(): boolean {
  const args = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, '--version'];
  return spawnSync('setpriv', args, { cwd: os.tmpdir() }).status === 0;
}
