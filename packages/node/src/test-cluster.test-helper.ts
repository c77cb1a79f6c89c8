/**
 * An in-process cluster of NodeRuntimes over the memory twins, for the runtime's unit tests.
 * (Not a test file itself: vitest includes only *.test.ts.)
 */
import { nodeId, nullLogger, SeededRng, type NodeId } from '@coffer/base';
import { MemoryStorage, Raft } from '@coffer/raft';
import { KvStateMachine } from './kv-state-machine.js';
import { MemoryLogStore, MemoryStateStore } from './memory-twins.js';
import { MemoryNetwork } from './memory-network.js';
import { NodeOps } from './node-ops.js';
import type { StateMachine } from './ports.js';
import { NodeRuntime, type SnapshotPolicy } from './runtime.js';

/** A node over the memory twins with state machine `S`. */
export interface MemoryNode<S extends StateMachine> {
  readonly id: NodeId;
  readonly rt: NodeRuntime;
  readonly ops: NodeOps;
  readonly sm: S;
  readonly logStore: MemoryLogStore;
  readonly stateStore: MemoryStateStore;
}

export type TestNode = MemoryNode<KvStateMachine>;

export const TIMING = { tickMs: 10, electionTicks: 10, heartbeatTicks: 2 } as const;

/** Starts one NodeRuntime on `net`, serving proposals forwarded to it. */
export async function startMemoryNode<S extends StateMachine>(
  net: MemoryNetwork,
  id: NodeId,
  storage: MemoryStorage,
  peers: Map<NodeId, string>,
  o: { readonly sm: S; readonly snapshots: SnapshotPolicy; readonly seed: number },
): Promise<MemoryNode<S>> {
  const logStore = new MemoryLogStore(storage);
  const stateStore = new MemoryStateStore();
  const raft = new Raft({ id, storage, rng: new SeededRng(o.seed), ...TIMING, preVote: true, checkQuorum: true });
  const rt = new NodeRuntime({
    id,
    selfAddress: `mem:${id}`,
    raft,
    logStore,
    stateStore,
    stateMachine: o.sm,
    transport: net.transport(id),
    forwarder: net.forwarder(),
    peers,
    timing: TIMING,
    snapshots: o.snapshots,
    logger: nullLogger,
  });
  const ops = new NodeOps(rt);
  net.serveProposals(`mem:${id}`, async (req) => {
    const r = await ops.propose({ requestId: req.requestId, payload: req.payload }, true);
    return r.ok ? { ok: true, value: r.value.result } : r;
  });
  await rt.start();
  return { id, rt, ops, sm: o.sm, logStore, stateStore };
}

export function startNode(
  net: MemoryNetwork,
  id: NodeId,
  storage: MemoryStorage,
  peers: Map<NodeId, string>,
  snapshots: SnapshotPolicy = { thresholdEntries: 1000, trailingEntries: 10 },
  seed = 1,
): Promise<TestNode> {
  return startMemoryNode(net, id, storage, peers, { sm: new KvStateMachine(), snapshots, seed });
}

export async function startCluster(n: number, snapshots?: { thresholdEntries: number; trailingEntries: number }): Promise<{ net: MemoryNetwork; nodes: TestNode[] }> {
  const net = new MemoryNetwork();
  const ids = Array.from({ length: n }, (_, i) => nodeId(`n${i + 1}`));
  const peers = new Map(ids.map((id) => [id, `mem:${id}`] as const));
  const nodes: TestNode[] = [];
  for (const [i, id] of ids.entries()) {
    nodes.push(await startNode(net, id, MemoryStorage.bootstrap({ voters: ids, learners: [] }), peers, snapshots, i + 1));
  }
  return { net, nodes };
}

/** Polls `cond` every 5 ms until true, failing after `timeoutMs`. */
export async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function leaderOf(nodes: readonly TestNode[]): TestNode | undefined {
  return nodes.find((n) => !n.rt.isStopped && n.rt.roleNow() === 'leader');
}
