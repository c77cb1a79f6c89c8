/**
 * Two in-process clusters for the DR port tests: NodeRuntimes over the memory twins with the
 * real SecretsStateMachine, each node with its DR ports (entry source, primary node, sink).
 * (Not a test file itself: vitest includes only *.test.ts.)
 */
import { nodeId, type NodeId } from '@coffer/base';
import { hashSecret, type DrCommand, type DrState } from '@coffer/dr-replication';
import { MemoryStorage } from '@coffer/raft';
import { encodeTxn } from '@coffer/secrets';
import { utf8 } from './bytes.js';
import { RaftEntrySink } from './dr-entry-sink.js';
import { RaftEntrySource } from './dr-entry-source.js';
import { RaftDrPrimaryNode } from './dr-primary-node.js';
import { DrProposer } from './dr-propose.js';
import type { MemoryStateStore } from './memory-twins.js';
import { MemoryNetwork } from './memory-network.js';
import type { NodeOps } from './node-ops.js';
import type { NodeRuntime } from './runtime.js';
import { decodeOutcome, SecretsStateMachine, txnPayload } from './secrets-state-machine.js';
import { startMemoryNode, waitUntil } from './test-cluster.test-helper.js';

export interface DrTestNode {
  readonly id: NodeId;
  readonly rt: NodeRuntime;
  readonly ops: NodeOps;
  readonly sm: SecretsStateMachine;
  readonly stateStore: MemoryStateStore;
  readonly source: RaftEntrySource;
  readonly drNode: RaftDrPrimaryNode;
  readonly sink: RaftEntrySink;
}

export interface DrTestCluster {
  readonly clusterId: string;
  readonly nodes: DrTestNode[];
  /** DR address per node id (tests fill it in once their gRPC servers listen). */
  readonly drAddresses: Map<NodeId, string>;
  leader(): Promise<DrTestNode>;
  stop(): Promise<void>;
}

export async function startDrCluster(clusterId: string, snapshots = { thresholdEntries: 100_000, trailingEntries: 10 }): Promise<DrTestCluster> {
  const net = new MemoryNetwork();
  const ids = Array.from({ length: 3 }, (_, i) => nodeId(`${clusterId}-n${i + 1}`));
  const peers = new Map(ids.map((id) => [id, `mem:${id}`] as const));
  const drAddresses = new Map<NodeId, string>();
  const nodes: DrTestNode[] = [];
  for (const [i, id] of ids.entries()) {
    const storage = MemoryStorage.bootstrap({ voters: ids, learners: [] });
    const { rt, ops, sm, stateStore } = await startMemoryNode(net, id, storage, peers, { sm: new SecretsStateMachine(), snapshots, seed: i + 1 });
    const proposer = new DrProposer(rt, ops);
    const drNode = new RaftDrPrimaryNode({ rt, sm, proposer, clusterId: () => clusterId, drAddressOf: (n) => drAddresses.get(n) });
    nodes.push({ id, rt, ops, sm, stateStore, source: new RaftEntrySource(rt, sm), drNode, sink: new RaftEntrySink(sm, proposer) });
  }
  const leader = async (): Promise<DrTestNode> => {
    await waitUntil(() => nodes.some((n) => !n.rt.isStopped && n.rt.roleNow() === 'leader'), 5_000, `a leader in ${clusterId}`);
    const l = nodes.find((n) => !n.rt.isStopped && n.rt.roleNow() === 'leader');
    if (l === undefined) throw new Error('no leader');
    return l;
  };
  const stop = async (): Promise<void> => {
    for (const n of nodes) await n.rt.stop();
  };
  return { clusterId, nodes, drAddresses, leader, stop };
}

export const CREDENTIAL = 'credential-of-dr1-'.padEnd(43, 'x');
const T0 = 1_700_000_000_000;

/** Proposes DR commands on the cluster's leader, in order; throws on any refusal. */
export async function proposeAll(c: DrTestCluster, commands: readonly DrCommand[]): Promise<DrState> {
  let last: DrState | undefined;
  for (const command of commands) {
    const r = await (await c.leader()).drNode.propose(command);
    if (!r.ok) throw new Error(`${command.kind} refused: ${r.error.message}`);
    last = r.value;
  }
  if (last === undefined) throw new Error('no command');
  return last;
}

/** Makes `primary` a DR primary with an active secondary `dr1`, and `secondary` its secondary. */
export async function linkClusters(primary: DrTestCluster, secondary: DrTestCluster): Promise<void> {
  const secretHash = hashSecret('one-time-secret');
  const p = await proposeAll(primary, [
    { kind: 'enable-primary', clusterId: primary.clusterId, nowMs: T0 },
    { kind: 'issue-secondary-token', secondaryId: 'dr1', secretHash, nowMs: T0, ttlMs: 3_600_000 },
    { kind: 'activate-secondary', secondaryId: 'dr1', secretHash, credentialHash: hashSecret(CREDENTIAL), nowMs: T0 },
  ]);
  const claims = {
    secondaryId: 'dr1',
    primaryClusterId: primary.clusterId,
    primaryAddresses: primary.nodes.map((n) => primary.drAddresses.get(n.id) ?? ''),
    epoch: p.epoch,
    issuedAtMs: T0,
    expiresAtMs: T0 + 3_600_000,
    secret: 'unused-here',
  };
  await proposeAll(secondary, [{ kind: 'enable-secondary', clusterId: secondary.clusterId, claims, credential: CREDENTIAL, nowMs: T0 }]);
}

/** Writes `count` secrets records on the cluster's leader (one txn each), from `first`. */
export async function writeRecords(c: DrTestCluster, first: number, count: number): Promise<void> {
  for (let i = first; i < first + count; i++) {
    const payload = txnPayload(encodeTxn({ checks: [], ops: [{ put: `logical/k${i}`, value: utf8(`v${i}`) }], leaderTimeMs: T0 + i }));
    const r = await (await c.leader()).ops.propose({ requestId: { clientId: 'writer', seq: i }, payload }, false);
    if (!r.ok) throw new Error(`write ${i} failed: ${r.error.message}`);
    const o = decodeOutcome(r.value.result);
    if (!o.ok) throw new Error(`write ${i} refused: ${o.kind}`);
  }
}
