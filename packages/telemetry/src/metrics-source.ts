/**
 * The node's metrics pipeline (composition roots only): one MeterProvider whose single reader is
 * a PrometheusExporter, scraped two ways: its own HTTP `/metrics` endpoint when an address is
 * given, and `render(format)` on demand for Vault's `sys/metrics` (Prometheus text or Vault's JSON).
 *
 * The SDK packages are imported lazily, here only: a library importing `@coffer/telemetry` (the
 * gateway, the node) loads just `@opentelemetry/api`.
 */
import type { Meter } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { vaultMetricsJson } from './vault-json.js';

export type MetricsFormat = 'prometheus' | 'json';

export interface RenderedMetrics {
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** What `sys/metrics` calls: the node's metrics, collected now. */
export type MetricsRenderer = (format: MetricsFormat) => Promise<RenderedMetrics>;

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json';

export interface MetricsOptions {
  /** Serve Prometheus `/metrics` on this address too (the exporter's own HTTP server). */
  readonly prometheus?: { readonly host: string; readonly port: number };
  /** The exporter's HTTP server failed (e.g. the port is taken). */
  readonly onError?: (error: Error) => void;
}

export interface MetricsPipeline {
  readonly meterProvider: MeterProvider;
  meter(name: string): Meter;
  readonly render: MetricsRenderer;
  shutdown(): Promise<void>;
}

export async function startMetrics(options: MetricsOptions = {}): Promise<MetricsPipeline> {
  const [sdk, prom] = await Promise.all([import('@opentelemetry/sdk-metrics'), import('@opentelemetry/exporter-prometheus')]);
  const address = options.prometheus;
  const exporter = new prom.PrometheusExporter(
    address === undefined ? { preventServerStart: true } : { host: address.host, port: address.port },
    (e) => {
      if (e !== undefined && e !== null) options.onError?.(e);
    },
  );
  const meterProvider = new sdk.MeterProvider({ readers: [exporter] });
  const serializer = new prom.PrometheusSerializer();
  const encoder = new TextEncoder();
  const render: MetricsRenderer = async (format) => {
    // collect() runs the observable callbacks (raft term, applied index, ...) at this instant.
    const { resourceMetrics } = await exporter.collect();
    if (format === 'prometheus') return { contentType: PROMETHEUS_CONTENT_TYPE, body: encoder.encode(serializer.serialize(resourceMetrics)) };
    const json = vaultMetricsJson(resourceMetrics, sdk.DataPointType, new Date());
    return { contentType: JSON_CONTENT_TYPE, body: encoder.encode(JSON.stringify(json)) };
  };
  return {
    meterProvider,
    meter: (name) => meterProvider.getMeter(name),
    render,
    shutdown: () => meterProvider.shutdown(),
  };
}
