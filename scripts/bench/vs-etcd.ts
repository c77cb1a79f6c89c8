/**
 * Issue 8, `scripts/bench-vs-etcd.sh`: Coffer against etcd 3.4 on the same machine in one run.
 * A 3-member etcd and a 3-node Coffer on loopback, the same load tool (autocannon), value size and
 * concurrency: writes/s, reads/s and p99 (interleaved A/B rounds, as bench-http.ts), then the write
 * gap after a leader SIGKILL for each system (median of --kills, kills alternate between the
 * systems), printed side by side with the Coffer/etcd ratio. Exit 1 if any benchmark request failed.
 *
 * Options: --seconds N (per phase, default 10), --rounds N (3), --connections N (64), --keys N
 * (1000), --kills N (5), --writers N (concurrent write loops in the kill test, 4),
 * --request-timeout-ms N (per write in the kill test, 2000).
 */
import { parseOptions } from './args.js';
import { compare, failedRequests, prefill, printTable, verifyReadBack, type Row } from './compare.js';
import { measureKillGap, writesServed, type KillGap } from './kill-gap.js';
import type { KvSystem } from './kv-system.js';
import { runBench } from './reaper.js';
import { startSystems } from './setup.js';
import { fmtMs, median, ratio } from './stats.js';

const USAGE = 'usage: bench-vs-etcd.sh [--seconds 10] [--rounds 3] [--connections 64] [--keys 1000] [--kills 5] [--writers 4] [--request-timeout-ms 2000]';
const say = (s: string): void => void process.stdout.write(`${s}\n`);

runBench('bench-vs-etcd', async () => {
  const o = parseOptions(process.argv.slice(2), { seconds: 10, rounds: 3, connections: 64, keys: 1000, kills: 5, writers: 4, 'request-timeout-ms': 2000 }, USAGE);
  const { both, coffer, etcd } = await startSystems('bench-vs-etcd', o);
  try {
    await Promise.all(both.map((s) => prefill(s, o.keys)));
    const rows = await compare(both, o);
    printTable(rows);
    const readBack = [...(await verifyReadBack(coffer, o.keys, 20)), ...(await verifyReadBack(etcd, o.keys, 20))];

    say(`leader SIGKILL: ${o.writers} write loops over all members, ${o['request-timeout-ms']} ms per-request timeout, ${o.kills} kills per system (alternating)`);
    const gaps = new Map<string, KillGap[]>();
    for (let k = 0; k < o.kills; k++) {
      for (const system of k % 2 === 0 ? both : [...both].reverse()) {
        await writesServed(system, 30_000);
        const g = await measureKillGap(system, { writers: o.writers, requestTimeoutMs: o['request-timeout-ms'] });
        gaps.set(system.name, [...(gaps.get(system.name) ?? []), g]);
        say(`  kill ${k + 1}/${o.kills} ${system.name.padEnd(6)} leader ${g.victim}: write gap ${fmtMs(g.gapMs)} ms, first write after kill ${fmtMs(g.firstWriteMs)} ms, failed writes ${g.failedWrites}`);
      }
    }
    sideBySide(both, rows, gaps);
    say(`read-back of 20 sampled keys per system: ${readBack.length === 0 ? 'all match' : `${readBack.length} FAILED`}`);
    say(`bench-result ${JSON.stringify({ options: o, rows, gaps: Object.fromEntries(gaps) })}`);
    const problems = [...failedRequests(rows), ...readBack];
    for (const p of problems) process.stderr.write(`bench-vs-etcd: FAILED ${p}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await Promise.all([coffer.close(), etcd.close()]);
  }
});

function sideBySide(systems: readonly KvSystem[], rows: readonly Row[], gaps: ReadonlyMap<string, readonly KillGap[]>): void {
  const row = (name: string, op: 'write' | 'read'): Row | undefined => rows.find((r) => r.system === name && r.op === op);
  const metrics: [string, (name: string) => number][] = [
    ['writes/s (median)', (n) => row(n, 'write')?.reqPerSec.median ?? Number.NaN],
    ['reads/s (median)', (n) => row(n, 'read')?.reqPerSec.median ?? Number.NaN],
    ['write p99 ms', (n) => row(n, 'write')?.p99Ms ?? Number.NaN],
    ['read p99 ms', (n) => row(n, 'read')?.p99Ms ?? Number.NaN],
    ['write gap after leader SIGKILL, median ms', (n) => median((gaps.get(n) ?? []).map((g) => g.gapMs))],
    ['write gap after leader SIGKILL, max ms', (n) => Math.max(...(gaps.get(n) ?? []).map((g) => g.gapMs))],
  ];
  const [a, b] = [systems[0]?.name ?? '', systems[1]?.name ?? ''];
  say(`${''.padEnd(44)}${a.padStart(10)}${b.padStart(10)}${`${a}/${b}`.padStart(14)}`);
  for (const [label, f] of metrics) {
    const [x, y] = [f(a), f(b)];
    const show = (v: number): string => (label.includes('/s') ? v.toFixed(0) : fmtMs(v));
    say(`${label.padEnd(44)}${show(x).padStart(10)}${show(y).padStart(10)}${ratio(x, y).padStart(14)}`);
  }
}
