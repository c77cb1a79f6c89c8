import { describe, expect, it } from 'vitest';
import type { Result } from '@coffer/base';
import { Barrier } from './barrier.js';
import { nodeCipher } from './cipher.js';
import { MemoryCoreStore } from './core-store.js';
import { decodeSealConfig, RECOVERY_KEY_PATH, ROOT_KEY_PATH, SEAL_CONFIG_PATH } from './layout.js';
import { MemoryAutoSeal } from './memory-seal.js';
import { cryptoRandom } from './random.js';
import { KekSeal, type Seal } from './seal.js';
import { combineShares, parseShare } from './shares.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

async function autoCluster() {
  const store = new MemoryCoreStore();
  const seal = new MemoryAutoSeal();
  const barrier = new Barrier({ store, autoSeal: seal });
  const init = value(await barrier.init({ secretShares: 5, secretThreshold: 3, recoveryShares: 5, recoveryThreshold: 3 }, { nowMs: 1, clusterId: 'c-1' }));
  store.apply(init.writes);
  return { store, seal, barrier, init };
}

describe('Barrier: auto-unseal', () => {
  it('init returns recovery shares only, forces the barrier to 1/1, and the node unseals itself', async () => {
    const { store, barrier, init, seal } = await autoCluster();
    expect(init.keys).toEqual([]);
    expect(init.recoveryKeys).toHaveLength(5);
    expect(value(decodeSealConfig(store.records.get(SEAL_CONFIG_PATH) ?? new Uint8Array()))).toEqual({ type: 'awskms', secretShares: 1, secretThreshold: 1, clusterId: 'c-1' });
    expect(value(await barrier.status())).toMatchObject({ type: 'awskms', recoverySeal: true, sealed: true, t: 3, n: 5 });
    expect(value(await barrier.autoUnseal())).toMatchObject({ sealed: false, clusterId: 'c-1' });
    // every node of the cluster unseals itself from the same state
    const restarted = new Barrier({ store, autoSeal: seal });
    expect(value(await restarted.autoUnseal()).sealed).toBe(false);
  });

  it('recovery shares cannot decrypt the root key, and the store holds only a verifier', async () => {
    const { store, init } = await autoCluster();
    const shares = init.recoveryKeys.slice(0, 3).map((k) => value(parseShare(k, 5)));
    const recoveryKey = await combineShares(shares);
    const asKek = new KekSeal(recoveryKey, nodeCipher, cryptoRandom).unwrapSync(store.records.get(ROOT_KEY_PATH) ?? new Uint8Array());
    expect(asKek.ok).toBe(false);
    const verifier = store.records.get(RECOVERY_KEY_PATH) ?? new Uint8Array();
    expect(verifier.length).toBe(48);
    expect(Buffer.from(verifier).includes(Buffer.from(recoveryKey))).toBe(false);
  });

  it('seal unavailable: stays sealed, reports why, and unseals once the seal is back', async () => {
    const { seal, barrier } = await autoCluster();
    seal.outage = 'KMS unreachable at http://127.0.0.1:1';
    expect(await barrier.autoUnseal()).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(value(await barrier.status())).toMatchObject({ sealed: true, lastUnsealError: 'KMS unreachable at http://127.0.0.1:1' });
    seal.outage = undefined;
    const s = value(await barrier.autoUnseal());
    expect(s.sealed).toBe(false);
    expect(s.lastUnsealError).toBeUndefined();
  });

  it('after an operator seal, auto-unseal is refused and recovery shares unseal (through the seal)', async () => {
    const { barrier, init, seal } = await autoCluster();
    value(await barrier.autoUnseal());
    barrier.seal();
    expect(await barrier.autoUnseal()).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    value(await barrier.submitUnsealShare(init.recoveryKeys[0] ?? ''));
    value(await barrier.submitUnsealShare(init.recoveryKeysBase64[1] ?? ''));
    seal.outage = 'down';
    expect(await barrier.submitUnsealShare(init.recoveryKeys[2] ?? '')).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    seal.outage = undefined;
    for (const k of init.recoveryKeys.slice(2, 5)) value(await barrier.submitUnsealShare(k));
    expect(barrier.isSealed()).toBe(false);
  });

  it('wrong recovery shares fail verification; rekey of recovery keys replaces only the verifier', async () => {
    const { store, barrier, init } = await autoCluster();
    const other = await autoCluster();
    value(await barrier.autoUnseal());
    const started = value(await barrier.rekeyInit({ secretShares: 3, secretThreshold: 2 }));
    value(await barrier.rekeyUpdate(init.recoveryKeys[0] ?? '', started.nonce));
    value(await barrier.rekeyUpdate(init.recoveryKeys[1] ?? '', started.nonce));
    const bad = await barrier.rekeyUpdate(other.init.recoveryKeys[2] ?? '', started.nonce);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    const rootBefore = store.records.get(ROOT_KEY_PATH);
    let done;
    for (const k of init.recoveryKeys.slice(2, 5)) done = value(await barrier.rekeyUpdate(k, started.nonce));
    if (!done?.complete) throw new Error('not complete');
    store.apply(done.writes);
    expect(store.records.get(ROOT_KEY_PATH)).toBe(rootBefore);
    barrier.seal();
    for (const k of done.keys.slice(0, 2)) value(await barrier.submitUnsealShare(k));
    expect(barrier.isSealed()).toBe(false);
  });

  it('a blob wrapped for another cluster id does not unwrap', async () => {
    const seal = new MemoryAutoSeal();
    const blob = value(await seal.wrap(new Uint8Array(32).fill(7), { clusterId: 'a' }));
    expect(await seal.unwrap(blob, { clusterId: 'b' })).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(value(await seal.unwrap(blob, { clusterId: 'a' }))).toEqual(new Uint8Array(32).fill(7));
  });

  it('a seal that lands while an unwrap is in flight wins: the attempt does not unseal', async () => {
    const { store, seal, init } = await autoCluster();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const slow: Seal = {
      type: 'awskms', isAutoUnseal: true,
      wrap: (k, c) => seal.wrap(k, c),
      unwrap: async (b, c) => { await gate; return seal.unwrap(b, c); },
    };
    const barrier = new Barrier({ store, autoSeal: slow });
    const attempt = barrier.autoUnseal();
    await new Promise((r) => setImmediate(r)); // let the attempt reach the unwrap
    barrier.seal();
    expect(value(await barrier.status()).sealed).toBe(true); // status answers while the unwrap hangs
    release();
    expect(await attempt).toMatchObject({ ok: false, error: { kind: 'sealed' } });
    expect(barrier.isSealed()).toBe(true);
    expect(init.recoveryKeys.length).toBe(5);
  });

  it('init with the seal unreachable fails as unavailable and writes nothing; a later init works', async () => {
    const store = new MemoryCoreStore();
    const seal = new MemoryAutoSeal();
    const barrier = new Barrier({ store, autoSeal: seal });
    seal.outage = 'KMS unreachable';
    expect(await barrier.init({ secretShares: 1, secretThreshold: 1 }, { nowMs: 1 })).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(value(await barrier.status()).initialized).toBe(false);
    seal.outage = undefined;
    const init = value(await barrier.init({ secretShares: 1, secretThreshold: 1, recoveryShares: 1, recoveryThreshold: 1 }, { nowMs: 1 }));
    expect(init.recoveryKeys).toHaveLength(1);
  });
});
