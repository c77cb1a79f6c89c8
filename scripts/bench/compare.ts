/**
 * Throughput comparison of two KV systems in one run, interleaved A/B so that machine noise hits
 * both: each round runs write then read phases, alternating which system goes first (round 1
 * A,B; round 2 B,A; ...). Every phase targets the system's current leader. The key space is
 * prefilled first, so every read finds its key; afterwards a sample of keys must read back.
 */
import { send, type KvOp, type KvSystem } from './kv-system.js';
import { keyName, runPhase, type PhaseOptions, type PhaseResult } from './phase.js';
import { fmtMs, median, ratio } from './stats.js';

export interface CompareOptions extends PhaseOptions {
  readonly rounds: number;
}

export interface Row {
  readonly system: string;
  readonly op: KvOp;
  readonly reqPerSec: { readonly median: number; readonly min: number; readonly max: number };
  /** Medians over the rounds of each round's p50/p99. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Phases in which not one request succeeded (a stalled system: the figures mean nothing). */
  readonly emptyPhases: number;
  readonly badStatuses: Readonly<Record<string, number>>;
}

const OPS: readonly KvOp[] = ['write', 'read'];
const PREFILL_ATTEMPTS = 5;
const out = (s: string): void => void process.stdout.write(`${s}\n`);

/**
 * Writes every key once (16 at a time). Setup, not measurement: a failed write is retried (up to
 * PREFILL_ATTEMPTS, each retry reported on stderr); a key that still fails voids the run.
 */
export async function prefill(system: KvSystem, keys: number): Promise<void> {
  const leader = await system.leader();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let i = next++; i < keys; i = next++) {
      for (let attempt = 1; ; attempt++) {
        const r = await send(system, leader, system.request('write', keyName(i)), 20_000);
        if (r !== undefined && r.status < 300) break;
        const why = r === undefined ? 'no answer' : `${r.status} ${r.body.slice(0, 200)}`;
        if (attempt >= PREFILL_ATTEMPTS) throw new Error(`${system.name} prefill of ${keyName(i)} failed ${attempt} times, last: ${why}`);
        process.stderr.write(`${system.name} prefill of ${keyName(i)} failed (${why}), retrying\n`);
      }
    }
  }));
}

/** Reads `sample` keys spread over the key space back from the leader; returns the failures. */
export async function verifyReadBack(system: KvSystem, keys: number, sample: number): Promise<string[]> {
  const leader = await system.leader();
  const failures: string[] = [];
  for (let s = 0; s < Math.min(sample, keys); s++) {
    const k = keyName(Math.floor((s * keys) / Math.min(sample, keys)));
    const r = await send(system, leader, system.request('read', k), 10_000);
    if (r === undefined || r.status !== 200 || !matches(system, r.body)) failures.push(`${system.name} ${k}: ${r === undefined ? 'no answer' : `${r.status}`}`);
  }
  return failures;
}

function matches(system: KvSystem, body: string): boolean {
  try {
    return system.readMatches(body);
  } catch {
    return false; // not JSON
  }
}

export async function compare(systems: readonly KvSystem[], o: CompareOptions): Promise<Row[]> {
  const results = new Map<string, PhaseResult[]>();
  for (let round = 0; round < o.rounds; round++) {
    const order = round % 2 === 0 ? systems : [...systems].reverse();
    for (const op of OPS) {
      for (const system of order) {
        const leader = await system.leader();
        const r = await runPhase(system, leader, op, o);
        const key = `${system.name}/${op}`;
        results.set(key, [...(results.get(key) ?? []), r]);
        out(`  round ${round + 1}/${o.rounds} ${system.name.padEnd(6)} ${op.padEnd(5)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${fmtMs(r.p50Ms)}  p99 ${fmtMs(r.p99Ms)} ms  non-2xx ${r.non2xx}  errors ${r.errors}  in flight at end ${r.unanswered}  (leader ${leader})`);
      }
    }
  }
  const rows: Row[] = [];
  for (const system of systems) {
    for (const op of OPS) {
      const rs = results.get(`${system.name}/${op}`) ?? [];
      const rps = rs.map((r) => r.reqPerSec);
      const badStatuses: Record<string, number> = {};
      for (const r of rs) for (const [c, n] of Object.entries(r.badStatuses)) badStatuses[c] = (badStatuses[c] ?? 0) + n;
      rows.push({
        system: system.name, op,
        reqPerSec: { median: median(rps), min: Math.min(...rps), max: Math.max(...rps) },
        p50Ms: median(rs.map((r) => r.p50Ms)), p99Ms: median(rs.map((r) => r.p99Ms)),
        non2xx: rs.reduce((a, r) => a + r.non2xx, 0), errors: rs.reduce((a, r) => a + r.errors, 0),
        emptyPhases: rs.filter((r) => r.ok === 0).length, badStatuses,
      });
    }
  }
  return rows;
}

export function printTable(rows: readonly Row[]): void {
  out(`${'system'.padEnd(7)}${'op'.padEnd(6)}${'req/s median (min-max)'.padEnd(26)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'non-2xx'.padStart(9)}${'errors'.padStart(8)}`);
  for (const r of rows) {
    const rps = `${r.reqPerSec.median.toFixed(0)} (${r.reqPerSec.min.toFixed(0)}-${r.reqPerSec.max.toFixed(0)})`;
    const bad = Object.keys(r.badStatuses).length > 0 ? `  statuses ${JSON.stringify(r.badStatuses)}` : '';
    out(`${r.system.padEnd(7)}${r.op.padEnd(6)}${rps.padEnd(26)}${fmtMs(r.p50Ms).padStart(8)}${fmtMs(r.p99Ms).padStart(8)}${String(r.non2xx).padStart(9)}${String(r.errors).padStart(8)}${bad}`);
  }
  for (const op of OPS) {
    const c = rows.find((r) => r.system === 'coffer' && r.op === op);
    const e = rows.find((r) => r.system === 'etcd' && r.op === op);
    if (c === undefined || e === undefined) continue;
    out(`coffer/etcd ${op.padEnd(5)}: req/s ${ratio(c.reqPerSec.median, e.reqPerSec.median)}  p50 ${ratio(c.p50Ms, e.p50Ms)}  p99 ${ratio(c.p99Ms, e.p99Ms)}`);
  }
}

/** Failed requests void a benchmark: the problems to report (empty when every request succeeded). */
export function failedRequests(rows: readonly Row[]): string[] {
  return rows
    .filter((r) => r.non2xx > 0 || r.errors > 0 || r.emptyPhases > 0)
    .map((r) => `${r.system} ${r.op}: ${r.non2xx} non-2xx ${JSON.stringify(r.badStatuses)}, ${r.errors} errors/timeouts, ${r.emptyPhases} phase(s) without one successful request`);
}
