/**
 * Raft core throughput: a 3-node in-memory cluster, 1 KiB proposals, no faults, messages
 * delivered at once, MemoryStorage as the disk. Reports committed entries per second (as applied
 * by the leader) over several runs: median and spread. Run: `npm run bench:raft [-- --entries N --runs R --batch B]`.
 *
 * This measures the core and the Ready loop only: no encoding, no fsync, no network. Nodes
 * snapshot (an empty state) and compact every --compact-every entries, as a real node would.
 */
import { nodeId, SeededRng, type NodeId } from '@coffer/base';
import { MemoryStorage, Raft, type Message } from '@coffer/raft';

interface BenchNode {
  readonly id: NodeId;
  readonly raft: Raft;
  readonly storage: MemoryStorage;
  applied: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function makeCluster(seed: number): BenchNode[] {
  const ids = [nodeId('n1'), nodeId('n2'), nodeId('n3')];
  const rng = new SeededRng(seed);
  return ids.map((id) => {
    const storage = MemoryStorage.bootstrap({ voters: ids, learners: [] });
    const raft = new Raft({ id, storage, rng: rng.fork(), electionTicks: 10, heartbeatTicks: 2, maxSizePerMsg: 1 << 20, maxInflightMsgs: 256 });
    return { id, raft, storage, applied: 0 };
  });
}

/**
 * A real node snapshots and compacts behind its applied index; so does the bench, or the twin's
 * log (and MemoryStorage.append, which copies the retained log) would grow without bound.
 */
const COMPACT_EVERY_ENTRIES = arg('compact-every', 4096);
const EMPTY = new Uint8Array(0);

function maybeCompact(n: BenchNode): void {
  const applied = n.raft.status().applied;
  const snap = n.storage.snapshot();
  if (!snap.ok || applied - snap.value.meta.index < COMPACT_EVERY_ENTRIES) return;
  n.storage.createSnapshot(applied, n.raft.status().confState, EMPTY);
  n.storage.compact(applied);
}

/** Runs Ready loops and delivers messages until the cluster is idle. */
function pump(nodes: readonly BenchNode[], byId: ReadonlyMap<NodeId, BenchNode>): void {
  const inbox: Message[] = [];
  for (let round = 0; round < 10_000; round++) {
    let isBusy = false;
    for (const n of nodes) {
      if (!n.raft.hasReady()) continue;
      isBusy = true;
      const rd = n.raft.ready();
      if (rd.snapshot !== undefined) n.storage.applySnapshot(rd.snapshot);
      if (rd.entries.length > 0) n.storage.append(rd.entries);
      if (rd.hardState !== undefined) n.storage.setHardState(rd.hardState);
      for (const m of rd.messages) inbox.push(m);
      n.applied += rd.committedEntries.length;
      n.raft.advance();
      maybeCompact(n);
    }
    if (inbox.length > 0) isBusy = true;
    for (const m of inbox.splice(0)) byId.get(m.to)?.raft.step(m);
    if (!isBusy) return;
  }
  throw new Error('bench: cluster did not go idle');
}

function runOnce(seed: number, entries: number, batch: number): number {
  const nodes = makeCluster(seed);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const leader = nodes[0];
  if (leader === undefined) throw new Error('no nodes');
  leader.raft.campaign();
  pump(nodes, byId);
  if (leader.raft.status().role !== 'leader') throw new Error('bench: n1 did not become leader');
  const payload = new Uint8Array(1024).fill(7);
  const start = leader.applied;
  const t0 = performance.now();
  let proposed = 0;
  while (proposed < entries) {
    for (let i = 0; i < batch && proposed < entries; i++, proposed++) {
      const r = leader.raft.propose(payload);
      if (!r.ok) throw new Error(`bench: propose failed: ${r.error.kind} ${r.error.message}`);
    }
    pump(nodes, byId);
  }
  const seconds = (performance.now() - t0) / 1000;
  const committed = leader.applied - start;
  if (committed < entries) throw new Error(`bench: only ${committed} of ${entries} entries committed`);
  return committed / seconds;
}

function main(): void {
  const entries = arg('entries', 100_000);
  const runs = arg('runs', 5);
  const batch = arg('batch', 64);
  runOnce(0, entries, batch); // warm-up: a full run, so the JIT has settled before we measure
  const rates: number[] = [];
  for (let r = 1; r <= runs; r++) {
    const rate = runOnce(r, entries, batch);
    rates.push(rate);
    process.stdout.write(`run ${r}: ${Math.round(rate).toLocaleString('en-US')} entries/s\n`);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] ?? 0;
  const min = rates[0] ?? 0;
  const max = rates[rates.length - 1] ?? 0;
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  process.stdout.write(
    `bench:raft 3 nodes, 1 KiB entries, batch ${batch}, ${entries} entries x ${runs} runs: ` +
      `median ${fmt(median)} entries/s (min ${fmt(min)}, max ${fmt(max)}, spread ${((100 * (max - min)) / median).toFixed(1)}%)\n`,
  );
}

main();
