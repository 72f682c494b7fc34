/**
 * End-to-end harness: copy a v1 server from fixtures/servers/<name>, migrate the copy with the real CLI,
 * type-check it against the v2 packages, start it (HTTP on a loopback port from PORT, or stdio through tsx) and
 * hand the test an MCP client. Children are always killed; every wait is bounded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, inject } from 'vitest';
import { runCli, type CliRun } from './cli.js';
import { FIXTURES, ROOT } from './fixtures.js';

export interface E2eSpec {
  transport: 'http' | 'stdio';
  entry: string;
  path?: string;
  /**
   * How the v1 original is observed when it differs: over SSE at its old path, or over stdio (a server with both modes
   * whose v1 HTTP mode the v1 SDK itself now refuses, such as one stateless transport shared by every request).
   */
  original?: { transport: 'sse' | 'http' | 'stdio'; path?: string };
  /** HTTP only: headers every request of the client carries (an API key the server builds its backend client from). */
  headers?: Record<string, string>;
  /** `rounds`: how many input_required results a multi-round call returns before its answer (push-to-input-required). */
  /** `contains`: text the call's result must carry (so a comparison of two wrong answers cannot pass). */
  calls: { tool: string; arguments: Record<string, unknown>; rounds?: number; contains?: string }[];
  reads?: string[];
  prompts?: { name: string; arguments: Record<string, string> }[];
  /** Paths the server answers a plain GET on beside MCP (a status page): the same status and body after migration. */
  pages?: string[];
  /** For push-to-input-required: texts only a client that answers gets (the suite's deploy/release ones when absent). */
  premise?: string[];
  /**
   * `served`: a 2025-era client of the migrated HTTP server is served without sessions, so what the v1 server learnt
   * at that client's initialize (its name, for a hook) is not there on a later request: only that each call is
   * answered, as before, is compared for that client.
   */
  legacyOverHttp?: 'served';
  /** Which end-to-end test drives this server; the stateless-entry comparison when absent. */
  suite?: 'session-handles' | 'push-to-input-required' | 'validators-to-json-schema' | 'capability-gates';
  /** For validators-to-json-schema: calls the migrated server must refuse with an isError result naming `field`. */
  invalid?: { tool: string; arguments: Record<string, unknown>; field: string }[];
  /** For validators-to-json-schema: text the migrated tools/list must contain (a 2020-12 idiom it should show). */
  listed?: string[];
  /** For session-handles: the tool that mints a handle, its argument, calls that write state, a call that reads it. */
  handles?: {
    create: string;
    argument: string;
    writes: { tool: string; arguments: Record<string, unknown> }[];
    read: { tool: string; arguments: Record<string, unknown> };
  };
}

export type Era = 'pinned-2026' | 'legacy-2025';

const TMP = path.join(ROOT, '.tmp');
const TSC = path.join(ROOT, 'node_modules/typescript-native/bin/tsc');

/** Fixture servers with an e2e.json; with `suite`, only those that suite drives ('stateless-entry' = no suite). */
export function serverNames(
  suite?:
    | 'stateless-entry'
    | 'session-handles'
    | 'push-to-input-required'
    | 'validators-to-json-schema'
    | 'capability-gates'
    | 'first-call-hooks'
): string[] {
  const all = fs
    .readdirSync(path.join(FIXTURES, 'servers'))
    .filter(d => fs.existsSync(path.join(FIXTURES, 'servers', d, 'e2e.json')))
    .sort();
  return suite ? all.filter(d => (specOf(d).suite ?? 'stateless-entry') === suite) : all;
}

export function specOf(name: string): E2eSpec {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'servers', name, 'e2e.json'), 'utf8'));
}

/** A copy of the fixture server inside the project (so node_modules resolve), removed by cleanup(). */
export function copyServer(name: string): { dir: string; cleanup: () => void } {
  fs.mkdirSync(TMP, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMP, `${name}-`));
  fs.cpSync(path.join(FIXTURES, 'servers', name), dir, { recursive: true });
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Every fixture server, migrated by one CLI run over a copy of the whole folder, once per test run however many test
 * files ask (the first to ask migrates while the others wait for it): a server's folder there is its own package, so
 * it is migrated as a run of its own folder would migrate it. Read it, or copy what a test changes; a test that
 * starts a server there may let it write its own files.
 */
export function migratedServers(): string {
  const run = inject('runDir');
  const dir = path.join(run, 'migrated-servers');
  const failed = path.join(run, 'migrated-servers.failed');
  try {
    fs.mkdirSync(path.join(run, 'migrated-servers.lock'));
  } catch {
    // Another test file is migrating them: wait for its folder (or its failure), up to the hook timeout.
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (let waited = 0; !fs.existsSync(dir) && !fs.existsSync(failed) && waited < 240_000; waited += 200)
      Atomics.wait(sleeper, 0, 0, 200);
    if (!fs.existsSync(dir)) throw new Error(`the fixture servers were not migrated: ${readOr(failed, 'timed out')}`);
    return dir;
  }
  const partial = `${dir}.partial`;
  try {
    copyServersInto(partial, serverNames());
    const r = runCli(['--force', '.'], partial, {}, 240_000);
    if (r.code !== 0) throw new Error(`migrating the fixture servers failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    fs.renameSync(partial, dir);
    return dir;
  } catch (err) {
    fs.writeFileSync(failed, String(err));
    throw err;
  }
}

/** A fixture server as the run's one migration of them all left it (see `migratedServers`); nothing to clean up. */
export function sharedMigration(name: string): { dir: string; cleanup: () => void } {
  return { dir: path.join(migratedServers(), name), cleanup: () => {} };
}

function readOr(file: string, otherwise: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return otherwise;
  }
}

/** One scratch folder holding a copy of each named fixture server, each in a folder of its own name. */
export function copyServers(names: string[]): { dir: string; cleanup: () => void } {
  fs.mkdirSync(TMP, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMP, 'servers-'));
  copyServersInto(dir, names);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function copyServersInto(dir: string, names: string[]): void {
  for (const name of names) fs.cpSync(path.join(FIXTURES, 'servers', name), path.join(dir, name), { recursive: true });
}

/** A copy of the fixture server migrated by the CLI; throws with the CLI's output when the migration fails. */
export function migratedCopy(name: string): { dir: string; cleanup: () => void } {
  const copy = copyServer(name);
  const run = migrate(copy.dir);
  if (run.code !== 0) {
    copy.cleanup();
    throw new Error(`migration failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return copy;
}

export function migrate(dir: string, extra: string[] = []): CliRun {
  // --force: the scratch copy sits inside this repository's (possibly dirty) work tree.
  return runCli(['--force', ...extra, '.'], dir);
}

/** tsc --strict over the migrated copy; returns the compiler's output ('' when clean). */
export function typecheck(dir: string): string {
  // A server written in JavaScript only (compiled output, as npm ships it) is parsed, not type-checked: running it
  // against a real client is what proves its requires resolve.
  const javascriptOnly = !(fs.readdirSync(path.join(dir, 'src'), { recursive: true }) as string[]).some(f =>
    /\.[cm]?ts$/.test(f)
  );
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        ...(javascriptOnly ? { allowJs: true, checkJs: false } : {})
      },
      include: [javascriptOnly ? 'src/**/*.js' : 'src/**/*.ts']
    })
  );
  return spawnSyncText(process.execPath, [TSC, '-p', dir], dir);
}

function spawnSyncText(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return (r.stdout ?? '') + (r.stderr ?? '');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before listening`);
    const open = await new Promise<boolean>(resolve => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`server did not listen on ${port} within ${ms} ms`);
}

export interface Running {
  client: Client;
  /** HTTP only: where the server listens (`http://127.0.0.1:<port>`). */
  origin?: string;
  /** Response headers of every HTTP exchange the client made. */
  responseHeaders: Headers[];
  /** Every JSON-RPC message the server sent back over HTTP, with the request method it answered. */
  exchanges: { method: string; response: any }[];
  /** Waits until every recorded response body has been read. */
  settle?: () => Promise<void>;
  stderr: () => string;
  close: () => Promise<void>;
  /** HTTP only: a second, independent client connected to the same running server (closed by close()). */
  connectAnother?: () => Promise<Client>;
}

/** Starts the server in `dir` and connects a client for the given era. */
export interface StartOptions {
  /** Extra node flags before the entry (e.g. a test-only --import preload). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Client capabilities to declare (elicitation, sampling, roots). */
  capabilities?: Record<string, unknown>;
  /** Runs on the client before it connects (request handlers for elicitation, sampling, roots). */
  setup?: (client: Client) => void;
  /** HTTP only: rewrites each outgoing JSON-RPC message, as a hostile client or proxy would. */
  tamper?: (message: any) => any;
}

export async function start(
  dir: string,
  spec: E2eSpec,
  era: Era,
  which: 'migrated' | 'original' = 'migrated',
  opts: StartOptions = {}
): Promise<Running> {
  const client = new Client(
    { name: 'mcp-migrate-e2e', version: '0.0.0' },
    {
      ...(era === 'pinned-2026' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
      ...(opts.capabilities ? { capabilities: opts.capabilities } : {})
    }
  );
  opts.setup?.(client);
  const tsxArgs = ['--import', 'tsx', ...(opts.nodeArgs ?? []), spec.entry];
  const env = { ...process.env, ...(opts.env ?? {}) } as Record<string, string>;
  if (spec.transport === 'stdio' || (which === 'original' && spec.original?.transport === 'stdio')) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: tsxArgs,
      cwd: dir,
      stderr: 'pipe',
      env
    });
    let err = '';
    transport.stderr?.on('data', d => (err += String(d)));
    await withTimeout(client.connect(transport), 30_000, 'stdio connect');
    return {
      client,
      responseHeaders: [],
      exchanges: [],
      stderr: () => err,
      close: () => withTimeout(client.close(), 10_000, 'close')
    };
  }
  const port = await freePort();
  const child = spawn(process.execPath, tsxArgs, {
    cwd: dir,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let err = '';
  child.stderr!.on('data', d => (err += String(d)));
  child.stdout!.on('data', () => {});
  const kill = async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise(r => child.once('exit', r));
    }
  };
  try {
    await waitForPort(port, child);
    const responseHeaders: Headers[] = [];
    const pending: Promise<void>[] = [];
    const exchanges: { method: string; response: any }[] = [];
    const fetchRecording = async (url: string | URL | Request, init?: RequestInit) => {
      if (opts.tamper && typeof init?.body === 'string')
        init = { ...init, body: JSON.stringify(opts.tamper(JSON.parse(init.body))) };
      if (spec.headers) {
        const headers = new Headers(init?.headers);
        for (const [name, value] of Object.entries(spec.headers)) headers.set(name, value);
        init = { ...init, headers };
      }
      const res = await fetch(url, init);
      responseHeaders.push(res.headers);
      const method = typeof init?.body === 'string' ? (JSON.parse(init.body).method ?? '') : '';
      // read a copy without awaiting it here: SSE bodies stay open while the client consumes them
      pending.push(
        res
          .clone()
          .text()
          .then(
            body => {
              for (const m of parseBodies(body)) exchanges.push({ method, response: m });
            },
            () => {}
          )
      );
      return res;
    };
    const original = which === 'original' ? spec.original : undefined;
    const url = new URL(`http://127.0.0.1:${port}${original?.path ?? spec.path ?? '/mcp'}`);
    const transport =
      original?.transport === 'sse'
        ? new SSEClientTransport(url, { fetch: fetchRecording })
        : new StreamableHTTPClientTransport(url, { fetch: fetchRecording });
    await withTimeout(client.connect(transport), 30_000, 'http connect');
    const others: Client[] = [];
    return {
      client,
      origin: url.origin,
      responseHeaders,
      get exchanges() {
        return exchanges;
      },
      settle: () => Promise.all(pending).then(() => {}),
      stderr: () => err,
      connectAnother: async () => {
        const other = new Client(
          { name: 'mcp-migrate-e2e-2', version: '0.0.0' },
          era === 'pinned-2026' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}
        );
        await withTimeout(other.connect(new StreamableHTTPClientTransport(url)), 30_000, 'http connect');
        others.push(other);
        return other;
      },
      close: async () => {
        for (const c of [client, ...others]) await withTimeout(c.close(), 10_000, 'close').catch(() => {});
        await kill();
      }
    };
  } catch (e) {
    await kill();
    throw new Error(`${(e as Error).message}\nserver stderr:\n${err}`, { cause: e });
  }
}

/** JSON bodies, or the `data:` lines of an SSE body. */
function parseBodies(body: string): any[] {
  const t = body.trim();
  if (!t) return [];
  if (t.startsWith('{') || t.startsWith('[')) return [JSON.parse(t)].flat();
  return t
    .split('\n')
    .filter(l => l.startsWith('data:'))
    .map(l => JSON.parse(l.slice(5)));
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)))
  ]);
}

/** What a user would compare between the v1 server and the migrated one. */
export async function observe(client: Client, spec: E2eSpec): Promise<unknown[]> {
  const seen: unknown[] = [];
  for (const c of spec.calls) {
    const r = await client.callTool({ name: c.tool, arguments: c.arguments });
    if (c.contains && !JSON.stringify(r.content).includes(c.contains))
      throw new Error(`${c.tool} answered ${JSON.stringify(r.content)}, without ${JSON.stringify(c.contains)}`);
    seen.push({ tool: c.tool, content: r.content, isError: r.isError ?? false });
  }
  for (const uri of spec.reads ?? []) {
    const r = await client.readResource({ uri });
    seen.push({ uri, contents: r.contents });
  }
  for (const p of spec.prompts ?? []) {
    const r = await client.getPrompt({ name: p.name, arguments: p.arguments });
    seen.push({ prompt: p.name, messages: r.messages });
  }
  return seen;
}

/** What a plain GET of each of the spec's pages answers (no MCP headers: a browser's request). */
export async function pagesOf(
  origin: string,
  spec: E2eSpec
): Promise<{ path: string; status: number; body: string }[]> {
  const seen = [];
  for (const p of spec.pages ?? []) {
    const res = await fetch(origin + p);
    seen.push({ path: p, status: res.status, body: await res.text() });
  }
  return seen;
}

export interface ObservedMigration {
  /** The migrated copy (set once beforeAll has run). */
  migrated: { dir: string; cleanup: () => void };
  /** What a 2025-era client observed from the v1 original (the spec's calls, reads and prompts). */
  v1Results: unknown[];
  /** The spec's pages as the v1 original answered them. */
  v1Pages: { path: string; status: number; body: string }[];
}

/**
 * Registers the beforeAll/afterAll of an end-to-end suite that compares a migrated fixture server with its v1
 * original: observes the original with a 2025-era client, then migrates a copy with the CLI; both copies are
 * removed afterwards. Read the fields inside tests (they are filled in by beforeAll).
 */
export function observedMigration(name: string, spec: E2eSpec): ObservedMigration {
  const state = {} as ObservedMigration;
  let original: { dir: string; cleanup: () => void } | undefined;
  beforeAll(async () => {
    original = copyServer(name);
    const v1 = await start(original.dir, spec, 'legacy-2025', 'original');
    try {
      state.v1Results = await observe(v1.client, spec);
      state.v1Pages = v1.origin ? await pagesOf(v1.origin, spec) : [];
    } finally {
      await v1.close();
    }
    state.migrated = sharedMigration(name);
  });
  afterAll(() => {
    original?.cleanup();
    state.migrated?.cleanup();
  });
  return state;
}
