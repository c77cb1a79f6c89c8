import { describe, expect, it } from 'vitest';
import type { Result } from '@coffer/base';
import { Barrier } from './barrier.js';
import { MemoryCoreStore } from './core-store.js';
import { KEYRING_PATH, ROOT_KEY_PATH, SEAL_CONFIG_PATH } from './layout.js';
import type { RekeyComplete, RekeyStatus } from './rekey.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

async function unsealedCluster() {
  const store = new MemoryCoreStore();
  const barrier = new Barrier({ store });
  const init = value(await barrier.init({ secretShares: 5, secretThreshold: 3 }, { nowMs: 1 }));
  store.apply(init.writes);
  for (const k of init.keys.slice(0, 3)) value(await barrier.submitUnsealShare(k));
  return { store, barrier, init };
}

describe('Barrier: rekey', () => {
  it('replaces the shares and the KEK, not the root key or the keyring', async () => {
    const { store, barrier, init } = await unsealedCluster();
    const rec = value(barrier.encrypt('secret/a', bytes('before rekey')));
    const keyringBefore = store.records.get(KEYRING_PATH);
    const rootBefore = store.records.get(ROOT_KEY_PATH);
    const started = value(await barrier.rekeyInit({ secretShares: 3, secretThreshold: 2 }));
    expect(started).toMatchObject({ started: true, t: 2, n: 3, progress: 0, required: 3 });
    expect(barrier.rekeyStatus()?.nonce).toBe(started.nonce);
    expect(await barrier.rekeyInit({ secretShares: 3, secretThreshold: 2 })).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(await barrier.rekeyUpdate(init.keys[0] ?? '', 'wrong-nonce')).toMatchObject({ ok: false, error: { message: 'rekey nonce does not match the rekey in progress' } });
    let last: RekeyStatus | RekeyComplete | undefined;
    for (const k of init.keys.slice(2, 5)) last = value(await barrier.rekeyUpdate(k, started.nonce));
    if (!last?.complete) throw new Error('rekey did not complete');
    expect(last.keys).toHaveLength(3);
    expect(last.writes.map((w) => w.path)).toEqual([SEAL_CONFIG_PATH, ROOT_KEY_PATH]);
    store.apply(last.writes);
    expect(store.records.get(KEYRING_PATH)).toEqual(keyringBefore);
    expect(store.records.get(ROOT_KEY_PATH)).not.toEqual(rootBefore);
    expect(barrier.rekeyStatus()).toBeUndefined();
    expect(value(await barrier.status())).toMatchObject({ t: 2, n: 3, sealed: false });

    barrier.seal();
    // old shares no longer reconstruct the unseal key
    const oldKeys = init.keys.slice(0, 2);
    value(await barrier.submitUnsealShare(oldKeys[0] ?? '')); // the hex length (33 bytes) still parses
    const failed = await barrier.submitUnsealShare(oldKeys[1] ?? '');
    expect(failed).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    for (const k of last.keysBase64.slice(1, 3)) value(await barrier.submitUnsealShare(k));
    expect(text(value(barrier.decrypt('secret/a', rec)))).toBe('before rekey');
  });

  it('wrong shares fail the rekey clearly and keep the current shares valid', async () => {
    const { store, barrier, init } = await unsealedCluster();
    const other = await unsealedCluster();
    const before = new Map(store.records);
    const started = value(await barrier.rekeyInit({ secretShares: 5, secretThreshold: 3 }));
    value(await barrier.rekeyUpdate(init.keys[0] ?? '', started.nonce));
    value(await barrier.rekeyUpdate(init.keys[1] ?? '', started.nonce));
    const r = await barrier.rekeyUpdate(other.init.keys[0] ?? '', started.nonce);
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-request', message: 'rekey failed: the shares do not reconstruct the unseal key' } });
    expect(barrier.rekeyStatus()).toMatchObject({ progress: 0, nonce: started.nonce });
    expect(store.records).toEqual(before);
    expect(value(barrier.rekeyCancel())).toBeUndefined();
    expect(barrier.rekeyCancel()).toMatchObject({ ok: false });
  });

  it('refuses a rekey while sealed and an invalid new configuration', async () => {
    const { barrier } = await unsealedCluster();
    expect(await barrier.rekeyInit({ secretShares: 2, secretThreshold: 3 })).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    barrier.seal();
    expect(await barrier.rekeyInit({ secretShares: 3, secretThreshold: 2 })).toMatchObject({ ok: false, error: { kind: 'sealed' } });
  });
});
