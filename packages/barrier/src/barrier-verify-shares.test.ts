import { describe, expect, it } from 'vitest';
import type { Result } from '@coffer/base';
import { Barrier } from './barrier.js';
import { MemoryCoreStore } from './core-store.js';
import { MemoryAutoSeal } from './memory-seal.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

const hex = (k: string): Uint8Array => new Uint8Array(Buffer.from(k, 'hex'));

async function initCluster() {
  const store = new MemoryCoreStore();
  const barrier = new Barrier({ store });
  const init = value(await barrier.init({ secretShares: 5, secretThreshold: 3 }, { nowMs: 1_000 }));
  store.apply(init.writes);
  return { store, barrier, keys: init.keys };
}

describe('Barrier.verifyShares (DR operation tokens)', () => {
  it('accepts a threshold of this cluster\'s shares while sealed, and stays sealed', async () => {
    const { barrier, keys } = await initCluster();
    expect(value(await barrier.shareThreshold())).toBe(3);
    expect(await barrier.verifyShares(keys.slice(1, 4).map(hex))).toEqual({ ok: true, value: undefined });
    expect(barrier.isSealed()).toBe(true);
  });

  it('refuses another cluster\'s shares and too few shares, with an error that holds no share', async () => {
    const a = await initCluster();
    const b = await initCluster();
    const foreign = await a.barrier.verifyShares(b.keys.slice(0, 3).map(hex));
    expect(foreign).toMatchObject({ ok: false, error: { kind: 'permission-denied' } });
    const tooFew = await a.barrier.verifyShares(a.keys.slice(0, 2).map(hex));
    expect(tooFew.ok).toBe(false);
    for (const r of [foreign, tooFew]) {
      const message = r.ok ? '' : r.error.message;
      for (const k of [...a.keys, ...b.keys]) expect(message).not.toContain(k.slice(2, 20));
    }
  });

  it('under auto-unseal, checks recovery shares against the stored verifier (no KMS call) and refuses others', async () => {
    const store = new MemoryCoreStore();
    const barrier = new Barrier({ store, autoSeal: new MemoryAutoSeal() });
    const init = value(await barrier.init({ secretShares: 5, secretThreshold: 3, recoveryShares: 5, recoveryThreshold: 2 }, { nowMs: 1, clusterId: 'c-1' }));
    store.apply(init.writes);
    expect(value(await barrier.shareThreshold())).toBe(2);
    expect((await barrier.verifyShares(init.recoveryKeys.slice(2, 4).map(hex))).ok).toBe(true);
    const other = await initCluster();
    expect(await barrier.verifyShares(other.keys.slice(0, 2).map(hex))).toMatchObject({ ok: false });
  });
});
