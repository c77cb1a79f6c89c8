/**
 * The workload: N clients, each a loop of one request at a time (a closed loop, as an
 * application thread), over the HTTP API. Every write writes a value no other write uses
 * (`<client>.<counter>`), so a read names the one write it observed and the history can be checked.
 * No retries: the history is what an application would see. After an error a client waits a
 * little (so a dead node is not hammered) and moves to the next node's address, as a client
 * with a list of addresses would.
 */
import { SeededRng } from '@coffer/base';
import { CofferClient } from '@coffer/client';
import { classifyError } from './classify-error.js';
import type { WorkloadOptions } from './options.js';
import type { ClusterNode, OpKind, OpRecord } from './types.js';

export const TRANSIT_KEY = 'loadtest';
const ERROR_PAUSE_MS = 50;

export interface WorkloadRun {
  readonly records: OpRecord[];
  /** Resolves when every client has finished its last request. */
  readonly done: Promise<void>;
  /** Measured (non-warm-up) ops completed so far. */
  measuredOps(): number;
}

export interface WorkloadContext {
  readonly nodes: readonly ClusterNode[];
  readonly token: string;
  /** Path prefix (below the KV mount) of this run's keys, so that earlier runs do not interfere. */
  readonly keyPrefix: string;
  readonly nowMs: () => number;
  readonly isWarmup: () => boolean;
  readonly shouldStop: () => boolean;
  /** Called for every completed op (progress display). */
  readonly onRecord?: (r: OpRecord) => void;
}

export function kvPath(prefix: string, key: string): string {
  return `${prefix}/${key}`;
}

/** The stored secret for a value id: the id plus padding up to the configured size. */
export function secretFor(valueId: string, sizeBytes: number): Record<string, string> {
  return { id: valueId, pad: 'x'.repeat(Math.max(0, sizeBytes - valueId.length)) };
}

export function startWorkload(o: WorkloadOptions, ctx: WorkloadContext): WorkloadRun {
  const records: OpRecord[] = [];
  let measured = 0;
  const clientsByNode = ctx.nodes.map((n) => new CofferClient({ address: n.apiUrl, token: ctx.token, timeoutMs: o.opTimeoutMs, env: {} }));
  const pickKind = (r: number): OpKind => (r < o.readRatio ? 'read' : r < o.readRatio + o.encryptRatio ? 'encrypt' : 'write');

  async function client(index: number): Promise<void> {
    const clientId = `c${index}`;
    const rng = new SeededRng(o.seed + index * 7919);
    const plaintext = 'p'.repeat(o.valueSizeBytes);
    let nodeIndex = index % ctx.nodes.length;
    let counter = 0;
    while (!ctx.shouldStop() && (o.maxOps === null || measured < o.maxOps)) {
      const kind = pickKind(rng.next());
      const key = kind === 'encrypt' ? TRANSIT_KEY : `k${rng.int(0, o.keys)}`;
      const node = ctx.nodes[nodeIndex] as ClusterNode;
      const api = clientsByNode[nodeIndex] as CofferClient;
      const isWarmup = ctx.isWarmup();
      const value = kind === 'write' ? `${clientId}.${++counter}` : null;
      const invokeMs = ctx.nowMs();
      let record: OpRecord;
      try {
        let observed: string | null = value;
        if (kind === 'write') await api.kv.put(kvPath(ctx.keyPrefix, key), secretFor(value as string, o.valueSizeBytes));
        else if (kind === 'read') observed = valueIdOf((await api.kv.get(kvPath(ctx.keyPrefix, key)))?.data);
        else await api.transit.encrypt(TRANSIT_KEY, plaintext);
        record = { clientId, kind, key, value: observed, invokeMs, completeMs: ctx.nowMs(), outcome: 'ok', node: node.id, isWarmup };
      } catch (e: unknown) {
        const c = classifyError(e);
        const errorDetail = (e instanceof Error ? e.message : String(e)).slice(0, 300);
        record = { clientId, kind, key, value, invokeMs, completeMs: ctx.nowMs(), outcome: c.outcome, error: c.label, errorDetail, node: node.id, isWarmup };
      }
      records.push(record);
      if (!isWarmup) measured++;
      ctx.onRecord?.(record);
      if (record.outcome !== 'ok') {
        nodeIndex = (nodeIndex + 1) % ctx.nodes.length;
        await new Promise((r) => setTimeout(r, ERROR_PAUSE_MS));
      }
    }
  }

  const done = Promise.all(Array.from({ length: o.clients }, (_, i) => client(i))).then(() => undefined);
  return { records, done, measuredOps: () => measured };
}

/**
 * The value id in a read secret; null for absent. A secret of another shape is reported as a
 * value that no write of this run wrote (the checker then names it).
 */
export function valueIdOf(data: Record<string, unknown> | null | undefined): string | null {
  if (data === undefined || data === null) return null;
  const id = data['id'];
  return typeof id === 'string' ? id : `<unexpected secret shape: ${Object.keys(data).sort().join(',')}>`;
}
