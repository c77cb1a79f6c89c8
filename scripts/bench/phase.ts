/**
 * One load phase with autocannon (programmatic, in this process): `connections` keep-alive
 * connections to one member's HTTP API, each request one op on a key drawn in turn from a key
 * space of `keys` keys (bench/k0..), 1 KiB values. Requests are built once per key up front, so
 * the load generator spends its time sending, not encoding.
 */
import autocannon from 'autocannon';
import type { KvOp, KvSystem } from './kv-system.js';

export interface PhaseOptions {
  readonly seconds: number;
  readonly connections: number;
  readonly keys: number;
}

export interface PhaseResult {
  /** Successful (2xx) responses per second of wall time. */
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly ok: number;
  readonly non2xx: number;
  /** Connection errors and timeouts (autocannon counts timeouts among errors). */
  readonly errors: number;
  /** Requests still in flight when the phase ended (at most `connections` when all is well). */
  readonly unanswered: number;
  /** Status code -> count of the non-2xx answers, for the report. */
  readonly badStatuses: Readonly<Record<string, number>>;
}

export const keyName = (i: number): string => `bench/k${i}`;

export async function runPhase(system: KvSystem, id: string, op: KvOp, o: PhaseOptions): Promise<PhaseResult> {
  // Own header objects: autocannon writes content-length into the headers it is given, which
  // would corrupt any later request sharing the object (fetch then refuses the mismatch).
  const reqs = Array.from({ length: o.keys }, (_, i) => {
    const r = system.request(op, keyName(i));
    return { ...r, headers: { ...r.headers } };
  });
  let next = 0;
  const result = await autocannon({
    url: system.baseUrl(id),
    connections: o.connections,
    duration: o.seconds,
    timeout: 10,
    requests: [{
      setupRequest: (req) => {
        const r = reqs[next++ % reqs.length];
        if (r === undefined) throw new Error('empty key space');
        return { ...req, method: r.method, path: r.path, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) };
      },
    }],
  });
  const wallSeconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const ok = result['2xx'];
  const badStatuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    if (!code.startsWith('2')) badStatuses[code] = (stat as { count: number }).count;
  }
  // autocannon 9 reports requests.sent (not in @types/autocannon 7).
  const sent = (result.requests as { sent?: number }).sent ?? 0;
  const answered = result['1xx'] + ok + result['3xx'] + result['4xx'] + result['5xx'] + result.errors;
  return { reqPerSec: ok / wallSeconds, p50Ms: result.latency.p50, p99Ms: result.latency.p99, ok, non2xx: result.non2xx, errors: result.errors, unanswered: Math.max(0, sent - answered), badStatuses };
}
