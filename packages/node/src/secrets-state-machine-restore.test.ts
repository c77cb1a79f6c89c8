import { describe, expect, it } from 'vitest';
import { logIndex } from '@coffer/base';
import { encodeTxn } from '@coffer/secrets';
import { encodePairs, fromUtf8, utf8 } from './bytes.js';
import { decodeOutcome, restorePayload, SecretsStateMachine, txnPayload } from './secrets-state-machine.js';

const put = (path: string, value: string): Uint8Array => txnPayload(encodeTxn({ checks: [], ops: [{ put: path, value: utf8(value) }], leaderTimeMs: 1 }));
const text = (sm: SecretsStateMachine, path: string): string | undefined => {
  const e = sm.get(path);
  return e === undefined ? undefined : fromUtf8(e.value);
};

describe('SecretsStateMachine restore entries', () => {
  it('replaces every data record atomically, keeps the dedup table, and notifies core listeners', () => {
    const sm = new SecretsStateMachine();
    sm.apply({ requestId: { clientId: 'c', seq: 1 }, payload: put('core/keyring', 'k1') }, logIndex(1));
    sm.apply({ requestId: { clientId: 'c', seq: 2 }, payload: put('logical/k', 'v1') }, logIndex(2));
    const saved = encodePairs(sm.dataPairs());
    sm.apply({ requestId: { clientId: 'c', seq: 3 }, payload: put('logical/k', 'v2') }, logIndex(3));
    sm.apply({ requestId: { clientId: 'c', seq: 4 }, payload: put('logical/k2', 'x') }, logIndex(4));
    const seen: string[] = [];
    sm.onCoreWrite((p) => seen.push(p));
    const r = sm.apply({ requestId: { clientId: 'op', seq: 1 }, payload: restorePayload(saved) }, logIndex(5));
    expect(decodeOutcome(r.result)).toEqual({ ok: true });
    expect(text(sm, 'logical/k')).toBe('v1');
    expect(sm.get('logical/k2')).toBeUndefined();
    expect(seen).toEqual(['core/keyring']);
    // The batch deletes k2 and rewrites the rest; a replica applying it from scratch agrees.
    expect(r.writes.filter((w) => w.type === 'del').map((w) => fromUtf8(w.key))).toEqual(['f/logical/k2']);
    // Requests applied before the restore are still answered from the dedup record, not re-applied.
    expect(sm.apply({ requestId: { clientId: 'c', seq: 4 }, payload: put('logical/k2', 'again') }, logIndex(6)).writes).toEqual([]);
    expect(sm.get('logical/k2')).toBeUndefined();
  });

  it('refuses content with non-data records or garbage, changing nothing', () => {
    const sm = new SecretsStateMachine();
    sm.apply({ requestId: { clientId: 'c', seq: 1 }, payload: put('logical/k', 'v1') }, logIndex(1));
    const foreign = encodePairs([[utf8('c/someone'), utf8('x')]]);
    for (const content of [foreign, utf8('garbage')]) {
      const r = sm.apply({ requestId: { clientId: 'op', seq: content.length }, payload: restorePayload(content) }, logIndex(2));
      expect(decodeOutcome(r.result)).toMatchObject({ ok: false, kind: 'malformed' });
      expect(r.writes.every((w) => fromUtf8(w.key).startsWith('c/'))).toBe(true);
      expect(text(sm, 'logical/k')).toBe('v1');
    }
  });
});
