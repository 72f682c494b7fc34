/**
 * The generated tracing module (fixtures/logging-to-otel/mcp-tracing.ts is the text the rewrite writes), in process
 * with a real OpenTelemetry SDK: what a former log call may put into the trace backend, and what the caller's
 * context may carry into the handler. The e2e test covers the span shape through a real client.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TracerProvider
} from '@opentelemetry/sdk-trace';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mcpLog, mcpLogMessage, withMcpSpan } from '../fixtures/logging-to-otel/mcp-tracing.js';
import fs from 'node:fs';
import path from 'node:path';
import { migrateText } from '../src/pipeline.js';
import { tracingModuleJs } from '../transforms/logging-to-otel/mcp-tracing.source.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

const exporter = new InMemorySpanExporter();
// The sampler docs/logging-to-otel.md recommends: the server decides, whatever flags the client's traceparent sets.
// (The baggage propagator is registered only to prove the module drops client baggage even when one is.)
const serverSide = new AlwaysOnSampler();
const provider = new TracerProvider({
  sampler: new ParentBasedSampler({
    root: serverSide,
    remoteParentSampled: serverSide,
    remoteParentNotSampled: serverSide
  }),
  spanProcessors: [new SimpleSpanProcessor({ exporter })]
});
beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] })
  );
});
beforeEach(() => exporter.reset());

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const request = {
  mcpReq: { id: 7, _meta: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, baggage: 'role=admin,tenant=acme' } }
};

async function traced(body: () => unknown, req: { mcpReq: { id: number; _meta: Record<string, string> } } = request) {
  const handler = withMcpSpan('tools/call', 'probe', async (_args: unknown, _ctx: unknown) => body());
  const result = await handler({}, req);
  await provider.forceFlush();
  const [span] = exporter.getFinishedSpans();
  return { result, span: span! };
}

describe('generated tracing module', () => {
  it('continues the caller trace but drops the baggage the client sent', async () => {
    const { result, span } = await traced(() => propagation.getActiveBaggage()?.getAllEntries() ?? []);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(result).toEqual([]);
  });

  it('keeps a span a client asked not to sample (sampled=00) under the documented server-side sampler', async () => {
    const unsampled = { mcpReq: { id: 8, _meta: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-00` } } };
    const { span } = await traced(() => mcpLog('info', 'still here'), unsampled);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.events.map(e => e.name)).toEqual(['still here']);
  });

  it('logs a message handed over as one parameters value like the call that spells them out', async () => {
    const message = { level: 'warning', logger: 'billing', data: { invoice: 'inv-7', token: 'tok-1' } };
    const { span } = await traced(() => {
      mcpLogMessage(message);
      mcpLog(message.level, message.data, message.logger);
    });
    const [fromParams, spelledOut] = span.events;
    expect(fromParams!.name).toBe(spelledOut!.name);
    expect(fromParams!.attributes).toEqual(spelledOut!.attributes);
    expect(fromParams!.attributes).toMatchObject({
      'log.severity': 'warning',
      'log.logger': 'billing',
      'log.data.invoice': 'inv-7',
      'log.data.token': '[REDACTED]'
    });
  });

  it('redacts values under secret-looking keys, in attributes and in the event text', async () => {
    const { span } = await traced(() => {
      mcpLog('info', { user: 'ann', password: 'hunter2', apiKey: 'sk-live-1', Authorization: 'Bearer t' });
    });
    const [event] = span.events;
    expect(event!.attributes).toMatchObject({
      'log.data.user': 'ann',
      'log.data.password': '[REDACTED]',
      'log.data.apiKey': '[REDACTED]',
      'log.data.Authorization': '[REDACTED]'
    });
    expect(event!.name).not.toMatch(/hunter2|sk-live-1|Bearer t/);
    expect(event!.name).toContain('"user":"ann"');
  });

  it('caps the event text, each value and the number of data attributes', async () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const { span } = await traced(() => {
      mcpLog('debug', 'x'.repeat(50_000));
      mcpLog('debug', { note: 'y'.repeat(50_000) });
      mcpLog('debug', many);
    });
    const [long, value, wide] = span.events;
    expect(long!.name.length).toBeLessThan(1100);
    expect(long!.name).toMatch(/more characters\]$/);
    expect(String(value!.attributes!['log.data.note']).length).toBeLessThan(300);
    expect(Object.keys(wide!.attributes!).filter(k => k.startsWith('log.data.'))).toHaveLength(32);
  });
});

describe('generated tracing module for JavaScript packages', () => {
  it('is emitted as mcp-tracing.js beside a JavaScript server, and traces like the TypeScript one', async () => {
    const input = path.join(
      FIXTURES,
      'logging-to-otel/javascript-handlers-log-through-the-javascript-tracing-module.input.js'
    );
    const result = await migrateText(input, fs.readFileSync(input, 'utf8'), { transforms: ['logging-to-otel'] });
    const created = Object.entries(result.created ?? {});
    expect(created.map(([file]) => path.basename(file))).toEqual(['mcp-tracing.js']);
    expect(created[0]![1]).toBe(tracingModuleJs());
    expect(tracingModuleJs()).not.toMatch(/: (string|unknown|Attributes)\b|import type|, type /);

    fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    const file = path.join(ROOT, '.tmp', `mcp-tracing-${process.pid}.mjs`);
    fs.writeFileSync(file, tracingModuleJs());
    try {
      const js = await import(file);
      const handler = js.withMcpSpan('tools/call', 'probe', async () => js.mcpLog('info', { password: 'p', n: 1 }));
      await handler({}, request);
      await provider.forceFlush();
      const [span] = exporter.getFinishedSpans();
      expect(span!.spanContext().traceId).toBe(TRACE_ID);
      expect(span!.events[0]!.attributes).toMatchObject({ 'log.data.password': '[REDACTED]', 'log.data.n': 1 });
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
