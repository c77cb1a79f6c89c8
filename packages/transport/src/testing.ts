/**
 * Helpers for this package's tests: a few transports on loopback that know each other, each with
 * an inbox, and a bounded wait for a condition (tests never sleep to let a race resolve).
 */
import type { NodeId } from '@coffer/base';
import { MemoryLogger, logIndex, nodeId, term } from '@coffer/base';
import type { Message } from '@coffer/raft';
import type { RaftTransportOptions } from './options.js';
import { RaftTransport } from './raft-transport.js';

export interface TestNode {
  readonly id: NodeId;
  readonly transport: RaftTransport;
  readonly inbox: Message[];
  readonly unreachable: NodeId[];
  readonly snapshotStatus: { peer: NodeId; isOk: boolean }[];
  readonly logger: MemoryLogger;
  readonly address: string;
  readonly port: number;
}

export type NodeOptions = Partial<Omit<RaftTransportOptions, 'nodeId'>>;

export async function startNode(id: string, options: NodeOptions = {}): Promise<TestNode> {
  const logger = new MemoryLogger();
  const transport = new RaftTransport({
    nodeId: nodeId(id),
    clusterId: 'c1',
    listenAddress: '127.0.0.1:0',
    peers: {},
    reconnectInitialMs: 10,
    reconnectMaxMs: 100,
    logger,
    ...options,
  });
  const node = wire(id, transport, logger);
  const { port } = await transport.start();
  return { ...node, address: `127.0.0.1:${port}`, port };
}

function wire(id: string, transport: RaftTransport, logger: MemoryLogger): Omit<TestNode, 'address' | 'port'> {
  const inbox: Message[] = [];
  const unreachable: NodeId[] = [];
  const snapshotStatus: { peer: NodeId; isOk: boolean }[] = [];
  transport.onMessage((m) => inbox.push(m));
  transport.onUnreachable((p) => unreachable.push(p));
  transport.onSnapshotStatus((peer, isOk) => snapshotStatus.push({ peer, isOk }));
  return { id: nodeId(id), transport, inbox, unreachable, snapshotStatus, logger };
}

/** Starts one transport per id and gives each the others' addresses. */
export async function startCluster(ids: readonly string[], options: (id: string) => NodeOptions = () => ({})): Promise<TestNode[]> {
  const nodes = await Promise.all(ids.map((id) => startNode(id, options(id))));
  const peers = Object.fromEntries(nodes.map((n) => [n.id, n.address]));
  for (const n of nodes) n.transport.setPeers(peers);
  return nodes;
}

export async function closeAll(nodes: readonly TestNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.transport.close()));
}

/** Polls `condition` every few ms; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function heartbeat(from: NodeId, to: NodeId, seq: number): Message {
  return { from, to, term: term(1), type: 'heartbeat', commit: logIndex(0), seq };
}
