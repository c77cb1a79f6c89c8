/**
 * The report of a run: everything recorded (ops, faults, leader samples) plus the summary and
 * the verdicts. Written as JSON; the HTML and terminal renderings are made from this alone.
 */
import type { DurabilityVerdict } from './durability-verdict.js';
import { exitCodeOf } from './exit-code.js';
import type { LinearizabilityVerdict } from './linearizability-verdict.js';
import type { LoadtestOptions } from './options.js';
import {
  errorsByKind, faultWindows, latencyOf, leaderChanges, summarizeLatency, throughputPerSecond,
  type FaultWindow, type LatencySummary,
} from './stats.js';
import type { ClusterNode, FaultRecord, LeaderSample, OpKind, OpRecord } from './types.js';

export interface RunSummary {
  readonly measuredOps: number;
  readonly measuredSeconds: number;
  readonly throughputOpsPerS: number;
  readonly latency: { readonly all: LatencySummary } & Readonly<Partial<Record<OpKind, LatencySummary>>>;
  /** Acknowledged ops per second of the measured run. */
  readonly throughputPerSecond: readonly number[];
  readonly errorsByKind: Readonly<Record<string, number>>;
  readonly leaderChanges: number;
  readonly faults: readonly FaultWindow[];
}

export interface LoadtestReport {
  readonly version: 1;
  readonly startedAt: string;
  /** The options, without the token. */
  readonly options: Omit<LoadtestOptions, 'token'>;
  readonly nodes: readonly ClusterNode[];
  readonly measureStartMs: number;
  readonly endMs: number;
  readonly faults: readonly FaultRecord[];
  readonly leaders: readonly LeaderSample[];
  readonly summary: RunSummary;
  readonly verdicts: { readonly linearizability: LinearizabilityVerdict; readonly durability: DurabilityVerdict };
  readonly exitCode: number;
  /** Every op, warm-up and final reads included (client `final`). */
  readonly ops: readonly OpRecord[];
  /** Facts from the cluster control (e.g. the spawned processes' ids), for the operator. */
  readonly cluster?: Readonly<Record<string, unknown>>;
}

export interface ReportInput {
  readonly startedAt: string;
  readonly options: LoadtestOptions;
  readonly nodes: readonly ClusterNode[];
  readonly measureStartMs: number;
  readonly endMs: number;
  readonly records: readonly OpRecord[];
  readonly faults: readonly FaultRecord[];
  readonly leaders: readonly LeaderSample[];
  readonly linearizability: LinearizabilityVerdict;
  readonly durability: DurabilityVerdict;
}

export function buildReport(i: ReportInput): LoadtestReport {
  const measured = i.records.filter((r) => !r.isWarmup && r.clientId !== FINAL_CLIENT);
  const ok = measured.filter((r) => r.outcome === 'ok');
  const seconds = Math.max(0.001, (i.endMs - i.measureStartMs) / 1000);
  const latency: Record<string, LatencySummary> = { all: summarizeLatency(ok.map(latencyOf)) };
  for (const kind of ['write', 'read', 'encrypt'] as const) {
    const of = ok.filter((r) => r.kind === kind);
    if (of.length > 0) latency[kind] = summarizeLatency(of.map(latencyOf));
  }
  const { token: _token, ...options } = i.options;
  return {
    version: 1,
    startedAt: i.startedAt,
    options,
    nodes: i.nodes,
    measureStartMs: round(i.measureStartMs),
    endMs: round(i.endMs),
    faults: i.faults,
    leaders: i.leaders,
    summary: {
      measuredOps: measured.length,
      measuredSeconds: round(seconds),
      throughputOpsPerS: round(ok.length / seconds),
      latency: latency as RunSummary['latency'],
      throughputPerSecond: throughputPerSecond(ok, i.measureStartMs, i.endMs),
      errorsByKind: errorsByKind(measured),
      leaderChanges: leaderChanges(i.leaders),
      faults: faultWindows(i.records.filter((r) => r.clientId !== FINAL_CLIENT), i.faults, i.leaders, i.endMs),
    },
    verdicts: { linearizability: i.linearizability, durability: i.durability },
    exitCode: exitCodeOf([i.linearizability.verdict, i.durability.verdict]),
    ops: i.records,
  };
}

/** The client id of the reads made after the run for the durability check. */
export const FINAL_CLIENT = 'final';

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
