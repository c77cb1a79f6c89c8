import { context } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CommitSpans } from './commit-spans.js';
import { SPANS } from './names.js';
import { extractTraceContext, getTracer, injectTraceContext, inSpan, routeClass } from './tracing.js';
import { spanToJson, tracesExporterFromEnv } from './tracing-setup.js';

describe('routeClass', () => {
  it('keeps the mount and an engine verb or a sys/auth segment, never a secret or key name', () => {
    expect(routeClass('secret/data/app/db')).toBe('secret/data/*');
    expect(routeClass('/secret/metadata/app')).toBe('secret/metadata/*');
    expect(routeClass('secret/app-password')).toBe('secret/*');
    expect(routeClass('sys/health')).toBe('sys/health');
    expect(routeClass('sys/policies/acl/payroll')).toBe('sys/policies/*');
    expect(routeClass('auth/token/lookup-self')).toBe('auth/token/*');
    expect(routeClass('transit/encrypt/payroll-key')).toBe('transit/encrypt/*');
    expect(routeClass('')).toBe('/');
  });
});

describe('OTEL_TRACES_EXPORTER', () => {
  it('accepts console and none, and names the choices otherwise', () => {
    expect(tracesExporterFromEnv({})).toEqual({ ok: true, value: 'none' });
    expect(tracesExporterFromEnv({ OTEL_TRACES_EXPORTER: 'Console' })).toEqual({ ok: true, value: 'console' });
    const bad = tracesExporterFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' });
    expect(bad.ok ? '' : bad.error.message).toMatch(/console .* or none/);
  });
});

describe('without a tracer provider', () => {
  it('injects nothing and opens no commit spans', async () => {
    const spans = new CommitSpans();
    await inSpan(getTracer(), SPANS.handle, { role: 'server' }, async () => {
      expect(injectTraceContext()).toEqual({});
      expect(spans.begin(5, 1)).toBeUndefined();
    });
    expect(spans.size).toBe(0);
  });
});

describe('with a tracer provider', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // Registered only now, after the no-op suite above (suites run in order).
  beforeAll(() => provider.register());
  beforeEach(() => exporter.reset());
  afterAll(() => provider.shutdown());

  it('carries a span across an inject/extract hop as the remote parent', async () => {
    const tracer = getTracer();
    const headers = await inSpan(tracer, SPANS.forward, { role: 'client' }, () => Promise.resolve(injectTraceContext()));
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const parent = extractTraceContext((k) => headers[k]);
    await inSpan(tracer, SPANS.handle, { role: 'server', parent }, () => Promise.resolve());
    const [client, server] = exporter.getFinishedSpans();
    expect(server?.spanContext().traceId).toBe(client?.spanContext().traceId);
    expect(server?.parentSpanContext?.spanId).toBe(client?.spanContext().spanId);
  });

  it('records one commit span per traced proposal with its index and milestones', async () => {
    const spans = new CommitSpans(getTracer());
    await inSpan(getTracer(), SPANS.handle, { role: 'server' }, async () => {
      const span = spans.begin(12, 3);
      spans.mark('persisted', [{ index: 12 }, { index: 13 }]);
      spans.mark('committed', [{ index: 12 }]);
      spans.end(12, span);
    });
    expect(spans.size).toBe(0);
    const commit = exporter.getFinishedSpans().find((s) => s.name === SPANS.commit);
    expect(commit?.attributes).toEqual({ 'coffer.log_index': 12, 'coffer.term': 3 });
    expect(commit?.events.map((e) => e.name)).toEqual(['persisted', 'committed', 'applied']);
    expect(spanToJson(commit!)).toMatchObject({ msg: 'span', name: SPANS.commit });
    // Outside any request span nothing is traced (the Ready loop's own proposals, e.g. no-ops).
    expect(context.with(context.active(), () => spans.begin(14, 3))).toBeUndefined();
  });
});
