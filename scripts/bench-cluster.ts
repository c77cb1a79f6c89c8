/**
 * `npm run bench:cluster`: a 3-node cluster of real `coffer server` processes on loopback.
 *   1. committed writes/s, p50/p99, 1 KiB values, 64 concurrent clients (spread over all nodes,
 *      so two thirds are forwarded by a follower; and all sent to the leader);
 *   2. linearizable reads/s, p50/p99, 64 clients spread over all nodes;
 *   3. failover: SIGKILL the leader, time to the first acknowledged write issued after the kill;
 *      median and max over 10 kills.
 * Also scrapes each node's Prometheus endpoint for the event loop's delay under load.
 * Options: --seconds N (per throughput phase, default 8), --kills N (default 10).
 */
import { encodeKvCommand, utf8 } from '@coffer/node';
import { Cluster, freePort, waitFor } from '../test/cluster/harness.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SECONDS = opt('--seconds', 8);
const KILLS = opt('--kills', 10);
const CLIENTS = 64;
const VALUE = 'v'.repeat(1024);

function pct(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}
const fmt = (n: number): string => n.toFixed(1);

interface Phase {
  readonly ops: number;
  readonly errors: number;
  readonly latMs: number[];
  readonly seconds: number;
}

async function runPhase(cluster: Cluster, targets: () => string[], seconds: number, op: (id: string, client: number, seq: number) => Promise<boolean>): Promise<Phase> {
  const latMs: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let seq = 1; performance.now() < end; seq++) {
        const ids = targets();
        const id = ids[c % ids.length] as string;
        const t0 = performance.now();
        if (await op(id, c, seq)) latMs.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  void cluster;
  return { ops: latMs.length, errors, latMs, seconds: (performance.now() - started) / 1000 };
}

function report(name: string, p: Phase): void {
  process.stdout.write(`${name}: ${fmt(p.ops / p.seconds)} ops/s  p50 ${fmt(pct(p.latMs, 50))} ms  p99 ${fmt(pct(p.latMs, 99))} ms  errors ${p.errors}  (${p.ops} ops in ${fmt(p.seconds)} s)\n`);
}

/** The highest term any node reports: a rise during a phase means a leader change under load. */
async function maxTerm(cluster: Cluster, ids: readonly string[]): Promise<number> {
  const sts = await Promise.all(ids.map((id) => cluster.status(id)));
  return Math.max(...sts.map((s) => Number(s?.term ?? 0)));
}

async function scrapeLoopDelay(ports: Map<string, number>): Promise<string> {
  const out: string[] = [];
  for (const [id, port] of ports) {
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('coffer_event_loop_delay_ms'));
      out.push(`${id}=${line?.split(' ').pop() ?? '?'}ms`);
    } catch {
      out.push(`${id}=?`);
    }
  }
  return out.join(' ');
}

async function main(): Promise<void> {
  const cluster = new Cluster();
  const metricsPorts = new Map<string, number>();
  try {
    // Founding members with a Prometheus endpoint each.
    const ids = ['n1', 'n2', 'n3'];
    for (const id of ids) {
      cluster.define(id, await freePort());
      metricsPorts.set(id, await freePort());
    }
    const bootstrap = ids.map((id) => `${id}=${cluster.node(id).address}`).join(',');
    for (const id of ids) cluster.spawn(id, ['--bootstrap', bootstrap, '--metrics-address', `127.0.0.1:${metricsPorts.get(id)}`]);
    let leader = await cluster.waitForLeader(15_000);
    process.stdout.write(`cluster up, leader ${leader}; ${CLIENTS} clients, 1 KiB values, ${SECONDS} s per phase\n`);

    const put = (prefix: string) => async (id: string, c: number, seq: number): Promise<boolean> => {
      const cmd = encodeKvCommand({ op: 'put', key: utf8(`${prefix}${c}/${seq % 500}`), value: utf8(VALUE) });
      return (await cluster.node(id).client.propose({ clientId: `${prefix}${c}`, seq }, cmd, 5000)).ok;
    };
    const termBefore = await maxTerm(cluster, ids);
    report('writes (spread over all nodes)', await runPhase(cluster, () => ids, SECONDS, put('s')));
    process.stdout.write(`  event loop delay p99 under write load: ${await scrapeLoopDelay(metricsPorts)}\n`);
    leader = await cluster.waitForLeader();
    const toLeader = leader;
    report(`writes (all to the leader ${toLeader})`, await runPhase(cluster, () => [toLeader], SECONDS, put('l')));
    const read = async (id: string, c: number, seq: number): Promise<boolean> => {
      const r = await cluster.node(id).client.read(utf8(`s${c}/${seq % 500}`), true, 5000);
      return r.ok || r.error.kind === 'not-found'; // a confirmed read of a key never written
    };
    report('linearizable reads (spread over all nodes)', await runPhase(cluster, () => ids, SECONDS, read));
    process.stdout.write(`leader changes (term increases) during the load phases: ${(await maxTerm(cluster, ids)) - termBefore}\n`);

    // Failover: 8 writers over the surviving nodes; time from SIGKILL to the first ack of a write issued after it.
    const failoverMs: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      leader = await cluster.waitForLeader(15_000);
      const victim = leader;
      const survivors = ids.filter((id) => id !== victim);
      let killedAt = Number.POSITIVE_INFINITY;
      let firstAck = Number.POSITIVE_INFINITY;
      let isStopping = false;
      const writers = Array.from({ length: 8 }, async (_, c) => {
        for (let seq = 1; !isStopping; seq++) {
          const issued = performance.now();
          const id = survivors[(c + seq) % survivors.length] as string;
          const cmd = encodeKvCommand({ op: 'put', key: utf8(`f${k}/${c}`), value: utf8(VALUE) });
          const r = await cluster.node(id).client.propose({ clientId: `f${k}-${c}`, seq }, cmd, 5000);
          if (r.ok && issued >= killedAt) firstAck = Math.min(firstAck, performance.now());
        }
      });
      await new Promise((r) => setTimeout(r, 300)); // let the writers reach steady state
      killedAt = performance.now();
      await cluster.kill(victim, 'SIGKILL');
      await waitFor('a write after the kill', 10_000, () => (firstAck < Number.POSITIVE_INFINITY ? true : undefined), 5);
      isStopping = true;
      await Promise.all(writers);
      failoverMs.push(firstAck - killedAt);
      process.stdout.write(`  kill ${k + 1}: leader ${victim} -> first acknowledged write after ${fmt(firstAck - killedAt)} ms\n`);
      cluster.restart(victim);
      await waitFor(`${victim} back`, 15_000, async () => ((await cluster.status(victim))?.leader_id ? true : undefined));
    }
    process.stdout.write(`failover (SIGKILL leader -> first ack), ${KILLS} kills: median ${fmt(pct(failoverMs, 50))} ms  max ${fmt(Math.max(...failoverMs))} ms\n`);
  } finally {
    await cluster.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench-cluster failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  },
);
