/**
 * Tracer provider set-up for a composition root (`coffer server`). Off by default: no provider is
 * registered, so the API stays a no-op and spans cost nothing. `OTEL_TRACES_EXPORTER=console`
 * registers a NodeTracerProvider (W3C trace-context propagator, AsyncLocalStorage context manager)
 * that writes each finished span as one JSON line to stdout (`{"msg":"span",...}`), next to the
 * server's JSON logs. The SDK is imported lazily, only when tracing is on.
 */
import { cofferError, err, ok, type Result } from '@coffer/base';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

export type TracesExporter = 'console' | 'none';

/** Reads OTEL_TRACES_EXPORTER (unset or empty: none). */
export function tracesExporterFromEnv(env: Readonly<Record<string, string | undefined>>): Result<TracesExporter> {
  const v = (env['OTEL_TRACES_EXPORTER'] ?? '').trim().toLowerCase();
  if (v === '' || v === 'none') return ok('none');
  if (v === 'console') return ok('console');
  return err(cofferError('invalid-request', `OTEL_TRACES_EXPORTER="${v}" is not supported; use console (JSON lines on stdout) or none`));
}

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Registers the global tracer provider for `exporter` (none: registers nothing). Only the first
 * registration in a process takes effect (the API's rule): call it once, from the composition root.
 */
export async function startTracing(exporter: TracesExporter, write: (line: string) => void = (l) => process.stdout.write(l)): Promise<Tracing> {
  if (exporter === 'none') return { shutdown: () => Promise.resolve() };
  const sdk = await import('@opentelemetry/sdk-trace-node');
  const provider = new sdk.NodeTracerProvider({ spanProcessors: [new sdk.BatchSpanProcessor(new JsonLinesSpanExporter(write))] });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

/** One JSON object per span: ids, name, kind, times in ms, attributes, events, status. */
export class JsonLinesSpanExporter implements SpanExporter {
  constructor(private readonly write: (line: string) => void) {}

  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    for (const s of spans) this.write(`${JSON.stringify(spanToJson(s))}\n`);
    done({ code: 0 });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export function spanToJson(s: ReadableSpan): Record<string, unknown> {
  const ms = (t: readonly [number, number]): number => t[0] * 1e3 + t[1] / 1e6;
  return {
    msg: 'span',
    name: s.name,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId ?? '',
    kind: SpanKind[s.kind].toLowerCase(),
    startMs: ms(s.startTime),
    durationMs: ms(s.duration),
    attributes: s.attributes,
    events: s.events.map((e) => ({ name: e.name, atMs: ms(e.time), ...(e.attributes !== undefined ? { attributes: e.attributes } : {}) })),
    status: s.status,
  };
}
