/** StateStore: atomic apply with the applied index, ordered reads, snapshot export and import. */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AssertionError, logIndex } from '@coffer/base';
import { LevelRaftStorage } from './level-raft-storage.js';
import type { StateStore } from './state-store.js';
import { makeTempDir } from './testing/temp-dir.js';

const i = logIndex;
const bytes = (...xs: number[]): Uint8Array => new Uint8Array(xs);

describe('StateStore', () => {
  const dirs: string[] = [];
  const opened: LevelRaftStorage[] = [];
  const openStore = async (dir?: string): Promise<{ dir: string; store: StateStore }> => {
    const at = dir ?? makeTempDir();
    if (dir === undefined) dirs.push(at);
    const s = await LevelRaftStorage.open(at);
    opened.push(s);
    return { dir: at, store: s.stateStore };
  };
  const closeAll = async (): Promise<void> => {
    for (const s of opened.splice(0)) await s.close();
  };
  afterEach(async () => {
    await closeAll();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const all = async (store: StateStore, options = {}): Promise<Array<[string, number[]]>> => {
    const out: Array<[string, number[]]> = [];
    for await (const r of store.iterate(options)) out.push([r.key, Array.from(r.value)]);
    return out;
  };

  it('applies puts and deletes with the applied index, and keeps both across a reopen', async () => {
    const { dir, store } = await openStore();
    expect(store.appliedIndex()).toBe(0);
    await store.applyBatch([{ type: 'put', key: 'a', value: bytes(1) }, { type: 'put', key: 'b', value: bytes(2) }], i(1));
    await store.applyBatch([{ type: 'del', key: 'a' }, { type: 'put', key: 'c', value: bytes(3) }], i(2));
    await store.applyBatch([], i(3)); // a no-op entry still moves the applied index
    expect(await store.get('a')).toBeUndefined();
    expect(await store.has('b')).toBe(true);
    expect(await store.has('a')).toBe(false);
    expect(await store.get('c')).toEqual(bytes(3));
    await closeAll();
    const again = (await openStore(dir)).store;
    expect(again.appliedIndex()).toBe(3);
    expect(await all(again)).toEqual([['b', [2]], ['c', [3]]]);
  });

  it('refuses an applied index that does not move forward', async () => {
    const { store } = await openStore();
    await store.applyBatch([], i(5));
    await expect(store.applyBatch([{ type: 'put', key: 'x', value: bytes(1) }], i(5))).rejects.toBeInstanceOf(AssertionError);
    expect(await store.has('x')).toBe(false);
  });

  it('iterates in key order within [gte, lt) up to limit, and stops early on break', async () => {
    const { store } = await openStore();
    const keys = ['k/b', 'k/a', 'j/z', 'k/c', 'l/a', 'k/'];
    await store.applyBatch(keys.map((key, n) => ({ type: 'put' as const, key, value: bytes(n) })), i(1));
    expect((await all(store, { gte: 'k/', lt: 'k0' })).map(([k]) => k)).toEqual(['k/', 'k/a', 'k/b', 'k/c']);
    expect((await all(store, { gte: 'k/a', limit: 2 })).map(([k]) => k)).toEqual(['k/a', 'k/b']);
    const seen: string[] = [];
    for await (const r of store.iterate()) {
      seen.push(r.key);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['j/z', 'k/']);
  });

  it('exports a snapshot that imports into another store exactly, replacing what was there', async () => {
    const { store: source } = await openStore();
    await source.applyBatch([{ type: 'put', key: 'a', value: bytes(1, 2) }, { type: 'put', key: 'é/ü', value: bytes() }], i(7));
    const exported = await source.exportSnapshot();
    expect(exported.appliedIndex).toBe(7);
    const { store: target } = await openStore();
    await target.applyBatch([{ type: 'put', key: 'stale', value: bytes(9) }, { type: 'put', key: 'a', value: bytes(0) }], i(3));
    expect(await target.importSnapshot(exported.data, i(7))).toEqual({ ok: true, value: undefined });
    expect(target.appliedIndex()).toBe(7);
    expect(await all(target)).toEqual([['a', [1, 2]], ['é/ü', []]]);
  });

  it('rejects a corrupt snapshot, one taken at another index, and one behind the applied index', async () => {
    const { store } = await openStore();
    await store.applyBatch([{ type: 'put', key: 'a', value: bytes(1) }], i(4));
    const { data } = await store.exportSnapshot();
    const flipped = data.slice();
    flipped[flipped.length - 6] = (flipped[flipped.length - 6] ?? 0) ^ 0xff;
    expect(await store.importSnapshot(flipped, i(4))).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(await store.importSnapshot(data.subarray(0, data.length - 3), i(4))).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(await store.importSnapshot(data, i(5))).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    await store.applyBatch([{ type: 'put', key: 'b', value: bytes(2) }], i(6));
    expect(await store.importSnapshot(data, i(4))).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(await all(store)).toEqual([['a', [1]], ['b', [2]]]);
  });

  it('exports a consistent view while later applies run', async () => {
    const { store } = await openStore();
    await store.applyBatch(
      Array.from({ length: 200 }, (_, n) => ({ type: 'put' as const, key: `k${String(n).padStart(3, '0')}`, value: bytes(n & 0xff) })),
      i(1),
    );
    const exporting = store.exportSnapshot();
    const applying = store.applyBatch([{ type: 'del', key: 'k000' }, { type: 'put', key: 'zz', value: bytes(1) }], i(2));
    const [exported] = await Promise.all([exporting, applying]);
    const { store: copy } = await openStore();
    expect(await copy.importSnapshot(exported.data, exported.appliedIndex)).toEqual({ ok: true, value: undefined });
    expect(copy.appliedIndex()).toBe(1);
    const keys = (await all(copy)).map(([k]) => k);
    expect(keys).toHaveLength(200);
    expect(keys[0]).toBe('k000');
    expect(keys).not.toContain('zz');
  });
});
