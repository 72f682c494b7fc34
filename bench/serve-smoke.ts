/**
 * Do the migrated npm servers still serve? For each npm entry of a corpus: unpack the published package twice,
 * migrate one copy, install each copy's production dependencies, start every stdio `bin` of both, and ask for the
 * tool, prompt and resource lists — the original with a default client (it speaks 2025), the migrated one with a
 * client pinned to 2026-07-28 and with a default one. A server "works" when its migrated copy answers the pinned
 * client with the lists the original gave. Type-checks cannot say this about compiled JavaScript, which is what npm
 * packages ship.
 *
 *   npm run build && npx tsx bench/serve-smoke.ts [--corpus bench/unseen-npm.json] [--only <package>]
 *
 * Needs the network (npm pack, npm install). Credentials a server reads from the environment (names like API_KEY,
 * TOKEN, SECRET) get a dummy value, the same for both copies; a server whose original does not start that way is
 * reported as not startable and left out of the figures. Nothing is written to the repo.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { arg, unpackNpm } from './source-tree.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/bin/mcp-migrate.js');
const corpus = JSON.parse(fs.readFileSync(arg('corpus') ?? path.join(ROOT, 'bench/unseen-npm.json'), 'utf8'));
const only = arg('only');
const CREDENTIAL = /API_?KEY|TOKEN|SECRET|PASSWORD|_PAT$|CREDENTIAL/;

interface Entry {
  source: string;
  package?: string;
  version?: string;
  srcDir: string[];
}

interface Lists {
  tools: string[];
  prompts: string[];
  resources: string[];
}

type Outcome = { ok: true; lists: Lists; era: string } | { ok: false; why: string };

function install(dir: string): string | undefined {
  const r = spawnSync(
    'npm',
    ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'],
    { cwd: dir, encoding: 'utf8', timeout: 300_000 }
  );
  return r.status === 0 ? undefined : (r.stderr || r.error?.message || 'npm install failed').split('\n')[0];
}

function bins(dir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const bin = manifest.bin;
  const all = typeof bin === 'string' ? [bin] : bin && typeof bin === 'object' ? Object.values<string>(bin) : [];
  return [...new Set(all)].filter(b => fs.existsSync(path.join(dir, b)));
}

/** Credentials the package reads from the environment, each set to a dummy value. */
function dummyCredentials(dir: string, files: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of text.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) {
      const name = m[1] ?? m[2]!;
      if (CREDENTIAL.test(name)) env[name] = 'mcp-migrate-smoke';
    }
  }
  return env;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (d.name === 'node_modules') continue;
      const r = path.join(rel, d.name);
      if (d.isDirectory()) walk(r);
      else if (/\.[cm]?js$/.test(d.name)) out.push(r);
    }
  };
  walk('');
  return out;
}

async function serve(dir: string, entry: string, env: Record<string, string>, pin: boolean): Promise<Outcome> {
  const client = new Client(
    { name: 'mcp-migrate-smoke', version: '0.0.0' },
    pin ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [entry],
    cwd: dir,
    stderr: 'pipe',
    env: { ...(process.env as Record<string, string>), ...env }
  });
  let stderr = '';
  transport.stderr?.on('data', d => (stderr += String(d)));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer within 20 s')), 20_000);
  });
  try {
    const lists = await Promise.race([timeout, listsOf(client, transport)]);
    return { ok: true, lists, era: client.getNegotiatedProtocolVersion?.() ?? '?' };
  } catch (e) {
    const last = stderr.trim().split('\n').slice(-1)[0] ?? '';
    return {
      ok: false,
      why: `${(e as Error).message.split('\n')[0]}${last ? ` (stderr: ${last.slice(0, 120)})` : ''}`
    };
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => {});
  }
}

async function listsOf(client: Client, transport: StdioClientTransport): Promise<Lists> {
  await client.connect(transport);
  const caps = client.getServerCapabilities() ?? {};
  const names = (xs: { name: string }[]) => xs.map(x => x.name).sort();
  return {
    tools: caps.tools ? names((await client.listTools()).tools) : [],
    prompts: caps.prompts ? names((await client.listPrompts()).prompts) : [],
    resources: caps.resources ? names((await client.listResources()).resources) : []
  };
}

const same = (a: Lists, b: Lists) => JSON.stringify(a) === JSON.stringify(b);
const count = (l: Lists) => `${l.tools.length}t/${l.prompts.length}p/${l.resources.length}r`;
const shown = (o: Outcome) => (o.ok ? `${count(o.lists)} ${o.era}` : `FAIL ${o.why}`);

const rows: string[][] = [];
let startable = 0;
let works = 0;
let works2025 = 0;
for (const e of (corpus.entries as Entry[]).filter(x => x.source === 'npm')) {
  const id = `${e.package}@${e.version}`;
  if (only && !id.includes(only)) continue;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-migrate-smoke-'));
  process.stderr.write(`${id}\n`);
  try {
    const original = unpackNpm(e.package!, e.version!, tmp);
    const migrated = path.join(tmp, 'migrated');
    fs.cpSync(original, migrated, { recursive: true });
    const dirs = e.srcDir.filter(d => fs.existsSync(path.join(migrated, d)));
    spawnSync(process.execPath, [CLI, '--force', ...dirs], {
      cwd: migrated,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' }
    });
    const entries = bins(original);
    if (!entries.length) {
      rows.push([id, 'no bin', '', '', '']);
      continue;
    }
    const failed = install(original) ?? install(migrated);
    if (failed) {
      rows.push([id, `install: ${failed.slice(0, 80)}`, '', '', '']);
      continue;
    }
    const env = dummyCredentials(original, sourceFiles(original));
    const before = await serve(original, entries[0]!, env, false);
    const pinned = await serve(migrated, entries[0]!, env, true);
    const legacy = await serve(migrated, entries[0]!, env, false);
    if (before.ok) startable++;
    const ok = before.ok && pinned.ok && same(before.lists, pinned.lists);
    if (ok) works++;
    if (before.ok && legacy.ok && same(before.lists, legacy.lists)) works2025++;
    rows.push([
      id,
      shown(before),
      shown(pinned),
      shown(legacy),
      !before.ok ? 'not startable' : ok ? 'works' : 'BROKEN'
    ]);
  } catch (err) {
    rows.push([id, `error: ${(err as Error).message.split('\n')[0]!.slice(0, 80)}`, '', '', '']);
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(tmp, { recursive: true, force: true });
    else process.stderr.write(`kept ${id} at ${tmp}\n`);
  }
}

const header = [
  'entry',
  'original (default client)',
  'migrated, pinned 2026-07-28',
  'migrated, default client',
  'verdict'
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  '));
console.log(
  `\n${rows.length} npm entries; ${startable} start as published (stdio bin, dummy credentials); of those, ` +
    `${works} answer a client pinned to 2026-07-28 with the same tools, prompts and resources after migration ` +
    `(${works2025} also answer a default client the same)`
);
