/**
 * Test support: the child process of the crash test. It persists raft batches and applies each
 * entry to the state store in a loop, printing `P <index>` once a persist has resolved and
 * `A <index>` once an apply has; the parent SIGKILLs it at a random moment and checks that every
 * acknowledged write survived. Bounded: it stops by itself after MAX_ENTRIES or MAX_RUN_MS.
 *
 * Run: node --conditions=@coffer/source --import tsx crash-child.ts <dir> <seed>
 */
import { SeededRng, logIndex } from '@coffer/base';
import { LevelRaftStorage } from '../level-raft-storage.js';
import { COMPACT_LAG, SNAPSHOT_EVERY, entryFor, hardStateFor, stateKeyFor, stateValueFor } from './crash-workload.js';

const MAX_ENTRIES = 200_000;
const MAX_RUN_MS = 25_000;
const MAX_BATCH_ENTRIES = 8;

async function main(dir: string, seed: number): Promise<void> {
  const rng = new SeededRng(seed);
  const storage = await LevelRaftStorage.open(dir, { bootstrap: { voters: [], learners: [] } });
  const store = storage.stateStore;
  const startedMs = Date.now();
  // Like the runtime after a restart: apply what is in the log but not yet in the store.
  for (let index = store.appliedIndex() + 1; index <= storage.lastIndex(); index++) {
    await store.applyBatch([{ type: 'put', key: stateKeyFor(index), value: stateValueFor(index) }], logIndex(index));
  }
  process.stdout.write('ready\n');
  let next = storage.lastIndex() + 1;
  while (next <= MAX_ENTRIES && Date.now() - startedMs < MAX_RUN_MS) {
    const batch = [];
    const count = rng.int(1, MAX_BATCH_ENTRIES + 1);
    for (let n = 0; n < count; n++) batch.push(entryFor(next + n));
    const last = next + count - 1;
    await storage.persist({ entries: batch, hardState: hardStateFor(last) });
    process.stdout.write(`P ${last}\n`);
    for (let index = next; index <= last; index++) {
      await store.applyBatch([{ type: 'put', key: stateKeyFor(index), value: stateValueFor(index) }], logIndex(index));
      process.stdout.write(`A ${index}\n`);
      if (index % SNAPSHOT_EVERY === 0) {
        const { appliedIndex, data } = await store.exportSnapshot();
        const created = await storage.createSnapshot(appliedIndex, storage.initialState().confState, data);
        if (!created.ok) throw new Error(created.error.message);
        const compacted = await storage.compact(logIndex(appliedIndex - COMPACT_LAG));
        if (!compacted.ok) throw new Error(compacted.error.message);
      }
    }
    next = last + 1;
  }
  await storage.close();
  process.stdout.write('done\n');
}

const [dir, seedText] = process.argv.slice(2);
if (dir === undefined || seedText === undefined) throw new Error('usage: crash-child.ts <dir> <seed>');
await main(dir, Number(seedText));
