/**
 * Speed and memory against the official codemod, on the same trees, alternating the two tools, medians of
 * several runs. Both run in dry-run mode (all transforms, nothing written), each as its own process, timed with
 * /usr/bin/time for wall time and peak RSS.
 *
 *   npm run build && npx tsx bench/speed.ts [--runs 3] [--mirrors /work/.mirror] [--ours-only]
 *
 * Trees: firebase-tools `src` @ a786bda73 (1,294 files, 15 use the SDK) and the SDK's v1.29.0 examples copied
 * 20× (520 SDK-heavy files; relative SDK imports rewritten to package specifiers so the official codemod sees them).
 * Also times `mcp-migrate check` on firebase-tools `src` and on one file with 1.5 MB of brace-free data, and
 * mcp-migrate alone on two generated single files: 400
 * `server.tool(CONSTANT, …)` registrations, and ~1.5 MB of them with handler bodies. First, start-up: `--version`,
 * `check` and `--dry-run` on the bundled example (every CI `check` and every per-file run pays it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toPackageSpecifiers } from '../src/sdk-imports.js';
import { arg, filesUnder } from './source-tree.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const mirrors = arg('mirrors') ?? '/work/.mirror';
const runs = Number(arg('runs') ?? 3);
const skipOfficial = process.argv.includes('--ours-only');
const OURS = path.join(ROOT, 'dist/bin/mcp-migrate.js');
const OFFICIAL = path.join(ROOT, 'node_modules/@modelcontextprotocol/codemod/dist/cli.mjs');

function archive(repo: string, ref: string, paths: string[], into: string): void {
  const gitDir = path.join(mirrors, repo.replace('/', '+'), 'repo');
  const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', ref, ...paths], { maxBuffer: 1 << 30 });
  fs.mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-x', '-C', into], { input: tar });
}

function firebaseTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'speed-firebase-'));
  archive('firebase/firebase-tools', 'a786bda73b48196fce1df22fe2b1cbc9e463b2d0', ['src', 'package.json'], dir);
  return dir;
}

function examplesTree(copies: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'speed-examples-'));
  const one = path.join(dir, '.one');
  archive('modelcontextprotocol/typescript-sdk', 'v1.29.0', ['src/examples'], one);
  for (const f of filesUnder(one)) fs.writeFileSync(f, toPackageSpecifiers(fs.readFileSync(f, 'utf8')));
  for (let i = 1; i <= copies; i++)
    fs.cpSync(path.join(one, 'src/examples'), path.join(dir, `copy${String(i).padStart(2, '0')}`), { recursive: true });
  fs.rmSync(one, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      type: 'module',
      dependencies: { '@modelcontextprotocol/sdk': '^1.29.0', express: '^5.0.0', zod: '^3.25.0' }
    })
  );
  return dir;
}

interface Timing {
  seconds: number;
  rssMb: number;
}

function timed(args: string[], cwd: string): Timing {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, CI: 'true' }
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [s, kb] = last.split(' ').map(Number);
  if (!Number.isFinite(s)) throw new Error(`could not time ${args.join(' ')}: ${r.stderr.slice(-500)}`);
  return { seconds: s, rssMb: Math.round(kb / 1024) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function compare(name: string, dir: string, sdkFiles: number): void {
  const official: Timing[] = [];
  const ours: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    if (!skipOfficial) official.push(timed([OFFICIAL, 'v1-to-v2', dir, '--dry-run'], dir));
    ours.push(timed([OURS, '--dry-run', '--json', '--force', dir], dir));
  }
  if (skipOfficial) official.push({ seconds: NaN, rssMb: NaN });
  const o = { s: median(official.map(t => t.seconds)), mb: median(official.map(t => t.rssMb)) };
  const m = { s: median(ours.map(t => t.seconds)), mb: median(ours.map(t => t.rssMb)) };
  const files = filesUnder(dir, /\.[cm]?[jt]sx?$/).length;
  console.log(`\n${name}: ${files} files, ${sdkFiles} use the SDK; medians of ${runs} alternating runs`);
  console.log(
    `  official codemod 2.3.1   ${o.s.toFixed(2)} s  ${o.mb} MB peak RSS  ${(sdkFiles / o.s).toFixed(1)} SDK files/s`
  );
  console.log(
    `  mcp-migrate              ${m.s.toFixed(2)} s  ${m.mb} MB peak RSS  ${(sdkFiles / m.s).toFixed(1)} SDK files/s`
  );
  console.log(
    `  speed-up                 ${(o.s / m.s).toFixed(1)}x  (time ratio ours/official ${(m.s / o.s).toFixed(2)})`
  );
}

/**
 * One generated v1 file of `tools` `server.tool(TOOL_NAMES.x, description, shape, callback)` registrations (constant
 * names, the shape the official codemod gives up on), padded with realistic handler bodies up to `bytes` if given.
 */
function bigFileTree(tools: number, bodyLines = 0): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'speed-big-'));
  const body = Array.from({ length: bodyLines }, (_, k) => `    const v${k} = q.length * ${k} + (n ?? 0);`).join('\n');
  const lines = [
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
    "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
    "import { z } from 'zod';",
    '',
    `const TOOL_NAMES = { ${Array.from({ length: tools }, (_, i) => `t${i}: 'tool_${i}'`).join(', ')} } as const;`,
    "const server = new McpServer({ name: 'big', version: '1.0.0' });",
    ...Array.from({ length: tools }, (_, i) =>
      [
        `server.tool(TOOL_NAMES.t${i}, 'Tool number ${i}', { q: z.string(), n: z.number().optional() }, async ({ q, n }, extra) => {`,
        ...(body ? [body] : []),
        `  return { content: [{ type: 'text', text: \`\${q} \${n ?? ${i}} \${extra.requestId}\` }] };`,
        '});'
      ].join('\n')
    ),
    'await server.connect(new StdioServerTransport());',
    ''
  ];
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/server.ts'), lines.join('\n'));
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ type: 'module', dependencies: { '@modelcontextprotocol/sdk': '^1.29.0', zod: '^4.2.0' } })
  );
  return dir;
}

/**
 * One v1 server file carrying 1.5 MB of data without a brace (a word list, a bundled table): the shape that made a
 * rule's leading look-behind scan back over the whole blob at every offset (45 s for `check` on such a bundle).
 */
function dataHeavyTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'speed-data-'));
  const words = Array.from({ length: 120_000 }, (_, i) => `'w${i.toString(36)}x'`);
  const lines = [
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
    "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
    `const WORDS = [${words.join(', ')}];`,
    "const server = new McpServer({ name: 'words', version: '1.0.0' });",
    "server.tool('count', async () => ({ content: [{ type: 'text', text: String(WORDS.length) }] }));",
    'await server.connect(new StdioServerTransport());',
    ''
  ];
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/server.ts'), lines.join('\n'));
  return dir;
}

function startUp(): void {
  const example = path.join(ROOT, 'examples/v1-express-server');
  const of = (args: string[]) => median(Array.from({ length: runs }, () => timed([OURS, ...args], example).seconds));
  console.log(
    `\nstart-up on the bundled example: --version ${of(['--version']).toFixed(2)} s, check ${of(['check', '.']).toFixed(2)} s, ` +
      `--dry-run ${of(['--dry-run', '--force', '.']).toFixed(2)} s (medians of ${runs})`
  );
}

function sdkFileCount(dir: string): number {
  return filesUnder(dir, /\.[cm]?[jt]sx?$/).filter(f => /@modelcontextprotocol\/sdk/.test(fs.readFileSync(f, 'utf8')))
    .length;
}

console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model}`);
startUp();
const firebase = firebaseTree();
const examples = examplesTree(20);
const big400 = bigFileTree(400);
const big15mb = bigFileTree(1400, 24);
const dataHeavy = dataHeavyTree();
try {
  compare('firebase-tools src @ a786bda73', firebase, sdkFileCount(firebase));
  compare('SDK v1.29.0 examples x20', examples, sdkFileCount(examples));
  for (const [name, dir] of [
    ['one file, 400 server.tool(CONSTANT, …) calls', big400],
    ['one file, 1,400 tools with bodies', big15mb]
  ] as const) {
    const kb = Math.round(fs.statSync(path.join(dir, 'src/server.ts')).size / 1024);
    const t = timed([OURS, '--dry-run', '--json', '--force', dir], dir);
    console.log(`\n${name} (${kb} KB): mcp-migrate ${t.seconds.toFixed(2)} s, ${t.rssMb} MB peak RSS`);
  }
  const dataKb = Math.round(fs.statSync(path.join(dataHeavy, 'src/server.ts')).size / 1024);
  const dataCheck = timed([OURS, 'check', '--format', 'json', 'src'], dataHeavy);
  console.log(`\nmcp-migrate check, one file with ${dataKb} KB of brace-free data: ${dataCheck.seconds.toFixed(2)} s`);
  const checks = Array.from({ length: runs }, () => timed([OURS, 'check', '--format', 'json', 'src'], firebase));
  console.log(
    `\nmcp-migrate check, firebase-tools src: ${median(checks.map(t => t.seconds)).toFixed(2)} s, ${median(checks.map(t => t.rssMb))} MB peak RSS`
  );
} finally {
  fs.rmSync(firebase, { recursive: true, force: true });
  fs.rmSync(examples, { recursive: true, force: true });
  fs.rmSync(big400, { recursive: true, force: true });
  fs.rmSync(big15mb, { recursive: true, force: true });
  fs.rmSync(dataHeavy, { recursive: true, force: true });
}
