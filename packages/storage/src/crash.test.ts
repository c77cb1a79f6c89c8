/**
 * Crash safety with a real process: a child persists and applies in a loop, printing what has
 * resolved; it is SIGKILLed at a random point, then restarted on the same directory and killed
 * again. After each kill every acknowledged entry and the hard state must be on disk intact,
 * and the state store's records must agree exactly with its applied index.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { SeededRng, logIndex } from '@coffer/base';
import { LevelRaftStorage } from './level-raft-storage.js';
import type { StateStore } from './state-store.js';
import { entryFor, hardStateFor, stateKeyFor, stateValueFor } from './testing/crash-workload.js';
import { makeTempDir } from './testing/temp-dir.js';

const PACKAGE_DIR = join(import.meta.dirname, '..');
const CHILD = join(import.meta.dirname, 'testing', 'crash-child.ts');
const CHILD_DEADLINE_MS = 30_000;
const SEED = Number(process.env['COFFER_CRASH_SEED'] ?? Date.now() % 2 ** 31);

interface Acked {
  readonly persisted: number;
  readonly applied: number;
}

/**
 * Runs the child until it has acknowledged `killAfterApplies` applies, then SIGKILLs it after
 * `killDelayMs` more: a kill right on an acknowledgement would land mostly at the same point of
 * the child's loop, the delay spreads the kill over persists, applies and compactions.
 */
function runAndKill(dir: string, seed: number, killAfterApplies: number, killDelayMs: number): Promise<Acked> {
  const child = spawn(process.execPath, ['--conditions=@coffer/source', '--import', 'tsx', CHILD, dir, String(seed)], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let persisted = 0;
  let applied = 0;
  let appliesThisRun = 0;
  let killed = false;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Acks that arrive after the kill was sent still count: the child printed them once durable.
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [tag, value] = line.split(' ');
    if (tag === 'P') persisted = Number(value);
    if (tag === 'A') {
      applied = Number(value);
      appliesThisRun++;
    }
    if (!killed && appliesThisRun >= killAfterApplies) {
      killed = true;
      setTimeout(() => child.kill('SIGKILL'), killDelayMs);
    }
  });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not reach ${killAfterApplies} applies within ${CHILD_DEADLINE_MS} ms; stderr: ${stderr}`));
    }, CHILD_DEADLINE_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      if (killed && signal === 'SIGKILL') resolve({ persisted, applied });
      else reject(new Error(`child exited by itself (code ${code}, signal ${signal}); stderr: ${stderr}`));
    });
  });
}

async function recordsOf(store: StateStore): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const r of store.iterate()) out.set(r.key, r.value);
  return out;
}

/** The store holds exactly k1..k<applied>, each with its value. */
async function expectStoreMatches(store: StateStore, applied: number, context: string): Promise<void> {
  const records = await recordsOf(store);
  expect(records.size, `${context}: record count vs applied index ${applied}`).toBe(applied);
  for (let index = 1; index <= applied; index++) {
    expect(records.get(stateKeyFor(index)), `${context}: record ${index}`).toEqual(stateValueFor(index));
  }
}

async function checkSurvivors(dir: string, acked: Acked, context: string): Promise<void> {
  const storage = await LevelRaftStorage.open(dir);
  const scratchDir = makeTempDir();
  try {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    expect(last, `${context}: last index vs last persist acknowledged`).toBeGreaterThanOrEqual(acked.persisted);
    const got = storage.entries(first, logIndex(last + 1), Number.MAX_SAFE_INTEGER);
    expect(got.ok, context).toBe(true);
    if (got.ok) for (const e of got.value) expect(e, `${context}: entry ${e.index}`).toEqual(entryFor(e.index));
    // The hard state goes in the same batch as the entries: it names the last one.
    expect(storage.hardStateNow(), context).toEqual(hardStateFor(last));

    const applied = storage.stateStore.appliedIndex();
    expect(applied, `${context}: applied vs acknowledged`).toBeGreaterThanOrEqual(acked.applied);
    expect(applied, `${context}: applied vs last index`).toBeLessThanOrEqual(last);
    await expectStoreMatches(storage.stateStore, applied, context);

    // The log never starts past the latest snapshot, and that snapshot restores its own index.
    const snap = storage.snapshot();
    expect(snap.ok, context).toBe(true);
    if (!snap.ok) return;
    expect(snap.value.meta.index, `${context}: snapshot covers the compacted prefix`).toBeGreaterThanOrEqual(first - 1);
    if (snap.value.meta.index > 0) {
      const scratch = await LevelRaftStorage.open(scratchDir);
      try {
        expect(await scratch.stateStore.importSnapshot(snap.value.data, snap.value.meta.index), context).toEqual({ ok: true, value: undefined });
        await expectStoreMatches(scratch.stateStore, snap.value.meta.index, `${context} (snapshot)`);
      } finally {
        await scratch.close();
      }
    }
  } finally {
    await storage.close();
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

describe(`crash safety under SIGKILL (COFFER_CRASH_SEED=${SEED})`, () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.each([0, 1])('run %i: kill, check, restart on the same directory, kill, check', async (run) => {
    const rng = new SeededRng(SEED + run);
    const dir = makeTempDir();
    dirs.push(dir);
    for (let life = 0; life < 2; life++) {
      const killAfterApplies = rng.int(5, 80);
      const killDelayMs = rng.int(0, 20);
      const context = `seed ${SEED} run ${run} life ${life} kill ${killDelayMs} ms after ${killAfterApplies} applies`;
      const acked = await runAndKill(dir, rng.int(0, 2 ** 31), killAfterApplies, killDelayMs);
      expect(acked.applied, context).toBeGreaterThan(0);
      await checkSurvivors(dir, acked, context);
    }
  }, 90_000);
});
