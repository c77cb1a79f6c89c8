/**
 * Test support: the storage contract's subjects. MemoryStorage (the raft core's twin) and
 * LevelRaftStorage are driven through one async interface so that the same table of behaviour
 * tests holds both to the same contract. Not exported from the package.
 */
import { rmSync } from 'node:fs';
import { CofferFailure, logIndex, nodeId, term } from '@coffer/base';
import type { CofferError, LogIndex, Result } from '@coffer/base';
import { MemoryStorage } from '@coffer/raft';
import type { ConfState, Entry, EntryType, RaftStorage, Snapshot } from '@coffer/raft';
import { LevelRaftStorage } from '../level-raft-storage.js';
import type { PersistRequest } from '../level-raft-storage.js';
import { makeTempDir } from './temp-dir.js';

export interface StorageSubject {
  readonly storage: RaftStorage;
  persist(request: PersistRequest): Promise<void>;
  createSnapshot(index: LogIndex, confState: ConfState, data: Uint8Array): Promise<Result<Snapshot, CofferError>>;
  compact(index: LogIndex): Promise<Result<void, CofferError>>;
  /** Close and open again from what is durable (the twin is its own durable copy). */
  reopen(): Promise<StorageSubject>;
  close(): Promise<void>;
}

export interface SubjectFactory {
  readonly name: string;
  open(bootstrap: ConfState | undefined): Promise<StorageSubject>;
  /** Removes whatever open() created. */
  cleanup(): void;
}

function memorySubject(storage: MemoryStorage): StorageSubject {
  return {
    storage,
    persist: async ({ hardState, entries, snapshot }) => {
      if (snapshot !== undefined) {
        const applied = storage.applySnapshot(snapshot);
        if (!applied.ok) throw new CofferFailure(applied.error);
      }
      storage.append(entries);
      if (hardState !== undefined) storage.setHardState(hardState);
    },
    createSnapshot: async (index, confState, data) => storage.createSnapshot(index, confState, data),
    compact: async (index) => storage.compact(index),
    reopen: async () => memorySubject(storage),
    close: async () => undefined,
  };
}

export const memoryFactory = (): SubjectFactory => ({
  name: 'MemoryStorage',
  open: async (bootstrap) => memorySubject(bootstrap === undefined ? new MemoryStorage() : MemoryStorage.bootstrap(bootstrap)),
  cleanup: () => undefined,
});

function levelSubject(dir: string, storage: LevelRaftStorage): StorageSubject {
  return {
    storage,
    persist: (request) => storage.persist(request),
    createSnapshot: (index, confState, data) => storage.createSnapshot(index, confState, data),
    compact: (index) => storage.compact(index),
    reopen: async () => {
      await storage.close();
      return levelSubject(dir, await LevelRaftStorage.open(dir));
    },
    close: () => storage.close(),
  };
}

export const levelFactory = (): SubjectFactory => {
  const dirs: string[] = [];
  return {
    name: 'LevelRaftStorage',
    open: async (bootstrap) => {
      const dir = makeTempDir();
      dirs.push(dir);
      return levelSubject(dir, await LevelRaftStorage.open(dir, bootstrap === undefined ? {} : { bootstrap }));
    },
    cleanup: () => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
};

// ---- data builders ----

export const THREE_VOTERS: ConfState = { voters: [nodeId('n1'), nodeId('n2'), nodeId('n3')], learners: [] };

/** Entry `index` of term `t`; its data is `dataBytes` bytes derived from both, so a mix-up shows. */
export function entry(index: number, t: number, dataBytes = 4, type: EntryType = 'normal'): Entry {
  const data = new Uint8Array(dataBytes);
  for (let i = 0; i < dataBytes; i++) data[i] = (index * 31 + t * 7 + i) & 0xff;
  return { index: logIndex(index), term: term(t), type, data };
}

/** Entries lo..hi inclusive, all of term `t`. */
export function entries(lo: number, hi: number, t: number, dataBytes = 4): Entry[] {
  const out: Entry[] = [];
  for (let i = lo; i <= hi; i++) out.push(entry(i, t, dataBytes));
  return out;
}

/** Plain data of every read the port offers, for comparing two storages or one across a reopen. */
export function observe(storage: RaftStorage): unknown {
  const first = storage.firstIndex();
  const last = storage.lastIndex();
  const ents = storage.entries(first, logIndex(last + 1), Number.MAX_SAFE_INTEGER);
  const snap = storage.snapshot();
  const startTerm = storage.term(logIndex(first - 1));
  return {
    initialState: storage.initialState(),
    first,
    last,
    startTerm: startTerm.ok ? startTerm.value : startTerm.error.kind,
    entries: ents.ok ? ents.value.map((e) => ({ ...e, data: Array.from(e.data) })) : ents.error.kind,
    snapshot: snap.ok ? { meta: snap.value.meta, data: Array.from(snap.value.data) } : snap.error.kind,
  };
}
