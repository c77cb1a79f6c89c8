/**
 * Node id -> cluster address, replicated through the log (a `peer-address` entry precedes each
 * add-learner) so that every member, and every snapshot, knows how to reach every other member.
 * Stored in the state store under the runtime's reserved prefix 0x00 'p' '/'.
 */
import { nodeId, type NodeId } from '@coffer/base';
import { ByteReader, encodePairs, fromUtf8, utf8 } from './bytes.js';
import { hasPrefix } from './dedup-table.js';
import type { KvPair, KvWrite } from './ports.js';

export const PEER_PREFIX = Uint8Array.of(0, 0x70, 0x2f);

export class PeerDirectory {
  private readonly addresses = new Map<NodeId, string>();

  constructor(initial: ReadonlyMap<NodeId, string> = new Map()) {
    for (const [id, a] of initial) this.addresses.set(id, a);
  }

  get(id: NodeId): string | undefined {
    return this.addresses.get(id);
  }

  all(): ReadonlyMap<NodeId, string> {
    return this.addresses;
  }

  set(id: NodeId, address: string): KvWrite {
    this.addresses.set(id, address);
    return { type: 'put', key: keyOf(id), value: utf8(address) };
  }

  /** Loads the runtime's pairs; returns the pairs that belong to the state machine. */
  loadFrom(pairs: readonly KvPair[]): KvPair[] {
    const rest: KvPair[] = [];
    for (const p of pairs) {
      if (hasPrefix(p[0], PEER_PREFIX)) this.addresses.set(nodeId(fromUtf8(p[0].subarray(PEER_PREFIX.length))), fromUtf8(p[1]));
      else rest.push(p);
    }
    return rest;
  }

  pairs(): KvPair[] {
    return [...this.addresses].map(([id, a]) => [keyOf(id), utf8(a)] as const);
  }
}

function keyOf(id: NodeId): Uint8Array {
  const s = utf8(id);
  const k = new Uint8Array(PEER_PREFIX.length + s.length);
  k.set(PEER_PREFIX);
  k.set(s, PEER_PREFIX.length);
  return k;
}

/** The snapshot payload: the runtime's peer directory, then the state machine's own bytes. */
export function encodeSnapshotData(peers: PeerDirectory, stateMachine: Uint8Array): Uint8Array {
  const head = encodePairs(peers.pairs());
  const out = new Uint8Array(head.length + stateMachine.length);
  out.set(head);
  out.set(stateMachine, head.length);
  return out;
}

export function decodeSnapshotData(data: Uint8Array): { readonly peerPairs: KvPair[]; readonly stateMachine: Uint8Array } {
  if (data.length === 0) return { peerPairs: [], stateMachine: new Uint8Array(0) };
  const r = new ByteReader(data);
  const n = r.u32();
  const peerPairs: KvPair[] = [];
  for (let i = 0; i < n; i++) peerPairs.push([r.bytes().slice(), r.bytes().slice()]);
  return { peerPairs, stateMachine: r.rest() };
}
