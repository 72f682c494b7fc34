/**
 * Rewrite 3 end to end: a logging-heavy v1 server (HTTP and stdio) is migrated, started with a test-only OTel
 * SDK preload, and called by a pinned 2026-07-28 client that sends W3C trace context in `_meta`. The server's
 * SERVER span must continue the caller's trace, carry one event per former log call with its level, and an
 * `isError` result must mark the span as failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyServer, migrate, specOf, start, typecheck } from './helpers/e2e.js';
import { ROOT } from './helpers/fixtures.js';

const PRELOAD = path.join(ROOT, 'test/helpers/otel-preload.mjs');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

interface SpanLine {
  name: string;
  kind: number;
  traceId: string;
  parentSpanId?: string;
  status: { code: number };
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
}

async function spansIn(file: string, count: number): Promise<SpanLine[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
    if (lines.length >= count || Date.now() > deadline) return lines.map(l => JSON.parse(l));
    await new Promise(r => setTimeout(r, 100));
  }
}

describe.each([
  'logging-http',
  'logging-stdio',
  'logging-through-a-logger-class',
  'logging-through-a-module-the-server-is-attached-to'
])('%s', name => {
  const spec = specOf(name);
  const copy = copyServer(name);
  afterAll(() => copy.cleanup());

  it('migrates, type-checks, and its spans continue the caller trace with one event per log call', async () => {
    expect(migrate(copy.dir).code).toBe(0);
    expect(fs.existsSync(path.join(copy.dir, 'src/mcp-tracing.ts'))).toBe(true);
    expect(typecheck(copy.dir)).toBe('');
    const spansFile = path.join(copy.dir, 'spans.jsonl');
    const s = await start(copy.dir, spec, 'pinned-2026', 'migrated', {
      nodeArgs: ['--import', PRELOAD],
      env: { SPANS_FILE: spansFile }
    });
    try {
      expect(s.client.getProtocolEra()).toBe('modern');
      const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`;
      const ok = await s.client.callTool({ name: 'lookup', arguments: { word: 'otter' }, _meta: { traceparent } });
      expect(ok.isError ?? false).toBe(false);
      const bad = await s.client.callTool({ name: 'broken', arguments: {}, _meta: { traceparent } });
      expect(bad.isError).toBe(true);
    } finally {
      await s.close();
    }
    const spans = (await spansIn(spansFile, 2)).filter(sp => sp.name.startsWith('tools/call'));
    const lookup = spans.find(sp => sp.name === 'tools/call lookup')!;
    const broken = spans.find(sp => sp.name === 'tools/call broken')!;
    expect(lookup).toBeDefined();
    expect(lookup.kind).toBe(1); // SpanKind.SERVER
    expect(lookup.traceId).toBe(TRACE_ID);
    expect(lookup.parentSpanId).toBe(PARENT_ID);
    expect(lookup.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'lookup',
      'gen_ai.operation.name': 'execute_tool'
    });
    expect(lookup.events.map(e => [e.name, e.attributes['log.severity']])).toEqual([
      ['looking up otter', 'info'],
      ['{"word":"otter","cache":"miss"}', 'debug']
    ]);
    expect(lookup.events[1].attributes).toMatchObject({ 'log.data.word': 'otter', 'log.data.cache': 'miss' });
    expect(lookup.status.code).not.toBe(2);
    expect(broken.traceId).toBe(TRACE_ID);
    expect(broken.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(broken.attributes['error.type']).toBe('tool_error');
    expect(broken.events.map(e => e.attributes['log.severity'])).toEqual(['error']);
  });
});
