import { describe, expect, it } from 'vitest';
import type { Result } from '@coffer/base';
import { Barrier } from './barrier.js';
import { MemoryCoreStore } from './core-store.js';
import { MemoryAutoSeal } from './memory-seal.js';
import { cryptoRandom, type RandomSource } from './random.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

/** Records every 32-byte draw: the root key, keyring keys, the KEK, the recovery key, data keys. */
function recordingRandom(): { random: RandomSource; keys: Uint8Array[] } {
  const keys: Uint8Array[] = [];
  return {
    keys,
    random: {
      bytes(n) {
        const b = cryptoRandom.bytes(n);
        if (n === 32) keys.push(b.slice());
        return b;
      },
    },
  };
}

/** The forms a leaked key or secret could take in storage. */
function forms(b: Uint8Array): Buffer[] {
  const buf = Buffer.from(b);
  return [buf, Buffer.from(buf.toString('hex')), Buffer.from(buf.toString('base64'))];
}

function expectAbsent(store: MemoryCoreStore, secrets: readonly Uint8Array[]): void {
  for (const [path, stored] of store.records) {
    for (const s of secrets) {
      for (const f of forms(s)) expect(Buffer.from(stored).includes(f), `secret found at ${path}`).toBe(false);
    }
  }
}

describe('no key or plaintext in the stored material', () => {
  for (const mode of ['shamir', 'auto'] as const) {
    it(`${mode}: no drawn key, share or canary appears raw, in hex or in base64 in any stored value`, async () => {
      const { random, keys } = recordingRandom();
      const store = new MemoryCoreStore();
      const autoSeal = mode === 'auto' ? new MemoryAutoSeal(random) : undefined;
      const barrier = new Barrier({ store, random, ...(autoSeal ? { autoSeal } : {}) });
      const init = value(await barrier.init({ secretShares: 3, secretThreshold: 2, recoveryShares: 3, recoveryThreshold: 2 }, { nowMs: 1 }));
      store.apply(init.writes);
      if (autoSeal) value(await barrier.autoUnseal());
      else for (const k of init.keys.slice(0, 2)) value(await barrier.submitUnsealShare(k));
      const rotation = value(barrier.prepareRotation(2));
      store.apply([rotation.write]);
      value(barrier.applyKeyring(rotation.write.value));
      const canary = new TextEncoder().encode('CANARY-7f3a9c-secret-value');
      store.apply([{ path: 'secret/data/canary', value: value(barrier.encrypt('secret/data/canary', canary)) }]);
      const shares = [...init.keys, ...init.recoveryKeys].map((h) => new Uint8Array(Buffer.from(h, 'hex')));
      expect(keys.length).toBeGreaterThanOrEqual(4);
      expectAbsent(store, [...keys, ...shares, canary]);
    });
  }
});
