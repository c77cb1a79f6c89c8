/**
 * The real raft core over LevelRaftStorage: a single-voter node elects itself, commits and applies
 * proposals through the Ready loop, compacts behind a snapshot, restarts from disk, and carries on
 * with nothing lost or applied twice.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SeededRng, logIndex, nodeId } from '@coffer/base';
import { Raft } from '@coffer/raft';
import type { Ready } from '@coffer/raft';
import { LevelRaftStorage } from './level-raft-storage.js';
import type { PersistRequest } from './level-raft-storage.js';
import type { StateWrite } from './state-store.js';
import { makeTempDir } from './testing/temp-dir.js';

const N1 = nodeId('n1');
const MAX_READY_ROUNDS = 100;
// A Ready is itself a persist request: the runtime passes it as it is.
const asPersistRequest = (rd: Ready): PersistRequest => rd;

function startRaft(storage: LevelRaftStorage): Raft {
  return new Raft({ id: N1, storage, rng: new SeededRng(1), electionTicks: 10, heartbeatTicks: 1, applied: storage.stateStore.appliedIndex() });
}

/** The runtime's Ready loop, until the core has nothing more to do (bounded). */
async function drain(raft: Raft, storage: LevelRaftStorage): Promise<void> {
  for (let round = 0; round < MAX_READY_ROUNDS && raft.hasReady(); round++) {
    const rd = raft.ready();
    await storage.persist(asPersistRequest(rd));
    expect(rd.snapshot).toBeUndefined(); // a single node never receives one
    const last = rd.committedEntries[rd.committedEntries.length - 1];
    if (last !== undefined) {
      const writes: StateWrite[] = rd.committedEntries
        .filter((e) => e.type === 'normal' && e.data.byteLength > 0)
        .map((e) => ({ type: 'put', key: `cmd/${new TextDecoder().decode(e.data)}`, value: e.data }));
      await storage.stateStore.applyBatch(writes, last.index);
    }
    raft.advance();
  }
  expect(raft.hasReady()).toBe(false);
}

async function proposeAll(raft: Raft, storage: LevelRaftStorage, names: string[]): Promise<void> {
  for (const name of names) {
    expect(raft.propose(new TextEncoder().encode(name)).ok).toBe(true);
    await drain(raft, storage);
  }
}

async function storedCommands(storage: LevelRaftStorage): Promise<string[]> {
  const out: string[] = [];
  for await (const r of storage.stateStore.iterate({ gte: 'cmd/', lt: 'cmd0' })) out.push(r.key.slice(4));
  return out;
}

describe('raft core over LevelRaftStorage', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('commits, compacts, restarts from disk and carries on', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, n) => `${prefix}${String(n).padStart(2, '0')}`);

    let storage = await LevelRaftStorage.open(dir, { bootstrap: { voters: [N1], learners: [] } });
    let raft = startRaft(storage);
    raft.campaign();
    await drain(raft, storage);
    expect(raft.status().role).toBe('leader');
    await proposeAll(raft, storage, names('a', 20));
    const firstTerm = raft.status().term;
    expect(storage.stateStore.appliedIndex()).toBe(storage.lastIndex());

    const { appliedIndex, data } = await storage.stateStore.exportSnapshot();
    expect((await storage.createSnapshot(appliedIndex, raft.confStateAt(appliedIndex), data)).ok).toBe(true);
    expect((await storage.compact(logIndex(appliedIndex - 5))).ok).toBe(true);
    const lastBefore = storage.lastIndex();
    await storage.close();

    storage = await LevelRaftStorage.open(dir, { bootstrap: { voters: [nodeId('ignored')], learners: [] } });
    try {
      expect(storage.isFresh).toBe(false);
      expect(storage.lastIndex()).toBe(lastBefore);
      expect(storage.firstIndex()).toBe(appliedIndex - 4);
      raft = startRaft(storage);
      expect(raft.status().term).toBe(firstTerm);
      raft.campaign();
      await drain(raft, storage);
      expect(raft.status().role).toBe('leader');
      expect(raft.status().term).toBeGreaterThan(firstTerm);
      await proposeAll(raft, storage, names('b', 5));
      expect(await storedCommands(storage)).toEqual([...names('a', 20), ...names('b', 5)]);
      expect(storage.stateStore.appliedIndex()).toBe(storage.lastIndex());
    } finally {
      await storage.close();
    }
  });
});
