/**
 * Thin helpers over `@opentelemetry/api` only: the instruments a node records. Without an SDK
 * registered (tests, libraries) the API hands out no-op instruments, so recording is free.
 */
import { metrics, type Attributes, type Meter } from '@opentelemetry/api';
import { LATENCY_BUCKETS_MS, METRICS, ROLE_VALUES } from './names.js';
import { statusClass } from './tracing.js';

export type RoleName = keyof typeof ROLE_VALUES;

/** What the node runtime reports; the gauges are read at collection time through `observe`. */
export interface NodeGaugeSource {
  term(): number;
  role(): RoleName;
  commitIndex(): number;
  appliedIndex(): number;
  proposalsInFlight(): number;
  /** One row per follower, only on the leader. */
  followerLag(): readonly { readonly peer: string; readonly entries: number; readonly ms: number }[];
  eventLoopDelayP99Ms(): number;
  /** The barrier's seal state (absent: no `coffer_sealed` gauge). */
  isSealed?(): boolean;
}

export interface NodeMetrics {
  leaderChanged(): void;
  appendDone(durationMs: number, entries: number): void;
  readyRoundDone(durationMs: number): void;
  proposalDone(result: string): void;
  readDone(result: string): void;
  snapshotCreated(bytes: number): void;
  snapshotInstalled(bytes: number): void;
  ticksCaughtUp(ticks: number): void;
  /** One Handle RPC answered with Vault `status` (or failed with an error kind). */
  handleDone(operation: string, status: number | string, durationMs: number, isForwarded: boolean): void;
  /** A standby's forward to the leader finished (`result` = ok or an error kind). */
  forwardDone(result: string): void;
}

/** The gateway's per-request instruments. */
export interface HttpMetrics {
  /** `status`: the Vault status answered, or the error kind of a routing failure. */
  requestDone(operation: string, status: number | string, durationMs: number): void;
}

const msHistogram = (meter: Meter, name: string) =>
  meter.createHistogram(name, { unit: 'ms', advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_MS] } });

const statusLabel = (status: number | string): string => (typeof status === 'number' ? statusClass(status) : status);

export function createHttpMetrics(meter: Meter = metrics.getMeter('coffer-gateway')): HttpMetrics {
  const requests = meter.createCounter(METRICS.httpRequests);
  const latency = msHistogram(meter, METRICS.httpRequestMs);
  return {
    requestDone: (operation, status, durationMs) => {
      const attrs: Attributes = { operation, status: statusLabel(status) };
      requests.add(1, attrs);
      latency.record(durationMs, attrs);
    },
  };
}

export function createNodeMetrics(source: NodeGaugeSource, meter: Meter = metrics.getMeter('coffer-node')): NodeMetrics {
  const gauge = (name: string, read: () => number): void => {
    meter.createObservableGauge(name).addCallback((r) => r.observe(read()));
  };
  gauge(METRICS.raftTerm, () => source.term());
  gauge(METRICS.raftRole, () => ROLE_VALUES[source.role()]);
  gauge(METRICS.raftCommitIndex, () => source.commitIndex());
  gauge(METRICS.raftAppliedIndex, () => source.appliedIndex());
  gauge(METRICS.proposalsInFlight, () => source.proposalsInFlight());
  gauge(METRICS.eventLoopDelayMs, () => source.eventLoopDelayP99Ms());
  const isSealed = source.isSealed?.bind(source);
  if (isSealed !== undefined) gauge(METRICS.sealed, () => (isSealed() ? 1 : 0));
  const lagEntries = meter.createObservableGauge(METRICS.followerLagEntries);
  const lagMs = meter.createObservableGauge(METRICS.followerLagMs);
  meter.addBatchObservableCallback(
    (r) => {
      for (const row of source.followerLag()) {
        const attrs: Attributes = { peer: row.peer };
        r.observe(lagEntries, row.entries, attrs);
        r.observe(lagMs, row.ms, attrs);
      }
    },
    [lagEntries, lagMs],
  );
  const appendMs = msHistogram(meter, METRICS.storageAppendMs);
  const readyMs = msHistogram(meter, METRICS.readyRoundMs);
  const handles = meter.createCounter(METRICS.handleRequests);
  const handleMs = msHistogram(meter, METRICS.handleRequestMs);
  const forwards = meter.createCounter(METRICS.forwardedRequests);
  const appendEntries = meter.createHistogram(METRICS.storageAppendEntries);
  const leaderChanges = meter.createCounter(METRICS.raftLeaderChanges);
  const proposals = meter.createCounter(METRICS.proposalsTotal);
  const reads = meter.createCounter(METRICS.readsTotal);
  const snapshotsCreated = meter.createCounter(METRICS.snapshotsCreated);
  const snapshotsInstalled = meter.createCounter(METRICS.snapshotsInstalled);
  const snapshotBytes = meter.createHistogram(METRICS.snapshotBytes, { unit: 'By' });
  const caughtUp = meter.createCounter(METRICS.ticksCaughtUp);
  return {
    leaderChanged: () => leaderChanges.add(1),
    appendDone: (durationMs, entries) => {
      appendMs.record(durationMs);
      appendEntries.record(entries);
    },
    readyRoundDone: (durationMs) => readyMs.record(durationMs),
    proposalDone: (result) => proposals.add(1, { result }),
    readDone: (result) => reads.add(1, { result }),
    snapshotCreated: (bytes) => {
      snapshotsCreated.add(1);
      snapshotBytes.record(bytes, { kind: 'created' });
    },
    snapshotInstalled: (bytes) => {
      snapshotsInstalled.add(1);
      snapshotBytes.record(bytes, { kind: 'installed' });
    },
    ticksCaughtUp: (ticks) => caughtUp.add(ticks),
    handleDone: (operation, status, durationMs, isForwarded) => {
      const attrs: Attributes = { operation, status: statusLabel(status), forwarded: isForwarded };
      handles.add(1, attrs);
      handleMs.record(durationMs, { operation });
    },
    forwardDone: (result) => forwards.add(1, { result }),
  };
}
