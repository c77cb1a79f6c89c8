import { randomBytes } from 'node:crypto';
import { SeededRng } from '@coffer/base';

/**
 * Where key bytes and nonces come from. Injected so that the leader can draw randomness before
 * proposing (the replicated state machine stays deterministic: commands carry the bytes), and so
 * that tests can replay. Production uses `cryptoRandom`.
 */
export interface RandomSource {
  bytes(count: number): Uint8Array;
}

const POOL_BYTES = 4096;
const POOLED_MAX_BYTES = 64;
let pool = new Uint8Array(0);
let poolOffset = 0;

/**
 * node:crypto's CSPRNG. Small draws (nonces, keys) come from a 4 KiB pool refilled by one
 * randomBytes call: a syscall per 12-byte nonce costs about a third of a 1 KiB record seal. Each
 * byte is handed out once and zeroed in the pool as it is handed out.
 */
export const cryptoRandom: RandomSource = {
  bytes(count) {
    if (count > POOLED_MAX_BYTES) return new Uint8Array(randomBytes(count));
    if (poolOffset + count > pool.length) {
      pool.fill(0);
      pool = new Uint8Array(randomBytes(POOL_BYTES));
      poolOffset = 0;
    }
    const region = pool.subarray(poolOffset, poolOffset + count);
    const out = region.slice();
    region.fill(0);
    poolOffset += count;
    return out;
  },
};

/** Reproducible bytes for tests and the simulator. NEVER for real keys: a seed is not a secret. */
export function insecureSeededRandom(seed: number): RandomSource {
  const rng = new SeededRng(seed);
  return {
    bytes(count) {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = rng.nextU32() & 0xff;
      return out;
    },
  };
}
