import { describe, expect, it } from 'vitest';
import { nodeId } from '@coffer/base';
import { loadProtos } from '@coffer/wire';
import type { RaftMessage } from '@coffer/wire';
import { fromWire, toWire } from './convert.js';
import { binaryBytes, sampleMessages, sampleSnapshot } from './sample-messages.js';

const { Stream } = loadProtos().coffer.raft.v1.RaftPeer.service;

/** Through real protobuf encoding, the way the transport sends it. */
function overTheWire(messages: RaftMessage[]): unknown[] {
  return Stream.requestDeserialize(Stream.requestSerialize({ seq: 1, messages })).messages;
}

describe('toWire / fromWire', () => {
  it('round-trips every message type through protobuf, entry bytes intact', () => {
    const msgs = sampleMessages();
    const decoded = overTheWire(msgs.map(toWire)).map((w) => fromWire(w));
    expect(decoded).toEqual(msgs.map((m) => ({ ok: true, value: m })));
    const first = decoded[0];
    if (!first?.ok || first.value.type !== 'append') throw new Error('expected an append');
    expect(first.value.entries[0]?.data).toEqual(binaryBytes(1024, 3));
    expect(first.value.entries[0]?.data.constructor).toBe(Uint8Array);
  });

  it('round-trips a snapshot header with its data supplied separately', () => {
    const snap = sampleSnapshot(nodeId('n1'), nodeId('n2'), binaryBytes(100));
    const [w] = overTheWire([toWire(snap)]);
    expect(fromWire(w, binaryBytes(100))).toEqual({ ok: true, value: snap });
  });

  const base = { from: 'n1', to: 'n2', term: '3' };
  const hb = { commit: '1', seq: '2' };
  const cases: [string, unknown][] = [
    ['not an object', 'hello'],
    ['no body', { ...base }],
    ['unknown body name', { ...base, body: 'gossip' }],
    ['named body missing', { ...base, body: 'heartbeat' }],
    ['empty from', { ...base, from: '', heartbeat: hb }],
    ['missing to', { from: 'n1', term: '3', heartbeat: hb }],
    ['negative index', { ...base, heartbeat: { commit: '-1', seq: '2' } }],
    ['non-numeric index', { ...base, heartbeat: { commit: 'abc', seq: '2' } }],
    ['fractional number', { ...base, heartbeat: { commit: 1.5, seq: '2' } }],
    ['above MAX_SAFE_INTEGER', { ...base, term: '9007199254740992', heartbeat: hb }],
    ['max uint64', { ...base, heartbeat: { commit: '18446744073709551615', seq: '2' } }],
    ['missing bool', { ...base, vote_resp: {} }],
    ['bad entry type', { ...base, append: { prev_index: '1', prev_term: '1', commit: '1', entries: [{ term: '1', index: '2', type: 'ENTRY_TYPE_X', data: new Uint8Array() }] } }],
    ['entry data not bytes', { ...base, append: { prev_index: '1', prev_term: '1', commit: '1', entries: [{ term: '1', index: '2', type: 0, data: 'AAA=' }] } }],
    ['entries not a list', { ...base, append: { prev_index: '1', prev_term: '1', commit: '1', entries: null } }],
    ['snapshot without conf state', { ...base, snapshot: { index: '1', term: '1', conf_state: null } }],
    ['two bodies', { ...base, heartbeat: hb, timeout_now: {} }],
  ];
  it.each(cases)('rejects a malformed message: %s', (_name, wire) => {
    const r = fromWire(wire);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('invalid-request');
      expect(r.error.message).toMatch(/^malformed raft message: /);
    }
  });

  it('accepts the largest safe integer', () => {
    const r = fromWire({ ...base, heartbeat: { commit: '9007199254740991', seq: '0' } });
    expect(r.ok && r.value.type === 'heartbeat' && r.value.commit).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses to encode a number it cannot represent (our own invariant)', () => {
    const [m] = sampleMessages();
    expect(() => toWire({ ...m!, term: -1 as never })).toThrow(/non-negative safe integer/);
  });
});
