export { METRICS, SPANS, ATTRS, ROLE_VALUES, LATENCY_BUCKETS_MS } from './names.js';
export type { MetricName, SpanName } from './names.js';
export { createNodeMetrics } from './node-metrics.js';
export type { NodeMetrics, NodeGaugeSource, RoleName } from './node-metrics.js';
export { getTracer, withSpan } from './tracing.js';
