/**
 * Concurrent writers through the node API. Each writer is one client id issuing one request at a
 * time with an increasing seq; on an error it retries the SAME seq (on the next running node), so
 * dedup makes the retry apply at most once. Every acknowledged write is recorded for the checks.
 */
import { encodeKvCommand, utf8 } from '@coffer/node';
import type { Cluster } from './harness.js';

export interface WriteLog {
  /** key -> value of every acknowledged put. */
  readonly acked: Map<string, string>;
  readonly latenciesMs: number[];
  errors: number;
  /** Time of every acknowledgement (performance.now()), for gap measurements. */
  readonly ackTimes: number[];
}

export interface Writers {
  readonly log: WriteLog;
  /** Stops issuing new writes and waits for the writers to finish their current one. */
  stop(): Promise<void>;
}

export function startWriters(cluster: Cluster, count: number, opts: { prefix?: string; valueBytes?: number; targets?: () => readonly string[] } = {}): Writers {
  const log: WriteLog = { acked: new Map(), latenciesMs: [], errors: 0, ackTimes: [] };
  let isStopping = false;
  const prefix = opts.prefix ?? 'w';
  const pad = 'x'.repeat(opts.valueBytes ?? 16);
  const targets = opts.targets ?? (() => cluster.running().map((n) => n.id));
  const loops = Array.from({ length: count }, async (_, w) => {
    const clientId = `${prefix}${w}-${process.pid}`;
    let turn = w;
    // Bounded: each writer stops when asked; each request gives up after 200 attempts.
    for (let seq = 1; !isStopping; seq++) {
      const key = `${prefix}${w}/${seq}`;
      const value = `${seq}:${pad}`;
      const cmd = encodeKvCommand({ op: 'put', key: utf8(key), value: utf8(value) });
      const started = performance.now();
      for (let attempt = 0; attempt < 200; attempt++) {
        const ids = targets();
        const id = ids[turn++ % Math.max(1, ids.length)];
        if (id === undefined) break;
        const r = await cluster.node(id).client.propose({ clientId, seq }, cmd, 3000);
        if (r.ok) {
          log.acked.set(key, value);
          log.latenciesMs.push(performance.now() - started);
          log.ackTimes.push(performance.now());
          break;
        }
        log.errors++;
        if (isStopping) break;
        await new Promise((res) => setTimeout(res, 10));
      }
    }
  });
  return {
    log,
    stop: async () => {
      isStopping = true;
      await Promise.all(loops);
    },
  };
}

/** Reads every acknowledged key on node `id` (linearizable) and returns the keys that are wrong. */
export async function missingOn(cluster: Cluster, id: string, acked: ReadonlyMap<string, string>): Promise<string[]> {
  const wrong: string[] = [];
  const keys = [...acked.keys()];
  // 32 reads in flight keeps this quick without overwhelming a 2-core box.
  for (let i = 0; i < keys.length; i += 32) {
    await Promise.all(
      keys.slice(i, i + 32).map(async (k) => {
        const r = await cluster.node(id).client.read(utf8(k), false, 5000);
        if (!r.ok || Buffer.from(r.value).toString('utf8') !== acked.get(k)) wrong.push(k);
      }),
    );
  }
  return wrong;
}
