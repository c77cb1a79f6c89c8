/**
 * Apply throughput of the state machine and of the logical KV path, in one process.
 *   node --conditions=@coffer/source --import tsx packages/secrets/src/bench.ts
 * Each figure is the median of 3 runs of about 1 s. "fsm" figures include decoding the command
 * (what a follower does per entry); "logical" runs the whole leader path in memory: route, read and
 * decrypt metadata + config, build the version, AES-GCM encrypt two records, encode, decode, apply.
 */
import { randomBytes } from 'node:crypto';
import { StorageFsm } from './fsm/storage-fsm.js';
import { encodeTxn } from './fsm/txn.js';
import { memoryHarness } from './logical/harness.js';
import { KvV2Engine } from './kv/kv-engine.js';

const RUN_MS = 1000;
const KEYS = 10_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function fsmRun(kvShaped: boolean): number {
  const value = randomBytes(1024 + 28); // a 1 KiB record plus the barrier's envelope overhead
  const meta = randomBytes(300);
  const commands = Array.from({ length: KEYS }, (_, i) =>
    encodeTxn(
      kvShaped
        ? { checks: [{ path: `logical/m/metadata/k${i}`, absent: true }, { path: 'logical/m/config', absent: true }], ops: [{ put: `logical/m/versions/${i}/1`, value }, { put: `logical/m/metadata/k${i}`, value: meta }], leaderTimeMs: 1 }
        : { checks: [], ops: [{ put: `bench/k${i}`, value }], leaderTimeMs: 1 },
    ),
  );
  let fsm = new StorageFsm();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < RUN_MS) {
    for (let j = 0; j < 1000; j++, n++) {
      // A fresh machine every lap, so every txn's checks pass and every put lands (up to KEYS keys).
      if (n % KEYS === 0) fsm = new StorageFsm();
      const r = fsm.applyEncoded(commands[n % KEYS] ?? new Uint8Array(), (n % KEYS) + 1);
      if (!r.outcome.ok) throw new Error('bench txn refused');
    }
  }
  return (n * 1000) / (performance.now() - start);
}

async function logicalRun(): Promise<number> {
  const h = memoryHarness(new Map([['kv', new KvV2Engine()]]));
  const data = { value: randomBytes(512).toString('hex') }; // 1 KiB of JSON string
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < RUN_MS) {
    for (let j = 0; j < 200; j++, n++) {
      h.clock.nowMs++;
      const res = await h.executor.execute({ operation: 'update', path: `secret/data/bench/k${n % 1000}`, data: { data } });
      if (res.status !== 200) throw new Error(`bench write failed: ${res.status}`);
    }
  }
  return (n * 1000) / (performance.now() - start);
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const fsmPut = median([fsmRun(false), fsmRun(false), fsmRun(false)]);
const fsmKv = median([fsmRun(true), fsmRun(true), fsmRun(true)]);
const logical = median([await logicalRun(), await logicalRun(), await logicalRun()]);
process.stdout.write(
  [
    `fsm apply, 1-put txn (1 KiB):                 ${fmt(fsmPut)} txns/s`,
    `fsm apply, KV-shaped txn (2 checks, 2 puts):  ${fmt(fsmKv)} txns/s`,
    `logical KV v2 put end to end (1 KiB, memory): ${fmt(logical)} ops/s`,
    '',
  ].join('\n'),
);
