/** Test fixtures: one raft message of every type, with awkward values (0, 2^53-1, binary bytes). */
import type { NodeId } from '@coffer/base';
import { logIndex, nodeId, term } from '@coffer/base';
import type { Message, SnapshotMessage } from '@coffer/raft';

export const MAX_U53 = Number.MAX_SAFE_INTEGER;

export function binaryBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Every member of the Message union, from `from` to `to`. */
export function sampleMessages(from: NodeId = nodeId('n1'), to: NodeId = nodeId('n2')): Message[] {
  const h = { from, to, term: term(7) };
  return [
    {
      ...h,
      type: 'append',
      prevIndex: logIndex(41),
      prevTerm: term(6),
      commit: logIndex(40),
      entries: [
        { term: term(7), index: logIndex(42), type: 'normal', data: binaryBytes(1024, 3) },
        { term: term(7), index: logIndex(43), type: 'conf-change', data: new Uint8Array([0, 255, 0, 128]) },
        { term: term(7), index: logIndex(44), type: 'normal', data: new Uint8Array(0) },
      ],
    },
    { ...h, type: 'append', prevIndex: logIndex(0), prevTerm: term(0), commit: logIndex(0), entries: [] },
    { ...h, type: 'append-resp', reject: true, index: logIndex(MAX_U53), hintIndex: logIndex(12), hintTerm: term(3) },
    { ...h, type: 'vote', lastIndex: logIndex(9), lastTerm: term(5), isTransfer: true },
    { ...h, type: 'pre-vote', lastIndex: logIndex(9), lastTerm: term(5), isTransfer: false },
    { ...h, type: 'vote-resp', reject: false },
    { ...h, type: 'pre-vote-resp', reject: true },
    { ...h, type: 'heartbeat', commit: logIndex(40), seq: 17 },
    { ...h, type: 'heartbeat-resp', seq: 17 },
    { ...h, type: 'timeout-now' },
    { ...h, type: 'read-index', ctx: 'req-1' },
    { ...h, type: 'read-index-resp', ctx: 'req-1', index: logIndex(40), reject: false },
  ];
}

export function sampleSnapshot(from: NodeId, to: NodeId, data: Uint8Array): SnapshotMessage {
  return {
    from,
    to,
    term: term(9),
    type: 'snapshot',
    snapshot: {
      meta: { index: logIndex(1000), term: term(8), confState: { voters: [from, to, nodeId('n3')], learners: [nodeId('n4')] } },
      data,
    },
  };
}
