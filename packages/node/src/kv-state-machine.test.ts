import { describe, expect, it } from 'vitest';
import { logIndex } from '@coffer/base';
import { fromUtf8, utf8 } from './bytes.js';
import { encodeKvCommand, KV_RESULT, KvStateMachine } from './kv-state-machine.js';

const cmd = (clientId: string, seq: number, payload: Uint8Array) => ({ requestId: { clientId, seq }, payload });
const put = (k: string, v: string) => encodeKvCommand({ op: 'put', key: utf8(k), value: utf8(v) });

describe('KvStateMachine', () => {
  it('applies puts and deletes and emits the store writes with a dedup record', () => {
    const sm = new KvStateMachine();
    const out = sm.apply(cmd('a', 1, put('k', 'v')), logIndex(1));
    expect(out.result[0]).toBe(KV_RESULT.ok);
    expect(out.writes.map((w) => w.type)).toEqual(['put', 'put']);
    const q = sm.query(utf8('k'));
    expect(q.ok && fromUtf8(q.value)).toBe('v');
    const del = sm.apply(cmd('a', 2, encodeKvCommand({ op: 'delete', key: utf8('k') })), logIndex(2));
    expect(del.result[0]).toBe(KV_RESULT.ok);
    expect(sm.query(utf8('k')).ok).toBe(false);
  });

  it('answers a duplicate from the record without writing, and refuses an older request id', () => {
    const sm = new KvStateMachine();
    sm.apply(cmd('a', 5, put('k', '1')), logIndex(1));
    sm.apply(cmd('b', 1, put('k', '2')), logIndex(2));
    const dup = sm.apply(cmd('a', 5, put('k', '1')), logIndex(3));
    expect(dup.writes).toEqual([]);
    expect(dup.result[0]).toBe(KV_RESULT.ok);
    const q = sm.query(utf8('k'));
    expect(q.ok && fromUtf8(q.value)).toBe('2');
    expect(sm.apply(cmd('a', 4, put('k', '0')), logIndex(4)).result[0]).toBe(KV_RESULT.stale);
  });

  it('round-trips through snapshot/restore and through the store pairs, dedup records included', () => {
    const sm = new KvStateMachine();
    for (let i = 0; i < 10; i++) sm.apply(cmd(`c${i % 3}`, i + 1, put(`k${i}`, `v${i}`)), logIndex(i + 1));
    const copy = new KvStateMachine();
    const pairs = copy.restore(sm.snapshot());
    expect(Buffer.from(copy.snapshot())).toEqual(Buffer.from(sm.snapshot()));
    const loaded = new KvStateMachine();
    loaded.load(pairs);
    expect(loaded.apply(cmd('c0', 10, put('k9', 'v9')), logIndex(11)).writes).toEqual([]);
    expect(loaded.size).toBe(10);
  });

  it('answers a malformed command with a result instead of crashing the apply loop', () => {
    const sm = new KvStateMachine();
    expect(sm.apply(cmd('a', 1, Uint8Array.of(9, 9)), logIndex(1)).result[0]).toBe(KV_RESULT.malformed);
  });
});
