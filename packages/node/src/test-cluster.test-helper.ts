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
import { NodeRuntime } from './runtime.js';

export interface TestNode {
  readonly id: NodeId;
  readonly rt: NodeRuntime;
  readonly ops: NodeOps;
  readonly sm: KvStateMachine;
  readonly logStore: MemoryLogStore;
}

export const TIMING = { tickMs: 10, electionTicks: 10, heartbeatTicks: 2 } as const;

export async function startNode(
  net: MemoryNetwork,
  id: NodeId,
  storage: MemoryStorage,
  peers: Map<NodeId, string>,
  snapshots = { thresholdEntries: 1000, trailingEntries: 10 },
  seed = 1,
): Promise<TestNode> {
  const logStore = new MemoryLogStore(storage);
  const stateStore = new MemoryStateStore();
  const sm = new KvStateMachine();
  const raft = new Raft({ id, storage, rng: new SeededRng(seed), ...TIMING, preVote: true, checkQuorum: true });
  const rt = new NodeRuntime({
    id,
    selfAddress: `mem:${id}`,
    raft,
    logStore,
    stateStore,
    stateMachine: sm,
    transport: net.transport(id),
    forwarder: net.forwarder(),
    peers,
    timing: TIMING,
    snapshots,
    logger: nullLogger,
  });
  const ops = new NodeOps(rt);
  net.serveProposals(`mem:${id}`, async (req) => {
    const r = await ops.propose({ requestId: req.requestId, payload: req.payload }, true);
    return r.ok ? { ok: true, value: r.value.result } : r;
  });
  await rt.start();
  return { id, rt, ops, sm, logStore };
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
