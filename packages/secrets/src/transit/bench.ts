/**
 * Transit throughput through the whole logical layer, in one process, in memory:
 *   node --conditions=@coffer/source --import tsx packages/secrets/src/transit/bench.ts
 * Each figure is the median of 3 runs of about 1 s. An encrypt is: path check, mount table read,
 * key record read (barrier decrypt + JSON parse + guard), base64 decode of 1 KiB, a fresh nonce,
 * the AEAD, the response envelope. Encrypt and decrypt are reads of the key: nothing is proposed.
 */
import { randomBytes } from 'node:crypto';
import { memoryHarness } from '../logical/harness.js';
import { TransitEngine } from './transit-engine.js';

const RUN_MS = 1000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function run(type: string, op: 'encrypt' | 'decrypt'): Promise<number> {
  const h = memoryHarness(new Map([['transit', new TransitEngine()]]));
  const created = await h.executor.execute({ operation: 'update', path: 'transit/keys/bench', data: { type } });
  if (created.status !== 204) throw new Error(`bench key creation failed: ${created.status}`);
  const plaintext = randomBytes(1024).toString('base64');
  const enc = await h.executor.execute({ operation: 'update', path: 'transit/encrypt/bench', data: { plaintext } });
  const ciphertext = (enc.body as { data: { ciphertext: string } }).data.ciphertext;
  const req = op === 'encrypt'
    ? { operation: 'update' as const, path: 'transit/encrypt/bench', data: { plaintext } }
    : { operation: 'update' as const, path: 'transit/decrypt/bench', data: { ciphertext } };
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < RUN_MS) {
    for (let j = 0; j < 200; j++, n++) {
      const res = await h.executor.execute(req);
      if (res.status !== 200) throw new Error(`bench ${op} failed: ${res.status}`);
    }
  }
  return (n * 1000) / (performance.now() - start);
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const lines: string[] = [];
await run('aes256-gcm96', 'encrypt'); // warm-up (JIT), discarded
for (const type of ['aes256-gcm96', 'chacha20-poly1305']) {
  for (const op of ['encrypt', 'decrypt'] as const) {
    const rate = median([await run(type, op), await run(type, op), await run(type, op)]);
    lines.push(`transit ${op} 1 KiB, ${type.padEnd(17)} (logical layer, memory): ${fmt(rate)} ops/s`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
