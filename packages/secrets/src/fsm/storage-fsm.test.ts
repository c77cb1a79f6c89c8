import { describe, expect, it } from 'vitest';
import { SeededRng } from '@coffer/base';
import { StorageFsm } from './storage-fsm.js';
import type { StorageWrite } from './storage-fsm.js';
import { encodeTxn } from './txn.js';
import type { Txn, TxnCheck, TxnOp } from './txn.js';

const v = (s: string): Uint8Array => new TextEncoder().encode(s);
const txn = (ops: TxnOp[], checks: TxnCheck[] = [], leaderTimeMs = 1): Txn => ({ checks, ops, leaderTimeMs });

describe('StorageFsm apply', () => {
  it('puts set modIndex to the entry index and return the writes to persist', () => {
    const fsm = new StorageFsm();
    const r = fsm.apply(txn([{ put: 'a', value: v('1') }, { put: 'b', value: v('2') }]), 1);
    expect(r.outcome).toEqual({ ok: true });
    expect(r.writes.map((w) => [w.type, w.key])).toEqual([['put', 'a'], ['put', 'b']]);
    expect(fsm.get('a')).toEqual({ value: v('1'), modIndex: 1 });
    fsm.apply(txn([{ put: 'a', value: v('3') }]), 2);
    expect(fsm.get('a')?.modIndex).toBe(2);
    expect(fsm.get('b')?.modIndex).toBe(1);
    expect(fsm.appliedIndex).toBe(2);
  });

  it('applies nothing when any check fails, names the path, and still consumes the index', () => {
    const fsm = new StorageFsm();
    fsm.apply(txn([{ put: 'a', value: v('1') }]), 1);
    const before = fsm.stateHash();
    const stale = fsm.apply(txn([{ put: 'b', value: v('x') }, { del: 'a' }], [{ path: 'c', absent: true }, { path: 'a', modIndex: 0 + 5 }]), 2);
    expect(stale).toEqual({ outcome: { ok: false, kind: 'conflict', conflict: 'a' }, writes: [] });
    const exists = fsm.apply(txn([{ put: 'b', value: v('x') }], [{ path: 'a', absent: true }]), 3);
    expect(exists.outcome).toMatchObject({ ok: false, conflict: 'a' });
    expect(fsm.get('b')).toBeUndefined();
    expect(fsm.appliedIndex).toBe(3);
    expect(fsm.stateHash()).not.toBe(before); // applied index is part of the state
    expect(fsm.apply(txn([{ put: 'b', value: v('y') }], [{ path: 'a', modIndex: 1 }, { path: 'b', absent: true }]), 4).outcome).toEqual({ ok: true });
  });

  it('refuses to apply an index twice or backwards (a runtime bug)', () => {
    const fsm = new StorageFsm();
    fsm.apply(txn([]), 5);
    expect(() => fsm.apply(txn([]), 5)).toThrow(/does not pass/);
  });

  it('delPrefix removes exactly the subtree, in order, and reports each delete', () => {
    const fsm = new StorageFsm();
    fsm.apply(txn(['m/a', 'm/b/c', 'm0', 'm', 'l/x'].map((p) => ({ put: p, value: v(p) }))), 1);
    const r = fsm.apply(txn([{ delPrefix: 'm/' }]), 2);
    expect(r.writes).toEqual([{ type: 'del', key: 'm/a' }, { type: 'del', key: 'm/b/c' }]);
    expect(fsm.list('').map(([k]) => k)).toEqual(['l/x', 'm', 'm0']);
  });

  it('a malformed command is a typed outcome, not a crash', () => {
    const fsm = new StorageFsm();
    const r = fsm.applyEncoded(new Uint8Array([0xde, 0xad]), 1);
    expect(r.outcome).toMatchObject({ ok: false, kind: 'malformed' });
    expect(fsm.appliedIndex).toBe(1);
  });

  it('lists in code point (UTF-8 byte) order and folds directories', () => {
    const fsm = new StorageFsm();
    const paths = ['k/b', 'k/a', 'k/dir/x', 'k/dir/y/z', 'k/dir.txt', 'k/\uFFFD', 'k/😀', 'k/dir', 'kz'];
    fsm.apply(txn(paths.map((p) => ({ put: p, value: v('') }))), 1);
    expect(fsm.list('k/').map(([k]) => k)).toEqual(['k/a', 'k/b', 'k/dir', 'k/dir.txt', 'k/dir/x', 'k/dir/y/z', 'k/\uFFFD', 'k/😀']);
    expect(fsm.listChildren('k/')).toEqual(['a', 'b', 'dir', 'dir.txt', 'dir/', '\uFFFD', '😀']);
    expect(fsm.listChildren('k/dir/')).toEqual(['x', 'y/']);
    expect(fsm.list('k/', { after: 'k/b', limit: 2 }).map(([k]) => k)).toEqual(['k/dir', 'k/dir.txt']);
  });

  it('a put guard vetoes the whole txn deterministically', () => {
    const fsm = new StorageFsm({ putGuard: (path, stored) => path !== 'core/keyring' || stored === undefined });
    expect(fsm.apply(txn([{ put: 'core/keyring', value: v('k1') }]), 1).outcome).toEqual({ ok: true });
    const r = fsm.apply(txn([{ put: 'x', value: v('') }, { put: 'core/keyring', value: v('k2') }]), 2);
    expect(r.outcome).toEqual({ ok: false, kind: 'rejected', path: 'core/keyring' });
    expect(fsm.get('x')).toBeUndefined();
  });
});

describe('StorageFsm snapshot, restore, load', () => {
  it('restores to an identical state and refuses corrupt snapshots without touching state', () => {
    const a = new StorageFsm();
    a.apply(txn([{ put: 'p/1', value: v('one') }, { put: 'p/2', value: v('two') }]), 3);
    const snap = a.snapshot();
    const b = new StorageFsm();
    expect(b.restore(snap).ok).toBe(true);
    expect(b.stateHash()).toBe(a.stateHash());
    expect(b.appliedIndex).toBe(3);
    const corrupt = Uint8Array.from(snap);
    corrupt[10] = (corrupt[10] ?? 0) ^ 1;
    const before = b.stateHash();
    expect(b.restore(corrupt)).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(b.restore(snap.subarray(0, 5)).ok).toBe(false);
    expect(b.stateHash()).toBe(before);
  });

  it('rebuilds from the persisted writes', () => {
    const a = new StorageFsm();
    const disk = new Map<string, Uint8Array>();
    const persist = (ws: readonly StorageWrite[]): void => ws.forEach((w) => (w.type === 'put' ? disk.set(w.key, w.value) : disk.delete(w.key)));
    persist(a.apply(txn([{ put: 'a', value: v('1') }, { put: 'b/c', value: v('2') }]), 1).writes);
    persist(a.apply(txn([{ delPrefix: 'b/' }, { put: 'd', value: v('3') }]), 2).writes);
    const b = StorageFsm.load([...disk].map(([key, value]) => ({ key, value })), 2);
    expect(b.ok && b.value.stateHash()).toBe(a.stateHash());
  });
});

describe('determinism (issue 5 section 1)', () => {
  function randomCommand(rng: SeededRng, known: string[], index: number): Uint8Array {
    const pick = (): string => (known.length > 0 && rng.next() < 0.6 ? (known[rng.int(0, known.length)] ?? 'x') : `d${rng.int(0, 4)}/k${rng.int(0, 50)}`);
    const checks: TxnCheck[] = [];
    for (let i = rng.int(0, 3); i > 0; i--) checks.push(rng.next() < 0.5 ? { path: pick(), absent: true } : { path: pick(), modIndex: rng.int(1, index + 1) });
    const ops: TxnOp[] = [];
    for (let i = rng.int(1, 5); i > 0; i--) {
      const r = rng.next();
      if (r < 0.7) {
        const value = new Uint8Array(rng.int(0, 64));
        for (let j = 0; j < value.length; j++) value[j] = rng.int(0, 256);
        const p = pick();
        known.push(p);
        ops.push({ put: p, value });
      } else if (r < 0.9) ops.push({ del: pick() });
      else ops.push({ delPrefix: `d${rng.int(0, 4)}/` });
    }
    if (rng.next() < 0.02) return new Uint8Array([1, 2, 3]); // a malformed entry now and then
    return encodeTxn({ checks, ops, leaderTimeMs: 1_700_000_000_000 + index });
  }

  it('two fresh machines and one restored half-way end with the same state hash', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new SeededRng(seed);
      const known: string[] = [];
      const commands = Array.from({ length: 2000 }, (_, i) => randomCommand(rng, known, i + 1));
      const a = new StorageFsm();
      const b = new StorageFsm();
      const c = new StorageFsm();
      let applied = 0;
      commands.forEach((cmd, i) => {
        const ra = a.applyEncoded(cmd, i + 1);
        expect(b.applyEncoded(cmd, i + 1)).toEqual(ra);
        if (ra.outcome.ok) applied++;
        if (i + 1 === 1000) expect(c.restore(a.snapshot()).ok).toBe(true);
        if (i + 1 > 1000) c.applyEncoded(cmd, i + 1);
      });
      expect(applied).toBeGreaterThan(200); // the sequence really changes state
      expect(a.size).toBeGreaterThan(10);
      expect(b.stateHash()).toBe(a.stateHash());
      expect(c.stateHash()).toBe(a.stateHash());
    }
  });
});
