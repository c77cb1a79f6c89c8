/**
 * In-memory twins of the durable ports, for the runtime's unit tests. They keep the same
 * contracts (a persist is all-or-nothing; the applied index moves with its batch).
 */
import { assert, logIndex, type LogIndex } from '@coffer/base';
import { MemoryStorage, type ConfState } from '@coffer/raft';
import { compareBytes, toHex, fromHex } from './bytes.js';
import type { KvPair, KvWrite, LogStore, PersistBatch, StateStore } from './ports.js';

export class MemoryLogStore implements LogStore {
  readonly raftStorage: MemoryStorage;
  persistCount = 0;
  constructor(storage: MemoryStorage) {
    this.raftStorage = storage;
  }
  persist(batch: PersistBatch): Promise<void> {
    if (batch.snapshot !== undefined) {
      const r = this.raftStorage.applySnapshot(batch.snapshot);
      assert(r.ok, `applySnapshot: ${r.ok ? '' : r.error.message}`);
    }
    this.raftStorage.append(batch.entries);
    if (batch.hardState !== undefined) this.raftStorage.setHardState(batch.hardState);
    this.persistCount++;
    return Promise.resolve();
  }
  createSnapshot(index: LogIndex, confState: ConfState, data: Uint8Array): Promise<void> {
    const r = this.raftStorage.createSnapshot(index, confState, data);
    assert(r.ok, `createSnapshot: ${r.ok ? '' : r.error.message}`);
    return Promise.resolve();
  }
  compact(index: LogIndex): Promise<void> {
    if (index > this.raftStorage.firstIndex() - 1) this.raftStorage.compact(index);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class MemoryStateStore implements StateStore {
  private readonly data = new Map<string, Uint8Array>();
  private applied: LogIndex = logIndex(0);
  appliedIndex(): LogIndex {
    return this.applied;
  }
  applyBatch(writes: readonly KvWrite[], appliedIndex: LogIndex): Promise<void> {
    assert(appliedIndex >= this.applied, `applied index moves back: ${appliedIndex} < ${this.applied}`);
    for (const w of writes) {
      if (w.type === 'put') this.data.set(toHex(w.key), w.value);
      else this.data.delete(toHex(w.key));
    }
    this.applied = appliedIndex;
    return Promise.resolve();
  }
  loadAll(): Promise<readonly KvPair[]> {
    const pairs: KvPair[] = [...this.data].map(([k, v]) => [fromHex(k), v] as const);
    return Promise.resolve(pairs.sort((a, b) => compareBytes(a[0], b[0])));
  }
  replaceAll(pairs: readonly KvPair[], appliedIndex: LogIndex): Promise<void> {
    this.data.clear();
    for (const [k, v] of pairs) this.data.set(toHex(k), v);
    this.applied = appliedIndex;
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
