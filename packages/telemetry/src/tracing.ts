import { SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { SpanName } from './names.js';

export function getTracer(name = 'coffer'): Tracer {
  return trace.getTracer(name);
}

/** Runs `fn` inside a span that ends when it settles; errors mark the span (message only, no payloads). */
export async function withSpan<T>(tracer: Tracer, name: SpanName, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, async (span) => {
    try {
      return await fn();
    } catch (e: unknown) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.name : 'error' });
      throw e;
    } finally {
      span.end();
    }
  });
}
