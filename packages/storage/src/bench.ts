/**
 * Persist throughput of LevelRaftStorage: 1 KiB entries, one synced batch (with a hard state)
 * per persist, at several entries per batch. Each run writes to a fresh directory for RUN_MS
 * (bounded also by MAX_ENTRIES_PER_RUN); the figure is the median of RUNS runs. The same loop
 * over a bare `level` batch of the same keys and bytes is the baseline, measured alternately so
 * that load from other processes hits both alike: fsync speed varies a lot on shared machines.
 *
 * Run: node --conditions=@coffer/source --import tsx packages/storage/src/bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { logIndex, term } from '@coffer/base';
import type { Entry } from '@coffer/raft';
import { LevelRaftStorage } from './level-raft-storage.js';

const ENTRY_BYTES = 1024;
const BATCH_SIZES = [1, 16, 64, 256];
const RUNS = 3;
const RUN_MS = 1500;
const MAX_ENTRIES_PER_RUN = 400_000;
/** Compact as a node would, so the in-memory tail stays bounded during long runs. */
const KEEP_ENTRIES = 10_000;

interface RunResult {
  readonly entriesPerSec: number;
  readonly batchesPerSec: number;
}

async function runOnce(batchSize: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-bench-'));
  const storage = await LevelRaftStorage.open(dir, { bootstrap: { voters: [], learners: [] } });
  const data = new Uint8Array(ENTRY_BYTES).fill(0xab);
  let next = 1;
  let batches = 0;
  const startedNs = process.hrtime.bigint();
  const deadlineNs = startedNs + BigInt(RUN_MS) * 1_000_000n;
  try {
    while (process.hrtime.bigint() < deadlineNs && next <= MAX_ENTRIES_PER_RUN) {
      const entries: Entry[] = [];
      for (let n = 0; n < batchSize; n++) entries.push({ index: logIndex(next + n), term: term(1), type: 'normal', data });
      next += batchSize;
      await storage.persist({ entries, hardState: { term: term(1), vote: null, commit: logIndex(next - 1) } });
      batches++;
      const last = next - 1;
      if (last - storage.firstIndex() > 2 * KEEP_ENTRIES) {
        const created = await storage.createSnapshot(logIndex(last - KEEP_ENTRIES), { voters: [], learners: [] }, new Uint8Array(0));
        if (created.ok) await storage.compact(logIndex(last - KEEP_ENTRIES));
      }
    }
    const elapsedSec = Number(process.hrtime.bigint() - startedNs) / 1e9;
    return { entriesPerSec: (batches * batchSize) / elapsedSec, batchesPerSec: batches / elapsedSec };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: the same keys and value sizes in one synced batch, straight to LevelDB. */
async function runRawOnce(batchSize: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-bench-raw-'));
  const db = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' });
  const value = new Uint8Array(ENTRY_BYTES + 9).fill(0xab);
  const hardState = new Uint8Array(40).fill(1);
  let next = 1;
  let batches = 0;
  const startedNs = process.hrtime.bigint();
  const deadlineNs = startedNs + BigInt(RUN_MS) * 1_000_000n;
  try {
    while (process.hrtime.bigint() < deadlineNs && next <= MAX_ENTRIES_PER_RUN) {
      const ops: Array<{ type: 'put'; key: string; value: Uint8Array }> = [];
      for (let n = 0; n < batchSize; n++) ops.push({ type: 'put', key: `!log!${String(next + n).padStart(16, '0')}`, value });
      ops.push({ type: 'put', key: '!raft!hard-state', value: hardState });
      next += batchSize;
      await db.batch(ops, { sync: true });
      batches++;
    }
    const elapsedSec = Number(process.hrtime.bigint() - startedNs) / 1e9;
    return { entriesPerSec: (batches * batchSize) / elapsedSec, batchesPerSec: batches / elapsedSec };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

console.log(`LevelRaftStorage.persist, ${ENTRY_BYTES} B entries, one synced batch per persist, median of ${RUNS} runs of ${RUN_MS} ms`);
console.log('batch entries | entries/s | fsynced batches/s | MiB/s | bare level batches/s (baseline)');
for (const batchSize of BATCH_SIZES) {
  const runs: RunResult[] = [];
  const raw: RunResult[] = [];
  for (let r = 0; r < RUNS; r++) {
    runs.push(await runOnce(batchSize));
    raw.push(await runRawOnce(batchSize));
  }
  const entriesPerSec = median(runs.map((x) => x.entriesPerSec));
  const batchesPerSec = median(runs.map((x) => x.batchesPerSec));
  const rawBatchesPerSec = median(raw.map((x) => x.batchesPerSec));
  const mibPerSec = (entriesPerSec * ENTRY_BYTES) / 2 ** 20;
  console.log(
    `${String(batchSize).padStart(13)} | ${entriesPerSec.toFixed(0).padStart(9)} | ${batchesPerSec.toFixed(0).padStart(17)} | ` +
      `${mibPerSec.toFixed(1).padStart(5)} | ${rawBatchesPerSec.toFixed(0)}`,
  );
}
