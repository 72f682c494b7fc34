// Test-only preload (node --import): registers an OpenTelemetry SDK in the server process and appends every
// finished span to $SPANS_FILE as one JSON line, so a test in another process can read what the server traced.
import fs from 'node:fs';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

const file = process.env.SPANS_FILE;
const exporter = {
  export(spans, done) {
    for (const s of spans) {
      const line = {
        name: s.name,
        kind: s.kind,
        traceId: s.spanContext().traceId,
        spanId: s.spanContext().spanId,
        parentSpanId: s.parentSpanContext?.spanId ?? s.parentSpanId,
        status: s.status,
        attributes: s.attributes,
        events: s.events.map(e => ({ name: e.name, attributes: e.attributes }))
      };
      fs.appendFileSync(file, JSON.stringify(line) + '\n');
    }
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve()
};

trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(
  new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] })
);
