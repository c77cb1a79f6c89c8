/**
 * Collected OTel metrics in the shape of Vault's `sys/metrics` JSON (go-metrics' in-memory sink
 * dump): `Gauges`, `Counters`, `Samples` (histograms), each entry with `Name` and `Labels`.
 * Differences, on purpose: counters are cumulative since the node started (`Value`), not per
 * interval, and names are the Prometheus names of `METRICS` (`coffer_raft_term`), not dotted.
 */
import type { Attributes } from '@opentelemetry/api';
import type { DataPointType, ResourceMetrics } from '@opentelemetry/sdk-metrics';

export interface VaultGauge {
  readonly Name: string;
  readonly Value: number;
  readonly Labels: Record<string, string>;
}

export type VaultCounter = VaultGauge;

export interface VaultSample {
  readonly Name: string;
  readonly Count: number;
  readonly Sum: number;
  readonly Min: number;
  readonly Max: number;
  readonly Mean: number;
  readonly Labels: Record<string, string>;
}

export interface VaultMetricsJson {
  readonly Timestamp: string;
  readonly Gauges: VaultGauge[];
  readonly Points: never[];
  readonly Counters: VaultCounter[];
  readonly Samples: VaultSample[];
}

function labels(attrs: Attributes): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : String(v);
  return out;
}

/** `types` is the SDK's `DataPointType` enum, passed in because the SDK is loaded lazily. */
export function vaultMetricsJson(rm: ResourceMetrics, types: typeof DataPointType, at: Date): VaultMetricsJson {
  const out: VaultMetricsJson = { Timestamp: at.toISOString(), Gauges: [], Points: [], Counters: [], Samples: [] };
  for (const scope of rm.scopeMetrics) {
    for (const m of scope.metrics) {
      const Name = m.descriptor.name;
      if (m.dataPointType === types.GAUGE || (m.dataPointType === types.SUM && !m.isMonotonic)) {
        for (const p of m.dataPoints) out.Gauges.push({ Name, Value: p.value, Labels: labels(p.attributes) });
      } else if (m.dataPointType === types.SUM) {
        for (const p of m.dataPoints) out.Counters.push({ Name, Value: p.value, Labels: labels(p.attributes) });
      } else if (m.dataPointType === types.HISTOGRAM || m.dataPointType === types.EXPONENTIAL_HISTOGRAM) {
        for (const p of m.dataPoints) {
          const { count, sum = 0, min = 0, max = 0 } = p.value;
          out.Samples.push({ Name, Count: count, Sum: sum, Min: min, Max: max, Mean: count === 0 ? 0 : sum / count, Labels: labels(p.attributes) });
        }
      }
    }
  }
  return out;
}
