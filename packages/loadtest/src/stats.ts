/**
 * Numbers of a run, from its records: latency percentiles, throughput per second, windows
 * around each fault, the availability gap after each fault and leader changes. Pure functions over
 * the recorded data, so they are unit-tested on hand-made records.
 */
import type { FaultRecord, LeaderSample, OpRecord } from './types.js';

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Nearest-rank percentile of an ascending array (p in [0, 100]); 0 for an empty one. */
export function percentile(sortedAsc: readonly number[], p: number): number {
  if (sortedAsc.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAsc.length));
  return sortedAsc[Math.min(rank, sortedAsc.length) - 1] as number;
}

export function summarizeLatency(latenciesMs: readonly number[]): LatencySummary {
  const s = [...latenciesMs].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { count: s.length, p50Ms: r(percentile(s, 50)), p95Ms: r(percentile(s, 95)), p99Ms: r(percentile(s, 99)), maxMs: r(s.at(-1) ?? 0) };
}

export const latencyOf = (r: OpRecord): number => r.completeMs - r.invokeMs;

/** Successful ops completed per whole second of the measured run, from `startMs`. */
export function throughputPerSecond(records: readonly OpRecord[], startMs: number, endMs: number): number[] {
  const seconds = Math.max(1, Math.ceil((endMs - startMs) / 1000));
  const out = new Array<number>(seconds).fill(0);
  for (const r of records) {
    if (r.outcome !== 'ok' || r.completeMs < startMs || r.completeMs >= endMs) continue;
    const i = Math.floor((r.completeMs - startMs) / 1000);
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}

export function errorsByKind(records: readonly OpRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) if (r.error !== undefined) out[`${r.kind}:${r.error}`] = (out[`${r.kind}:${r.error}`] ?? 0) + 1;
  return out;
}

/**
 * The longest time without an acknowledged write in [fromMs, toMs): measured between consecutive
 * write acknowledgements, starting from the last one before `fromMs` (the gap that the fault opened
 * began then) and ending at `toMs` at the latest (the next fault's window takes it from there).
 */
export function availabilityGapMs(writeAckTimesAsc: readonly number[], fromMs: number, toMs: number): number {
  let prev = fromMs;
  for (const t of writeAckTimesAsc) {
    if (t <= fromMs) prev = t;
    else break;
  }
  let gap = 0;
  for (const t of writeAckTimesAsc) {
    if (t <= fromMs) continue;
    if (t >= toMs) break; // a gap running past the window is counted up to its end only
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  return round1(Math.max(gap, toMs - prev));
}

/** Leader changes: each sample naming a leader (or term) other than the last one known. */
export function leaderChanges(samples: readonly LeaderSample[], fromMs = -Infinity, toMs = Infinity): number {
  let last: string | null = null;
  let changes = 0;
  for (const s of samples) {
    if (s.leader === null) continue;
    const id = `${s.leader}@${s.term ?? ''}`;
    if (last !== null && id !== last && s.atMs >= fromMs && s.atMs < toMs) changes++;
    last = id;
  }
  return changes;
}

export interface FaultWindow {
  readonly kind: string;
  readonly node: string;
  readonly injectMs: number;
  readonly recoverMs: number | null;
  /** Ops invoked in [injectMs - 1 s, end), end = min(injectMs + 5 s, next fault, run end). */
  readonly latency: LatencySummary;
  readonly errors: number;
  readonly availabilityGapMs: number;
  readonly leaderChanges: number;
  readonly error?: string;
}

export const WINDOW_BEFORE_MS = 1000;
export const WINDOW_AFTER_MS = 5000;

export function faultWindows(records: readonly OpRecord[], faults: readonly FaultRecord[], leaders: readonly LeaderSample[], runEndMs: number): FaultWindow[] {
  const acks = records.filter((r) => r.kind === 'write' && r.outcome === 'ok').map((r) => r.completeMs).sort((a, b) => a - b);
  return faults.map((f, i) => {
    const next = faults[i + 1]?.injectMs ?? runEndMs;
    const from = f.injectMs - WINDOW_BEFORE_MS;
    const to = Math.min(f.injectMs + WINDOW_AFTER_MS, next);
    const inWindow = records.filter((r) => r.invokeMs >= from && r.invokeMs < to);
    return {
      kind: f.kind,
      node: f.node,
      injectMs: round1(f.injectMs),
      recoverMs: f.recoverMs === null ? null : round1(f.recoverMs),
      latency: summarizeLatency(inWindow.filter((r) => r.outcome === 'ok').map(latencyOf)),
      errors: inWindow.filter((r) => r.outcome !== 'ok').length,
      availabilityGapMs: availabilityGapMs(acks, f.injectMs, next),
      // The last fault's new leader may be elected after the clients stopped: count until the samples end.
      leaderChanges: leaderChanges(leaders, f.injectMs, faults[i + 1]?.injectMs ?? Infinity),
      ...(f.error === undefined ? {} : { error: f.error }),
    };
  });
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
