/**
 * The DR payloads applied by one SecretsStateMachine (what every node of a cluster runs): the
 * primary's entries in order with the position, exactly once, only on a secondary following that
 * primary, never touching the cluster-local DR record.
 */
import { describe, expect, it } from 'vitest';
import { logIndex } from '@coffer/base';
import { hashSecret, type DrCommand, type DrEntryRecord } from '@coffer/dr-replication';
import { encodeTxn } from '@coffer/secrets';
import { encodePairs, fromUtf8, utf8 } from './bytes.js';
import { decodeDrOutcome, drBatchPayload, drCommandPayload, drSnapshotPayload } from './dr-local-state.js';
import { encodeEnvelope } from './envelope.js';
import { decodeOutcome, SecretsStateMachine, txnPayload } from './secrets-state-machine.js';

const CRED = 'credential-of-dr1-'.padEnd(43, 'x');
let localIndex = 0;
function apply(sm: SecretsStateMachine, payload: Uint8Array): { outcome: ReturnType<typeof decodeDrOutcome>; writes: number } {
  localIndex++;
  const out = sm.apply({ requestId: { clientId: 'local', seq: localIndex }, payload }, logIndex(localIndex));
  return { outcome: decodeDrOutcome(out.result), writes: out.writes.length };
}
const enableSecondary: DrCommand = {
  kind: 'enable-secondary',
  clusterId: 'cluster-S',
  claims: { secondaryId: 'dr1', primaryClusterId: 'cluster-P', primaryAddresses: ['127.0.0.1:1'], epoch: 1, issuedAtMs: 1, expiresAtMs: 2, secret: 's' },
  credential: CRED,
  nowMs: 1,
};
const put = (i: number, seq = i): DrEntryRecord => ({
  index: i,
  term: 1,
  type: 'normal',
  data: encodeEnvelope({ kind: 'command', command: { requestId: { clientId: 'writer', seq }, payload: txnPayload(encodeTxn({ checks: [], ops: [{ put: `logical/k${i}`, value: utf8(`v${i}`) }], leaderTimeMs: 1 })) } }),
});
const drEntry = (i: number, command: DrCommand): DrEntryRecord => ({
  index: i,
  term: 1,
  type: 'normal',
  data: encodeEnvelope({ kind: 'command', command: { requestId: { clientId: 'dr/p1', seq: i }, payload: drCommandPayload(command) } }),
});
const batch = (entries: DrEntryRecord[], primaryClusterId = 'cluster-P'): Uint8Array => drBatchPayload({ primaryClusterId, entries });
const value = (sm: SecretsStateMachine, path: string): string | undefined => {
  const e = sm.get(path);
  return e === undefined ? undefined : fromUtf8(e.value);
};

function secondary(): SecretsStateMachine {
  const sm = new SecretsStateMachine();
  // The secondary's own data before it follows anyone (the first snapshot replaces it).
  sm.apply({ requestId: { clientId: 'own', seq: 1 }, payload: txnPayload(encodeTxn({ checks: [], ops: [{ put: 'logical/own', value: utf8('x') }], leaderTimeMs: 1 })) }, logIndex(++localIndex));
  expect(apply(sm, drCommandPayload(enableSecondary)).outcome).toMatchObject({ ok: true, value: { ok: true } });
  expect(apply(sm, drSnapshotPayload({ primaryClusterId: 'cluster-P', index: 0, term: 0, content: encodePairs([]) })).outcome).toMatchObject({ value: { ok: true } });
  return sm;
}

describe('DR payloads in the secrets state machine', () => {
  it('applies the primary entries with their index, skips its DR commands, no-ops and conf changes, and records the position', () => {
    const sm = secondary();
    expect(sm.get('logical/own')).toBeUndefined();
    const noop: DrEntryRecord = { index: 3, term: 2, type: 'normal', data: new Uint8Array(0) };
    const conf: DrEntryRecord = { index: 4, term: 2, type: 'conf-change', data: Uint8Array.of(9, 9) };
    const r = apply(sm, batch([put(1), drEntry(2, { kind: 'set-stream-state', streamState: 'stream-entries' }), noop, conf, put(5)]));
    expect(r.outcome).toMatchObject({ value: { ok: true, position: { primaryClusterId: 'cluster-P', lastAppliedPrimaryIndex: 5 } } });
    expect(sm.get('logical/k5')).toEqual({ value: utf8('v5'), modIndex: 5 });
    expect(sm.drState()).toMatchObject({ mode: 'secondary', clusterId: 'cluster-S', streamState: 'idle' });
    expect(sm.drPosition()).toEqual({ primaryClusterId: 'cluster-P', lastAppliedPrimaryIndex: 5 });
  });

  it('skips what a re-proposed batch repeats and refuses a gap, changing nothing', () => {
    const sm = secondary();
    apply(sm, batch([put(1), put(2)]));
    // A batch proposed again after a leader change, overlapping: only entry 3 is new.
    expect(apply(sm, batch([put(2), put(3)])).outcome).toMatchObject({ value: { ok: true, position: { lastAppliedPrimaryIndex: 3 } } });
    const gap = apply(sm, batch([put(5)]));
    expect(gap).toMatchObject({ writes: 0, outcome: { value: { ok: false, kind: 'conflict' } } });
    expect(sm.get('logical/k5')).toBeUndefined();
    expect(sm.drPosition()?.lastAppliedPrimaryIndex).toBe(3);
  });

  it('refuses a local write on a secondary (its data is the primary\'s), changing nothing', () => {
    const sm = secondary();
    const out = sm.apply({ requestId: { clientId: 'client', seq: 1 }, payload: txnPayload(encodeTxn({ checks: [], ops: [{ put: 'logical/local', value: utf8('y') }], leaderTimeMs: 3 })) }, logIndex(++localIndex));
    expect(decodeOutcome(out.result)).toMatchObject({ ok: false, kind: 'malformed', message: 'path disabled in replication DR secondary mode' });
    expect(out.writes).toEqual([]);
    expect(sm.get('logical/local')).toBeUndefined();
  });

  it('refuses entries on a cluster that is not a secondary of that primary', () => {
    const standalone = new SecretsStateMachine();
    expect(apply(standalone, batch([put(1)]))).toMatchObject({ writes: 0, outcome: { value: { ok: false, kind: 'conflict' } } });
    const sm = secondary();
    expect(apply(sm, batch([put(1)], 'cluster-X'))).toMatchObject({ writes: 0, outcome: { value: { ok: false, kind: 'conflict' } } });
    expect(sm.get('logical/k1')).toBeUndefined();
  });

  it('after a promote, the cluster writes with its own (lower) indexes', () => {
    const sm = secondary();
    // The primary's indexes (here from 5000 on) run far ahead of this cluster's own log.
    apply(sm, drSnapshotPayload({ primaryClusterId: 'cluster-P', index: 5000, term: 1, content: encodePairs([]) }));
    apply(sm, batch([put(5001)]));
    expect(sm.get('logical/k5001')?.modIndex).toBe(5001);
    const auth = { kind: 'operation-token' as const, tokenHash: hashSecret('op') };
    apply(sm, drCommandPayload({ kind: 'add-operation-token', tokenHash: auth.tokenHash }));
    expect(apply(sm, drCommandPayload({ kind: 'promote', auth, nowMs: 2 })).outcome).toMatchObject({ value: { ok: true, state: { mode: 'primary' } } });
    // A local write at this cluster's index (far below 5001) applies: the data was rebased.
    sm.apply({ requestId: { clientId: 'client', seq: 1 }, payload: txnPayload(encodeTxn({ checks: [], ops: [{ put: 'logical/after', value: utf8('y') }], leaderTimeMs: 3 })) }, logIndex(++localIndex));
    expect(value(sm, 'logical/after')).toBe('y');
    expect(value(sm, 'logical/k5001')).toBe('v5001');
  });
});
