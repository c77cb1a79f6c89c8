import { describe, expect, it } from 'vitest';
import type { Result } from '@coffer/base';
import { Barrier } from './barrier.js';
import { MemoryCoreStore } from './core-store.js';
import { KEYRING_PATH, RECOVERY_KEY_PATH } from './layout.js';
import { MemoryAutoSeal } from './memory-seal.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

describe('seal migration', () => {
  it('Shamir -> auto -> Shamir keeps the data; shares become recovery shares and back', async () => {
    const store = new MemoryCoreStore();
    const shamirNode = new Barrier({ store });
    const init = value(await shamirNode.init({ secretShares: 5, secretThreshold: 3 }, { nowMs: 1 }));
    store.apply(init.writes);
    for (const k of init.keys.slice(0, 3)) value(await shamirNode.submitUnsealShare(k));
    const rec = value(shamirNode.encrypt('secret/a', bytes('survives migration')));
    const keyring = store.records.get(KEYRING_PATH);

    const kms = new MemoryAutoSeal();
    const bad = await shamirNode.prepareSealMigration(kms, init.keys.slice(0, 2));
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-request', message: expect.stringMatching(/needs 3 current unseal key shares/) } });
    const toAuto = value(await shamirNode.prepareSealMigration(kms, init.keys.slice(2, 5)));
    expect(toAuto).toMatchObject({ from: 'shamir', to: 'awskms' });
    store.apply(toAuto.writes, toAuto.deletes);
    expect(store.records.get(KEYRING_PATH)).toEqual(keyring);

    // a node restarted with the KMS seal configured unseals itself
    const autoNode = new Barrier({ store, autoSeal: kms });
    expect(value(await autoNode.status())).toMatchObject({ type: 'awskms', recoverySeal: true, t: 3, n: 5 });
    value(await autoNode.autoUnseal());
    expect(text(value(autoNode.decrypt('secret/a', rec)))).toBe('survives migration');
    // the old unseal shares are now the recovery shares
    autoNode.seal();
    for (const k of init.keys.slice(1, 4)) value(await autoNode.submitUnsealShare(k));
    expect(autoNode.isSealed()).toBe(false);

    // and back: the recovery shares become the unseal shares
    const toShamir = value(await autoNode.prepareSealMigration('shamir', init.keysBase64.slice(0, 3)));
    store.apply(toShamir.writes, toShamir.deletes);
    expect(store.records.has(RECOVERY_KEY_PATH)).toBe(false);
    const back = new Barrier({ store });
    for (const k of init.keys.slice(2, 5)) value(await back.submitUnsealShare(k));
    expect(text(value(back.decrypt('secret/a', rec)))).toBe('survives migration');
  });

  it('refuses wrong shares, a sealed node, and a migration to the seal in use', async () => {
    const store = new MemoryCoreStore();
    const node = new Barrier({ store });
    const init = value(await node.init({ secretShares: 3, secretThreshold: 2 }, { nowMs: 1 }));
    store.apply(init.writes);
    const other = new Barrier({ store: new MemoryCoreStore() });
    const foreign = value(await other.init({ secretShares: 3, secretThreshold: 2 }, { nowMs: 1 }));
    expect(await node.prepareSealMigration(new MemoryAutoSeal(), init.keys.slice(0, 2))).toMatchObject({ ok: false, error: { kind: 'sealed' } });
    for (const k of init.keys.slice(0, 2)) value(await node.submitUnsealShare(k));
    const before = new Map(store.records);
    expect(await node.prepareSealMigration('shamir', init.keys)).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    const wrong = await node.prepareSealMigration(new MemoryAutoSeal(), [init.keys[0] ?? '', foreign.keys[1] ?? '']);
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'invalid-request', message: 'seal migration failed: the shares do not reconstruct the unseal key' } });
    expect(store.records).toEqual(before);
  });
});
