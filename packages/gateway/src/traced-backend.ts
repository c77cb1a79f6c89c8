/**
 * A HandleBackend decorator for observability: one SERVER span `coffer.http.request` per request
 * that reaches the backend, active while the inner backend runs (so `NodeHandleClient` injects its
 * W3C `traceparent` into the Handle call and the node continues the trace), plus the request
 * counter and latency histogram (`coffer_http_requests_total`, `coffer_http_request_ms`).
 *
 * What a span carries: the operation, a path class (`secret/data/*`, never the full path: paths
 * hold secret names), the Vault status or the routing error's kind. Never the body, the token or
 * query values. With no tracer provider or meter provider registered, both are no-ops.
 */
import { ATTRS, createHttpMetrics, getTracer, inSpan, markSpanError, routeClass, SPANS, statusClass, type HttpMetrics, type Tracer } from '@coffer/telemetry';
import type { Result } from '@coffer/base';
import type { HandleBackend, LogicalAnswer, LogicalCall } from './backend.js';

export interface TracedBackendOptions {
  /** Default: the global tracer `coffer-gateway`. */
  readonly tracer?: Tracer;
  /** Default: instruments on the global meter `coffer-gateway`. */
  readonly metrics?: HttpMetrics;
}

export class TracedBackend implements HandleBackend {
  private readonly tracer: Tracer;
  private readonly metrics: HttpMetrics;

  constructor(private readonly inner: HandleBackend, options: TracedBackendOptions = {}) {
    this.tracer = options.tracer ?? getTracer('coffer-gateway');
    this.metrics = options.metrics ?? createHttpMetrics();
  }

  handle(call: LogicalCall): Promise<Result<LogicalAnswer>> {
    const startedMs = performance.now();
    const attributes = { [ATTRS.operation]: call.operation, [ATTRS.route]: routeClass(call.path) };
    return inSpan(this.tracer, SPANS.httpRequest, { role: 'server', attributes }, async (span) => {
      const r = await this.inner.handle(call);
      if (r.ok) {
        span.setAttribute(ATTRS.status, r.value.status);
        if (r.value.status >= 500) markSpanError(span, statusClass(r.value.status));
      } else {
        span.setAttribute(ATTRS.errorKind, r.error.kind);
        markSpanError(span, r.error.kind);
      }
      this.metrics.requestDone(call.operation, r.ok ? r.value.status : r.error.kind, performance.now() - startedMs);
      return r;
    });
  }

  close(): void {
    this.inner.close();
  }
}
