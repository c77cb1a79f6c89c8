/**
 * The storage port's contract, run against both MemoryStorage (the core's twin) and
 * LevelRaftStorage, so that the simulation's storage and the real one behave alike. Every case
 * ends by reopening the storage and checking that it reads back exactly the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AssertionError, logIndex, nodeId, term } from '@coffer/base';
import { bootstrapLog } from '@coffer/raft';
import type { ConfState } from '@coffer/raft';
import { THREE_VOTERS, entries, entry, levelFactory, memoryFactory, observe } from './testing/storage-subjects.js';
import type { StorageSubject, SubjectFactory } from './testing/storage-subjects.js';

const UNLIMITED = Number.MAX_SAFE_INTEGER;
const EMPTY_CONF: ConfState = { voters: [], learners: [] };
const i = logIndex;

describe.each([memoryFactory(), levelFactory()])('storage contract: $name', (factory: SubjectFactory) => {
  const open: StorageSubject[] = [];
  const start = async (bootstrap: ConfState | 'join' = 'join'): Promise<StorageSubject> => {
    const s = await factory.open(bootstrap === 'join' ? undefined : bootstrap);
    open.push(s);
    return s;
  };
  /** Asserts that a reopened storage reads exactly as before. */
  const expectDurable = async (s: StorageSubject): Promise<StorageSubject> => {
    const before = observe(s.storage);
    open.splice(open.indexOf(s), 1);
    const again = await s.reopen();
    open.push(again);
    expect(observe(again.storage)).toEqual(before);
    return again;
  };
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    factory.cleanup();
  });

  it('a founding member starts with the bootstrap log: one committed conf-change per member', async () => {
    const s = await start(THREE_VOTERS);
    const boot = bootstrapLog(THREE_VOTERS);
    expect(s.storage.firstIndex()).toBe(1);
    expect(s.storage.lastIndex()).toBe(3);
    expect(s.storage.term(i(0))).toEqual({ ok: true, value: 0 });
    expect(s.storage.entries(i(1), i(4), UNLIMITED)).toEqual({ ok: true, value: boot.entries });
    // The membership travels in the log: the core replays it; the snapshot point has none.
    expect(s.storage.initialState()).toEqual({ hardState: boot.hardState, confState: EMPTY_CONF });
    const snap = s.storage.snapshot();
    expect(snap.ok && snap.value.meta).toEqual({ index: 0, term: 0, confState: EMPTY_CONF });
    await expectDurable(s);
  });

  it('a joining node starts with an empty log, hard state and membership', async () => {
    const s = await start('join');
    expect(s.storage.firstIndex()).toBe(1);
    expect(s.storage.lastIndex()).toBe(0);
    expect(s.storage.initialState()).toEqual({ hardState: { term: 0, vote: null, commit: 0 }, confState: EMPTY_CONF });
    await expectDurable(s);
  });

  it('persists entries and the hard state and reads them back', async () => {
    const s = await start();
    const hardState = { term: term(2), vote: nodeId('n2'), commit: i(2) };
    await s.persist({ hardState, entries: [...entries(1, 2, 1), entry(3, 2, 10, 'conf-change')] });
    expect(s.storage.lastIndex()).toBe(3);
    expect(s.storage.term(i(3))).toEqual({ ok: true, value: 2 });
    const got = s.storage.entries(i(1), i(4), UNLIMITED);
    expect(got.ok && got.value).toEqual([...entries(1, 2, 1), entry(3, 2, 10, 'conf-change')]);
    expect(s.storage.initialState().hardState).toEqual(hardState);
    await expectDurable(s);
  });

  it('answers compacted below the log and unavailable beyond it', async () => {
    const s = await start();
    await s.persist({ entries: entries(1, 3, 1) });
    expect(s.storage.term(i(4))).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(s.storage.entries(i(1), i(5), UNLIMITED)).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(s.storage.entries(i(0), i(2), UNLIMITED)).toMatchObject({ ok: false, error: { kind: 'compacted' } });
    expect(s.storage.entries(i(2), i(2), UNLIMITED)).toEqual({ ok: true, value: [] });
  });

  it.each([
    { maxBytes: 0, count: 1 }, // always at least one entry, even past the limit
    { maxBytes: 9, count: 1 },
    { maxBytes: 20, count: 2 },
    { maxBytes: 29, count: 2 },
    { maxBytes: 30, count: 3 },
    { maxBytes: UNLIMITED, count: 4 },
  ])('entries(lo, hi, $maxBytes) returns $count entries of 10 bytes', async ({ maxBytes, count }) => {
    const s = await start();
    await s.persist({ entries: entries(1, 4, 1, 10) });
    const got = s.storage.entries(i(1), i(5), maxBytes);
    expect(got.ok && got.value.map((e) => e.index)).toEqual([1, 2, 3, 4].slice(0, count));
  });

  it('replaces a conflicting suffix: the old tail beyond the new entries is gone', async () => {
    const s = await start();
    await s.persist({ entries: entries(1, 5, 1) });
    await s.persist({ entries: entries(3, 4, 2) });
    expect(s.storage.lastIndex()).toBe(4);
    expect(s.storage.term(i(2))).toEqual({ ok: true, value: 1 });
    expect(s.storage.term(i(3))).toEqual({ ok: true, value: 2 });
    expect(s.storage.term(i(5))).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    const again = await expectDurable(s);
    await again.persist({ entries: entries(5, 6, 2) });
    expect(again.storage.lastIndex()).toBe(6);
    await expectDurable(again);
  });

  it('refuses an append that would leave a gap', async () => {
    const s = await start();
    await s.persist({ entries: entries(1, 2, 1) });
    await expect(s.persist({ entries: entries(4, 4, 1) })).rejects.toBeInstanceOf(AssertionError);
    expect(s.storage.lastIndex()).toBe(2);
  });

  it('creates snapshots, compacts behind them, and keeps term(firstIndex-1)', async () => {
    const s = await start();
    await s.persist({ entries: [...entries(1, 3, 1), ...entries(4, 6, 2)] });
    const data = new Uint8Array([1, 2, 3]);
    const created = await s.createSnapshot(i(4), THREE_VOTERS, data);
    expect(created.ok && created.value.meta).toEqual({ index: 4, term: 2, confState: THREE_VOTERS });
    expect(await s.createSnapshot(i(4), THREE_VOTERS, data)).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(await s.compact(i(3))).toEqual({ ok: true, value: undefined });
    expect(s.storage.firstIndex()).toBe(4);
    expect(s.storage.term(i(3))).toEqual({ ok: true, value: 1 });
    expect(s.storage.term(i(2))).toMatchObject({ ok: false, error: { kind: 'compacted' } });
    expect(s.storage.entries(i(3), i(5), UNLIMITED)).toMatchObject({ ok: false, error: { kind: 'compacted' } });
    expect(await s.compact(i(3))).toMatchObject({ ok: false, error: { kind: 'compacted' } });
    const snap = s.storage.snapshot();
    expect(snap.ok && Array.from(snap.value.data)).toEqual([1, 2, 3]);
    const again = await expectDurable(s);
    // Appending over the compacted prefix skips what is covered and keeps the rest.
    await again.persist({ entries: entries(2, 7, 2) });
    expect(again.storage.firstIndex()).toBe(4);
    expect(again.storage.lastIndex()).toBe(7);
    await expectDurable(again);
  });

  it('installs an incoming snapshot with the entries after it, replacing the whole log', async () => {
    const s = await start();
    await s.persist({ entries: entries(1, 5, 1) });
    const conf: ConfState = { voters: [nodeId('n1'), nodeId('n2')], learners: [nodeId('n4')] };
    const snapshot = { meta: { index: i(10), term: term(3), confState: conf }, data: new Uint8Array([9, 9]) };
    const hardState = { term: term(3), vote: null, commit: i(10) };
    await s.persist({ snapshot, entries: entries(11, 12, 3), hardState });
    expect(s.storage.firstIndex()).toBe(11);
    expect(s.storage.lastIndex()).toBe(12);
    expect(s.storage.term(i(10))).toEqual({ ok: true, value: 3 });
    expect(s.storage.term(i(5))).toMatchObject({ ok: false, error: { kind: 'compacted' } });
    expect(s.storage.initialState()).toEqual({ hardState, confState: conf });
    const snap = s.storage.snapshot();
    expect(snap.ok && snap.value.meta).toEqual(snapshot.meta);
    await expectDurable(s);
  });

  it('installs a snapshot behind the last index: entries it covers go, none survive unless handed over', async () => {
    const s = await start();
    await s.persist({ entries: entries(1, 8, 1) });
    const snapshot = { meta: { index: i(5), term: term(1), confState: THREE_VOTERS }, data: new Uint8Array(0) };
    await s.persist({ snapshot, entries: [] });
    expect(s.storage.firstIndex()).toBe(6);
    expect(s.storage.lastIndex()).toBe(5);
    await expectDurable(s);
  });
});
