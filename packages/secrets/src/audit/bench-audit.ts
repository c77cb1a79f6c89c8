/**
 * Audit overhead: KV v2 puts (1 KiB value) per second through the in-memory logical stack, bare and
 * wrapped in an AuditedExecutor with one file device (two JSON lines per request, hashed).
 * Run: node --conditions=@coffer/source --import tsx packages/secrets/src/audit/bench-audit.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditStack } from './audit.test-helper.js';
import type { LogicalExecutor } from './audited-executor.js';

const VALUE = 'x'.repeat(1024);
const RUN_MS = 1000;

/** `inFlight` requests at a time, each on its own key (so they do not conflict). */
async function opsPerSecond(ex: LogicalExecutor, token: string, inFlight = 1): Promise<number> {
  const start = performance.now();
  let n = 0;
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; performance.now() - start < RUN_MS && i < 1_000_000; i++) {
      const res = await ex.execute({ operation: 'update', path: `secret/data/w${w}-k${i % 50}`, data: { data: { v: VALUE } }, token });
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      n++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
  return Math.round(n / ((performance.now() - start) / 1000));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const dir = mkdtempSync(join(tmpdir(), 'coffer-audit-bench-'));
const bare: number[] = [];
const audited: number[] = [];
const audited16: number[] = [];
for (let run = 0; run < 3; run++) {
  const s = auditStack();
  bare.push(await opsPerSecond(s.executor, s.rootToken));
  await s.enable(`file${run}`, { file_path: join(dir, `audit-${run}.log`) });
  audited.push(await opsPerSecond(s.audited, s.rootToken));
  audited16.push(await opsPerSecond(s.audited, s.rootToken, 16));
  await s.cleanup();
}
rmSync(dir, { recursive: true, force: true });
console.log(`KV put 1 KiB: bare ${median(bare)} ops/s; audited, 1 file device: ${median(audited)} ops/s sequential, ${median(audited16)} ops/s with 16 in flight`);
console.log(`  runs: ${bare.join('/')} | ${audited.join('/')} | ${audited16.join('/')}`);
