import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MemoryLogger, type Result } from '@coffer/base';
import { Barrier } from './barrier.js';
import { nodeCipher, type Cipher } from './cipher.js';
import { MemoryCoreStore } from './core-store.js';
import { KEYRING_PATH, ROOT_KEY_PATH, SEAL_CONFIG_PATH } from './layout.js';
import { WRONG_SHARES_MESSAGE } from './seal.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

async function initCluster(shares = 5, threshold = 3) {
  const store = new MemoryCoreStore();
  const logger = new MemoryLogger();
  const barrier = new Barrier({ store, logger });
  const init = value(await barrier.init({ secretShares: shares, secretThreshold: threshold }, { nowMs: 1_000 }));
  store.apply(init.writes);
  return { store, logger, barrier, init };
}

describe('Barrier: init', () => {
  it('returns n shares in hex and base64 and the writes to persist; the node starts sealed', async () => {
    const store = new MemoryCoreStore();
    const barrier = new Barrier({ store });
    const before = value(await barrier.status());
    expect(before).toMatchObject({ initialized: false, sealed: true, type: 'shamir', t: 0, n: 0 });
    const init = value(await barrier.init({ secretShares: 5, secretThreshold: 3 }, { nowMs: 1 }));
    expect(init.keys).toHaveLength(5);
    expect(init.keysBase64).toHaveLength(5);
    expect(init.keys.every((k) => /^[0-9a-f]{66}$/.test(k))).toBe(true);
    expect(init.keysBase64.map((k) => Buffer.from(k, 'base64').toString('hex'))).toEqual(init.keys);
    expect(init.recoveryKeys).toEqual([]);
    expect(init.writes.map((w) => w.path)).toEqual([SEAL_CONFIG_PATH, ROOT_KEY_PATH, KEYRING_PATH]);
    store.apply(init.writes);
    expect(value(await barrier.status())).toMatchObject({ initialized: true, sealed: true, t: 3, n: 5, progress: 0 });
    expect(barrier.encrypt('p', bytes('x'))).toMatchObject({ ok: false, error: { kind: 'sealed' } });
  });

  it('refuses threshold above shares and init twice, changing nothing', async () => {
    const store = new MemoryCoreStore();
    const barrier = new Barrier({ store });
    const bad = await barrier.init({ secretShares: 3, secretThreshold: 4 }, { nowMs: 1 });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(!bad.ok && bad.error.message).toMatch(/secret_threshold \(4\) must not exceed secret_shares \(3\)/);
    expect(value(await barrier.status()).initialized).toBe(false);
    const first = value(await barrier.init({ secretShares: 3, secretThreshold: 2 }, { nowMs: 1 }));
    // twice on the same node, even before the writes are applied
    expect(await barrier.init({ secretShares: 3, secretThreshold: 2 }, { nowMs: 1 })).toMatchObject({ ok: false, error: { kind: 'invalid-request', message: 'already initialized' } });
    store.apply(first.writes);
    const snapshot = new Map(store.records);
    // and on another node that sees the applied state
    const other = new Barrier({ store });
    expect(await other.init({ secretShares: 3, secretThreshold: 2 }, { nowMs: 1 })).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(store.records).toEqual(snapshot);
  });

  it('unseal before init says uninitialized', async () => {
    const barrier = new Barrier({ store: new MemoryCoreStore() });
    expect(await barrier.submitUnsealShare('00')).toMatchObject({ ok: false, error: { kind: 'uninitialized' } });
  });
});

describe('Barrier: unseal', () => {
  it('collects t shares (hex or base64) with per-node progress and a nonce, then unseals', async () => {
    const { barrier, init, store } = await initCluster();
    const s1 = value(await barrier.submitUnsealShare(init.keys[0] ?? ''));
    expect(s1).toMatchObject({ sealed: true, progress: 1, t: 3, n: 5 });
    expect(s1.nonce).toMatch(/^[0-9a-f-]{36}$/);
    const s2 = value(await barrier.submitUnsealShare(init.keysBase64[3] ?? ''));
    expect(s2).toMatchObject({ sealed: true, progress: 2, nonce: s1.nonce });
    const other = new Barrier({ store }); // progress is per node
    expect(value(await other.status()).progress).toBe(0);
    const done = value(await barrier.submitUnsealShare(init.keys[4] ?? ''));
    expect(done).toMatchObject({ sealed: false, progress: 0, nonce: '', clusterId: init.clusterId });
    const rec = value(barrier.encrypt('secret/a', bytes('v1')));
    expect(text(value(barrier.decrypt('secret/a', rec)))).toBe('v1');
    expect(value(barrier.keyStatus())).toEqual({ term: 1, installTimeMs: 1_000, encryptions: 1 });
  });

  it('a node restarted on the same state unseals with the same shares and reads old records', async () => {
    const { barrier, init, store } = await initCluster(3, 2);
    for (const k of init.keys.slice(0, 2)) value(await barrier.submitUnsealShare(k));
    const rec = value(barrier.encrypt('secret/a', bytes('kept')));
    const restarted = new Barrier({ store });
    expect(restarted.isSealed()).toBe(true);
    for (const k of init.keys.slice(1, 3)) value(await restarted.submitUnsealShare(k));
    expect(text(value(restarted.decrypt('secret/a', rec)))).toBe('kept');
  });

  it('1 of 1: the single share is the 32-byte key', async () => {
    const { barrier, init } = await initCluster(1, 1);
    expect(init.keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(value(await barrier.submitUnsealShare(init.keys[0] ?? '')).sealed).toBe(false);
  });

  it('a wrong share (another cluster) fails at the threshold, resets progress, and the right shares still work', async () => {
    const { barrier, init, logger } = await initCluster();
    const foreign = await initCluster();
    value(await barrier.submitUnsealShare(init.keys[0] ?? ''));
    const before = value(await barrier.submitUnsealShare(init.keys[1] ?? ''));
    const r = await barrier.submitUnsealShare(foreign.init.keys[2] ?? '');
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-request', message: WRONG_SHARES_MESSAGE } });
    const after = value(await barrier.status());
    expect(after).toMatchObject({ sealed: true, progress: 0, lastUnsealError: WRONG_SHARES_MESSAGE });
    expect(after.nonce).not.toBe(before.nonce);
    for (const k of init.keys.slice(2, 5)) value(await barrier.submitUnsealShare(k));
    expect(barrier.isSealed()).toBe(false);
    const logged = JSON.stringify(logger.records);
    for (const k of [...init.keys, ...init.keysBase64, ...foreign.init.keys]) expect(logged).not.toContain(k);
  });

  it('a duplicate or malformed share is refused and leaves progress as it was', async () => {
    const { barrier, init } = await initCluster();
    value(await barrier.submitUnsealShare(init.keys[0] ?? ''));
    const nonce = value(await barrier.status()).nonce;
    const dup = await barrier.submitUnsealShare(init.keysBase64[0] ?? ''); // same share, other encoding
    expect(dup).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(!dup.ok && dup.error.message).toMatch(/duplicate/);
    for (const bad of ['not-hex-or-b64!', (init.keys[1] ?? '').slice(0, 64), 'abcd']) {
      const r = await barrier.submitUnsealShare(bad);
      expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
      expect(!r.ok && r.error.message).toMatch(/malformed key share/);
    }
    expect(value(await barrier.status())).toMatchObject({ progress: 1, nonce });
  });

  it('reset mid-way drops progress and changes the nonce; reset while unsealed is refused', async () => {
    const { barrier, init } = await initCluster();
    const s = value(await barrier.submitUnsealShare(init.keys[0] ?? ''));
    value(await barrier.submitUnsealShare(init.keys[1] ?? ''));
    const reset = value(await barrier.resetUnseal());
    expect(reset).toMatchObject({ sealed: true, progress: 0 });
    const again = value(await barrier.submitUnsealShare(init.keys[2] ?? ''));
    expect(again.progress).toBe(1);
    expect(again.nonce).not.toBe(s.nonce);
    value(await barrier.submitUnsealShare(init.keys[3] ?? ''));
    value(await barrier.submitUnsealShare(init.keys[4] ?? ''));
    expect(await barrier.resetUnseal()).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
  });

  it('concurrent submissions are serialized', async () => {
    const { barrier, init } = await initCluster();
    const results = await Promise.all(init.keys.slice(0, 3).map((k) => barrier.submitUnsealShare(k)));
    expect(results.map((r) => value(r).progress)).toEqual([1, 2, 0]);
    expect(barrier.isSealed()).toBe(false);
  });

  it('seal zeroes the root key and every keyring key; the node then answers sealed', async () => {
    const seen: Uint8Array[] = [];
    const recording: Cipher = {
      name: 'recording',
      seal: (key, nonce, pt, aad) => (seen.push(key), nodeCipher.seal(key, nonce, pt, aad)),
      open: (key, nonce, ct, aad) => (seen.push(key), nodeCipher.open(key, nonce, ct, aad)),
    };
    const { init, store } = await initCluster();
    const barrier = new Barrier({ store, cipher: recording });
    for (const k of init.keys.slice(0, 3)) value(await barrier.submitUnsealShare(k));
    const rec = value(barrier.encrypt('a', bytes('x')));
    expect(seen.some((k) => k.some((b) => b !== 0))).toBe(true);
    barrier.seal();
    expect(seen.length).toBeGreaterThanOrEqual(3); // KEK, root key, keyring term 1
    for (const k of seen) expect(k.every((b) => b === 0)).toBe(true);
    expect(barrier.decrypt('a', rec)).toMatchObject({ ok: false, error: { kind: 'sealed' } });
    expect(value(await barrier.status()).sealed).toBe(true);
  });

  it('never shows key material through JSON, inspect or errors', async () => {
    const { barrier, init } = await initCluster();
    for (const k of init.keys.slice(0, 3)) value(await barrier.submitUnsealShare(k));
    expect(JSON.stringify({ barrier })).toBe('{"barrier":"[redacted barrier]"}');
    expect(inspect(barrier)).toBe('[redacted barrier]');
  });
});
