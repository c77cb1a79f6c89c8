/**
 * Record seal/open throughput for 1 KiB records, per AES-256-GCM implementation, through the
 * barrier's real path (keyring term lookup, envelope, path as AAD, a fresh random nonce each).
 *
 *   node --conditions=@coffer/source --import tsx packages/barrier/src/bench.ts [--ms 1000] [--runs 3]
 *
 * Prints ops/s per run and the median of the runs.
 */
import { nobleCipher, nodeCipher, type Cipher } from './cipher.js';
import { Keyring } from './keyring.js';
import { cryptoRandom } from './random.js';

const RECORD_BYTES = 1024;
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const durationMs = arg('ms', 1000);
const runs = arg('runs', 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** Runs `op` for about durationMs (checking the clock every 256 ops) and returns ops per second. */
function measure(op: () => void): number {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 256; i++) op();
    count += 256;
    elapsed = performance.now() - start;
  }
  return (count * 1000) / elapsed;
}

function bench(cipher: Cipher): { seal: number[]; open: number[] } {
  const keyring = Keyring.create(cryptoRandom.bytes(32), 0);
  const plaintext = cryptoRandom.bytes(RECORD_BYTES);
  const path = 'secret/data/app/db';
  const record = keyring.encrypt(cipher, cryptoRandom, path, plaintext);
  if (!record.ok) throw new Error(record.error.message);
  const seal: number[] = [];
  const open: number[] = [];
  measure(() => keyring.encrypt(cipher, cryptoRandom, path, plaintext)); // warm-up
  for (let r = 0; r < runs; r++) {
    seal.push(measure(() => {
      if (!keyring.encrypt(cipher, cryptoRandom, path, plaintext).ok) throw new Error('seal failed');
    }));
    open.push(measure(() => {
      if (!keyring.decrypt(cipher, path, record.value).ok) throw new Error('open failed');
    }));
  }
  return { seal, open };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`barrier record bench: ${RECORD_BYTES} B records, ${runs} runs of ${durationMs} ms, node ${process.version}`);
for (const cipher of [nodeCipher, nobleCipher]) {
  const { seal, open } = bench(cipher);
  console.log(
    `${cipher.name.padEnd(18)} seal ${fmt(median(seal)).padStart(9)} ops/s (runs ${seal.map(fmt).join(', ')})` +
      `   open ${fmt(median(open)).padStart(9)} ops/s (runs ${open.map(fmt).join(', ')})`,
  );
}
