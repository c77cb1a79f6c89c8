export { METRICS, SPANS, ATTRS, ROLE_VALUES, LATENCY_BUCKETS_MS } from './names.js';
export type { MetricName, SpanName } from './names.js';
export { createNodeMetrics, createHttpMetrics } from './node-metrics.js';
export type { NodeMetrics, NodeGaugeSource, RoleName, HttpMetrics } from './node-metrics.js';
export {
  getTracer, withSpan, inSpan, markSpanError, injectTraceContext, extractTraceContext, routeClass, statusClass,
} from './tracing.js';
export type { Attributes, Context, Span, Tracer, SpanRole, SpanOptions } from './tracing.js';
export { CommitSpans } from './commit-spans.js';
export { startMetrics, PROMETHEUS_CONTENT_TYPE, JSON_CONTENT_TYPE } from './metrics-source.js';
export type { MetricsFormat, RenderedMetrics, MetricsRenderer, MetricsOptions, MetricsPipeline } from './metrics-source.js';
export { vaultMetricsJson } from './vault-json.js';
export type { VaultMetricsJson, VaultGauge, VaultCounter, VaultSample } from './vault-json.js';
export { startTracing, tracesExporterFromEnv, JsonLinesSpanExporter, spanToJson } from './tracing-setup.js';
export type { TracesExporter, Tracing } from './tracing-setup.js';
