import { describe, expect, it } from 'vitest';
import { logIndex } from '@coffer/base';
import { encodeTxn, type Txn } from '@coffer/secrets';
import { utf8 } from './bytes.js';
import { encodeKvCommand } from './kv-state-machine.js';
import { decodeOutcome, rawKvPayload, SecretsStateMachine, SEQ_STRIDE, txnPayload } from './secrets-state-machine.js';

const put = (path: string, value: string, checks: Txn['checks'] = []): Uint8Array =>
  txnPayload(encodeTxn({ checks, ops: [{ put: path, value: utf8(value) }], leaderTimeMs: 1 }));

describe('SecretsStateMachine', () => {
  it('applies txns, answers a retried request id from the dedup record, and applies it once', () => {
    const sm = new SecretsStateMachine();
    const id = { clientId: 'c1', seq: 1 };
    const first = sm.apply({ requestId: id, payload: put('logical/a', 'v1') }, logIndex(1));
    expect(decodeOutcome(first.result)).toEqual({ ok: true });
    expect(first.writes.length).toBe(2); // the record + the dedup record
    const retry = sm.apply({ requestId: id, payload: put('logical/a', 'v2') }, logIndex(2));
    expect(retry.writes).toEqual([]);
    expect(new TextDecoder().decode(sm.get('logical/a')?.value)).toBe('v1');
    expect(sm.get('logical/a')?.modIndex).toBe(1);
  });

  it('answers a request retried from its first slot after a later slot applied (leader replaced mid-request); an older request stays stale', () => {
    const sm = new SecretsStateMachine();
    // Request seq 5: slot 0 conflicted on the old leader, slot 1 applied; the retry starts at slot 0.
    const applied = sm.apply({ requestId: { clientId: 'gw', seq: 5 * SEQ_STRIDE + 1 }, payload: put('logical/a', 'v1') }, logIndex(1));
    expect(decodeOutcome(applied.result)).toEqual({ ok: true });
    const retried = sm.apply({ requestId: { clientId: 'gw', seq: 5 * SEQ_STRIDE }, payload: put('logical/a', 'v2') }, logIndex(2));
    expect(retried.writes).toEqual([]);
    expect(decodeOutcome(retried.result)).toEqual({ ok: true });
    expect(new TextDecoder().decode(sm.get('logical/a')?.value)).toBe('v1');
    const older = sm.apply({ requestId: { clientId: 'gw', seq: 4 * SEQ_STRIDE + 3 }, payload: put('logical/a', 'v0') }, logIndex(3));
    expect(decodeOutcome(older.result)).toMatchObject({ ok: false, kind: 'malformed' });
    expect(new TextDecoder().decode(sm.get('logical/a')?.value)).toBe('v1');
  });

  it('captureSnapshot is exactly the state at capture time, however much is applied before it is built', async () => {
    const sm = new SecretsStateMachine();
    for (let i = 1; i <= 3000; i++) sm.apply({ requestId: { clientId: `c${i % 7}`, seq: i }, payload: put(`logical/k${i % 1500}`, `v${i}`) }, logIndex(i));
    const expected = sm.snapshotPairs();
    const build = sm.captureSnapshot();
    for (let i = 3001; i <= 3100; i++) sm.apply({ requestId: { clientId: `c${i % 7}`, seq: i }, payload: put(`logical/k${i % 1500}`, `w${i}`) }, logIndex(i));
    const built = await build();
    expect(built.length).toBe(expected.length);
    expect(built.every(([k, v], i) => Buffer.compare(k, expected[i]?.[0] ?? new Uint8Array()) === 0 && Buffer.compare(v, expected[i]?.[1] ?? new Uint8Array()) === 0)).toBe(true);
    expect(built).not.toEqual(sm.snapshotPairs());
  });

  it('refuses a txn whose check fails, and an init over an existing seal config', () => {
    const sm = new SecretsStateMachine();
    sm.apply({ requestId: { clientId: 'c', seq: 1 }, payload: put('core/seal-config', '{}', [{ path: 'core/seal-config', absent: true }]) }, logIndex(1));
    const again = sm.apply({ requestId: { clientId: 'c', seq: 2 }, payload: put('core/seal-config', 'x', [{ path: 'core/seal-config', absent: true }]) }, logIndex(2));
    expect(decodeOutcome(again.result)).toMatchObject({ ok: false, kind: 'conflict' });
    expect(new TextDecoder().decode(sm.get('core/seal-config')?.value)).toBe('{}');
  });

  it('snapshot -> restore -> load gives the same state, dedup table included', () => {
    const a = new SecretsStateMachine();
    const seen: string[] = [];
    a.apply({ requestId: { clientId: 'c', seq: 1 }, payload: put('core/keyring', 'k') }, logIndex(1));
    a.apply({ requestId: { clientId: 'c', seq: 2 }, payload: rawKvPayload(encodeKvCommand({ op: 'put', key: utf8('x'), value: utf8('y') })) }, logIndex(2));
    const b = new SecretsStateMachine();
    b.onCoreWrite((path) => seen.push(path));
    const pairs = b.restore(a.snapshot());
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(seen).toEqual(['core/keyring']);
    const c = new SecretsStateMachine();
    c.load(pairs);
    expect(c.snapshot()).toEqual(a.snapshot());
    // The dedup record survived: the retry is answered, not applied.
    expect(c.apply({ requestId: { clientId: 'c', seq: 2 }, payload: put('logical/z', 'no') }, logIndex(3)).writes).toEqual([]);
    expect(c.get('logical/z')).toBeUndefined();
    expect(new TextDecoder().decode(c.query(utf8('x')).ok ? (c.query(utf8('x')) as { value: Uint8Array }).value : new Uint8Array())).toBe('y');
  });
});
