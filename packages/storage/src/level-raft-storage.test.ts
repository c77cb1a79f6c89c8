/** LevelRaftStorage behaviour beyond the shared contract: opening, reopening, write ordering and failure. */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AssertionError, logIndex, nodeId, term } from '@coffer/base';
import { bootstrapLog } from '@coffer/raft';
import { LevelRaftStorage } from './level-raft-storage.js';
import { THREE_VOTERS, entries, observe } from './testing/storage-subjects.js';
import { makeTempDir } from './testing/temp-dir.js';

const i = logIndex;

describe('LevelRaftStorage', () => {
  const dirs: string[] = [];
  const opened: LevelRaftStorage[] = [];
  const openAt = async (dir: string, bootstrap = THREE_VOTERS): Promise<LevelRaftStorage> => {
    const s = await LevelRaftStorage.open(dir, { bootstrap });
    opened.push(s);
    return s;
  };
  const fresh = (): string => {
    const dir = makeTempDir();
    dirs.push(dir);
    return dir;
  };
  const closeAll = async (): Promise<void> => {
    for (const s of opened.splice(0)) await s.close();
  };
  afterEach(async () => {
    await closeAll();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reports a fresh directory once, and ignores bootstrap on a directory that has state', async () => {
    const dir = fresh();
    const first = await openAt(dir);
    expect(first.isFresh).toBe(true);
    await closeAll();
    const other = { voters: [nodeId('x')], learners: [] };
    const second = await openAt(dir, other);
    expect(second.isFresh).toBe(false);
    expect(second.entries(i(1), i(second.lastIndex() + 1), Number.MAX_SAFE_INTEGER)).toEqual({ ok: true, value: bootstrapLog(THREE_VOTERS).entries });
  });

  it('refuses a second open of the same directory while it is open', async () => {
    const dir = fresh();
    await openAt(dir);
    await expect(LevelRaftStorage.open(dir)).rejects.toThrow();
  });

  it('reads back plain Uint8Array entry data after a reopen, byte for byte', async () => {
    const dir = fresh();
    const s = await openAt(dir);
    await s.persist({ entries: entries(1, 3, 1, 1024) });
    await closeAll();
    const again = await openAt(dir);
    const got = again.entries(i(1), i(4), Number.MAX_SAFE_INTEGER);
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    // Buffers from LevelDB are normalised at the boundary (Buffer's equals/slice semantics differ).
    expect(got.value.map((e) => e.data.constructor.name)).toEqual(['Uint8Array', 'Uint8Array', 'Uint8Array']);
    expect(got.value).toEqual(entries(1, 3, 1, 1024));
  });

  it('asserts when a second persist starts before the first resolved, and the first still lands', async () => {
    const s = await openAt(fresh());
    const first = s.persist({ entries: entries(1, 2, 1) });
    await expect(s.persist({ entries: entries(3, 3, 1) })).rejects.toBeInstanceOf(AssertionError);
    await first;
    expect(s.lastIndex()).toBe(2);
  });

  it('queues the record of a snapshot behind a persist in flight, and compaction after it', async () => {
    const s = await openAt(fresh());
    const persisted = s.persist({ entries: entries(1, 10, 1) });
    // The snapshot's data file is written beside the queue; its record waits for the persist.
    const snapshot = s.createSnapshot(i(8), THREE_VOTERS, new Uint8Array([1]));
    await persisted;
    expect((await snapshot).ok).toBe(true);
    expect(await s.compact(i(8))).toEqual({ ok: true, value: undefined });
    expect(s.firstIndex()).toBe(9);
  });

  it('does not hold raft persists behind a large snapshot or a compaction', async () => {
    const dir = fresh();
    const s = await openAt(dir);
    for (let lo = 1; lo <= 4000; lo += 500) await s.persist({ entries: entries(lo, lo + 499, 1) });
    const snapshot = s.createSnapshot(i(3900), THREE_VOTERS, new Uint8Array(8 << 20));
    await s.persist({ entries: entries(4001, 4001, 1) });
    expect((await snapshot).ok).toBe(true);
    await s.compact(i(3800));
    expect(s.firstIndex()).toBe(3801);
    await closeAll();
    // After reopening, the compacted entries are gone from the log, the snapshot data is back.
    const again = await openAt(dir);
    expect(again.firstIndex()).toBe(3801);
    expect(again.lastIndex()).toBe(4001);
    const snap = again.snapshot();
    expect(snap.ok && snap.value.data.length).toBe(8 << 20);
  });

  it('refuses to compact past the latest snapshot (those entries would be lost for good)', async () => {
    const s = await openAt(fresh());
    await s.persist({ entries: entries(1, 10, 1) });
    await s.createSnapshot(i(5), THREE_VOTERS, new Uint8Array(0));
    await expect(s.compact(i(6))).rejects.toBeInstanceOf(AssertionError);
    expect(s.firstIndex()).toBe(1);
  });

  it('keeps the mirror unchanged when a write fails, and refuses writes after it', async () => {
    const dir = fresh();
    const s = await LevelRaftStorage.open(dir, { bootstrap: THREE_VOTERS });
    await s.persist({ entries: entries(1, 2, 1), hardState: { term: term(1), vote: null, commit: i(1) } });
    const before = observe(s);
    await s.close(); // every later batch fails
    await expect(s.persist({ entries: entries(3, 3, 1), hardState: { term: term(2), vote: null, commit: i(3) } })).rejects.toThrow();
    expect(observe(s)).toEqual(before);
    await expect(s.compact(i(1))).rejects.toThrow(/storage failed earlier/);
  });

  it('survives many persists, truncations, snapshots and compactions across reopens', async () => {
    const dir = fresh();
    let s = await openAt(dir);
    for (let round = 0; round < 5; round++) {
      const base = s.lastIndex();
      await s.persist({ entries: entries(base + 1, base + 40, round + 1) });
      // A new leader overwrites the last 5 entries.
      await s.persist({ entries: entries(base + 36, base + 38, round + 2), hardState: { term: term(round + 2), vote: null, commit: i(base + 30) } });
      await s.createSnapshot(i(base + 30), THREE_VOTERS, new Uint8Array([round]));
      await s.compact(i(base + 20));
      const before = observe(s);
      await closeAll();
      s = await openAt(dir);
      expect(observe(s)).toEqual(before);
    }
    expect(s.lastIndex()).toBe(bootstrapLog(THREE_VOTERS).entries.length + 5 * 38);
  });
});
