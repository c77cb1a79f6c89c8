/**
 * One load-test run, in order: set up (transit key), warm up, measure while faults are injected,
 * stop the clients, recover every fault, read every written key back, check, report.
 * The cluster is reached only over HTTP and through the `ClusterControl` port.
 */
import { CofferClient } from '@coffer/client';
import { checkDurability, type FinalRead } from './durability-verdict.js';
import { startFaultSchedule } from './fault-schedule.js';
import { watchLeader } from './leader-watch.js';
import { checkLinearizability } from './linearizability-verdict.js';
import type { LoadtestOptions } from './options.js';
import { startProgress, type ProgressStream } from './progress.js';
import { buildReport, FINAL_CLIENT, type LoadtestReport } from './report.js';
import type { ClusterControl, ClusterNode, OpRecord } from './types.js';
import { kvPath, startWorkload, TRANSIT_KEY, valueIdOf } from './workload.js';

export interface RunIo {
  readonly token: string;
  /** Where the progress line goes (stderr). */
  readonly progress?: ProgressStream;
  /** Steps per key for the WGL search (default 2,000,000). */
  readonly stepsPerKey?: number;
}

const SETUP_TIMEOUT_MS = 30_000;
const FINAL_READ_TIMEOUT_MS = 60_000;

export async function runLoadtest(o: LoadtestOptions, control: ClusterControl, io: RunIo): Promise<LoadtestReport> {
  const origin = performance.now();
  const nowMs = (): number => performance.now() - origin;
  const startedAt = new Date().toISOString();
  const nodes = control.nodes();
  await retryFor(SETUP_TIMEOUT_MS, () => anyNode(nodes, io.token, (c) => c.transit.createKey(TRANSIT_KEY)), 'create the transit key');
  const keyPrefix = `loadtest/${startedAt.replace(/[^0-9]/g, '').slice(0, 14)}-${Math.floor(Math.random() * 1e6)}`;

  const w = o.workload;
  const measureStartMs = nowMs() + w.warmupMs;
  const endMs = measureStartMs + w.durationMs;
  // First: it throws for a fault kind the control cannot do, before any load starts.
  let knownLeader: () => string | undefined = () => undefined;
  const faults = startFaultSchedule(control, o.failover, { nowMs, startMs: measureStartMs, endMs }, () => knownLeader());
  const leaders = watchLeader(control, nowMs);
  knownLeader = leaders.current;
  const workload = startWorkload(w, {
    nodes, token: io.token, keyPrefix, nowMs,
    isWarmup: () => nowMs() < measureStartMs,
    shouldStop: () => nowMs() >= endMs,
  });
  const progress = io.progress === undefined ? undefined : startProgress(io.progress, { records: workload.records, nowMs, measureStartMs, endMs, leader: leaders.current });
  await workload.done;
  const runEndMs = Math.min(nowMs(), endMs);
  await faults.stop();
  progress?.stop();

  const written = [...new Set(workload.records.filter((r) => r.kind === 'write' && r.outcome !== 'fail').map((r) => r.key))].sort();
  const finals = await finalReads(nodes, io.token, keyPrefix, written, w.opTimeoutMs, nowMs);
  await leaders.stop();
  const records: OpRecord[] = [...workload.records, ...finals.records];
  const linearizability = checkLinearizability(records, { stepsPerKey: io.stepsPerKey ?? 2_000_000, timeLimitMs: o.checkTimeoutMs, nowMs });
  const durability = checkDurability(workload.records, finals.reads);
  return buildReport({
    startedAt, options: o, nodes, measureStartMs, endMs: runEndMs, records,
    faults: faults.faults, leaders: leaders.samples, linearizability, durability,
  });
}

/**
 * Reads each written key once, after the run, through any node that answers (the cluster may still
 * be electing a leader after the last recovery). Bounded: a key not read in time is reported unread.
 */
async function finalReads(
  nodes: readonly ClusterNode[], token: string, keyPrefix: string, keys: readonly string[], opTimeoutMs: number, nowMs: () => number,
): Promise<{ reads: FinalRead[]; records: OpRecord[] }> {
  const clients = nodes.map((n) => new CofferClient({ address: n.apiUrl, token, timeoutMs: Math.min(opTimeoutMs, 10_000), env: {} }));
  const deadline = nowMs() + FINAL_READ_TIMEOUT_MS;
  const reads: FinalRead[] = [];
  const records: OpRecord[] = [];
  let next = 0;
  const reader = async (lane: number): Promise<void> => {
    let nodeIndex = lane % clients.length;
    while (next < keys.length) {
      const key = keys[next++] as string;
      let value: string | null | undefined;
      while (value === undefined && nowMs() < deadline) {
        const invokeMs = nowMs();
        try {
          value = valueIdOf((await (clients[nodeIndex] as CofferClient).kv.get(kvPath(keyPrefix, key)))?.data);
          records.push({ clientId: FINAL_CLIENT, kind: 'read', key, value, invokeMs, completeMs: nowMs(), outcome: 'ok', node: (nodes[nodeIndex] as ClusterNode).id, isWarmup: false });
        } catch {
          nodeIndex = (nodeIndex + 1) % clients.length;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      reads.push({ key, value });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, Math.max(1, keys.length)) }, (_, i) => reader(i)));
  return { reads, records };
}

async function anyNode<T>(nodes: readonly ClusterNode[], token: string, f: (c: CofferClient) => Promise<T>): Promise<T> {
  let last: unknown;
  for (const n of nodes) {
    try {
      return await f(new CofferClient({ address: n.apiUrl, token, timeoutMs: 10_000, env: {} }));
    } catch (e: unknown) {
      last = e;
    }
  }
  throw last instanceof Error ? last : new Error('no node answered');
}

async function retryFor<T>(timeoutMs: number, f: () => Promise<T>, what: string): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await f();
    } catch (e: unknown) {
      if (performance.now() > deadline) throw new Error(`could not ${what} within ${timeoutMs} ms: ${e instanceof Error ? e.message : String(e)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
