/**
 * Transit key material is drawn on the leader and leaves it only sealed by the barrier: every
 * 32-byte key the engine's CSPRNG produced must not appear (raw, base64, base64url, hex) in any
 * stored value, persisted record, snapshot or proposed command. And applying the proposed
 * commands needs no key: a fresh state machine fed the log reaches the same state.
 */
import { describe, expect, it } from 'vitest';
import { StorageFsm } from '../fsm/storage-fsm.js';
import { encodeStoredRecord } from '../fsm/snapshot-codec.js';
import { b64, transitStack } from './transit.test-helper.js';
import type { TransitTestStack } from './transit.test-helper.js';

function forms(b: Uint8Array): Buffer[] {
  const raw = Buffer.from(b);
  return [raw, Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('base64url')), Buffer.from(raw.toString('hex')), Buffer.from(raw.toString('hex').toUpperCase())];
}

async function workload(t: TransitTestStack): Promise<void> {
  await t.post('transit/keys/a');
  await t.post('transit/keys/c', { type: 'chacha20-poly1305', derived: true });
  await t.post('transit/keys/a/rotate');
  await t.post('transit/keys/c/rotate');
  await t.req('create', 'transit/encrypt/upserted', { plaintext: b64('p') });
  await t.post('transit/keys/a/config', { min_decryption_version: 2, deletion_allowed: true });
  await t.post('transit/encrypt/a', { plaintext: b64('hello') });
}

function scan(t: TransitTestStack, needles: Uint8Array[]): string[] {
  const haystacks: Array<[string, Uint8Array]> = [['snapshot', t.fsm.snapshot()]];
  for (const [path, entry] of t.fsm.list('')) haystacks.push([`value ${path}`, entry.value], [`record ${path}`, encodeStoredRecord(entry)]);
  t.proposer.log.forEach((cmd, i) => haystacks.push([`log ${i}`, cmd]));
  const found: string[] = [];
  for (const [where, bytes] of haystacks) {
    const hay = Buffer.from(bytes);
    needles.forEach((n, i) => {
      for (const form of forms(n)) if (hay.includes(form)) found.push(`${where} holds key ${i}`);
    });
  }
  return found;
}

describe('transit: no key material below the logical layer', () => {
  it('no drawn key appears in stored values, records, the snapshot or the log', async () => {
    const t = transitStack();
    await workload(t);
    const keys = t.draws.filter((d) => d.length === 32);
    expect(keys).toHaveLength(5); // a v1, c v1, a v2, c v2, upserted v1
    expect(t.fsm.list('logical/default-transit/policy/')).toHaveLength(3);
    expect(scan(t, keys)).toEqual([]);
  });

  it('control: with a crypter that does not encrypt, the scan finds the keys', async () => {
    const t = transitStack();
    // From now on records are stored in clear; the harness's earlier (sealed) records still open.
    const real = t.crypter.decrypt.bind(t.crypter);
    t.crypter.encrypt = (_path, plaintext) => ({ ok: true, value: plaintext });
    t.crypter.decrypt = (path, record) => {
      const opened = real(path, record);
      return opened.ok ? opened : { ok: true, value: record };
    };
    await workload(t);
    expect(t.fsm.list('logical/default-transit/policy/')).toHaveLength(3);
    expect(scan(t, t.draws.filter((d) => d.length === 32)).length).toBeGreaterThan(0);
  });

  it('replaying the proposed commands on keyless state machines (fresh, and restored half-way) gives the same state', async () => {
    const t = transitStack();
    await workload(t);
    const log = t.proposer.log;
    const replica = new StorageFsm();
    const half = Math.floor(log.length / 2);
    let snapshot: Uint8Array = new Uint8Array();
    log.forEach((cmd, i) => {
      expect(replica.applyEncoded(cmd, i + 1).outcome).toEqual({ ok: true });
      if (i + 1 === half) snapshot = replica.snapshot();
    });
    expect(replica.stateHash()).toBe(t.fsm.stateHash());
    const restored = new StorageFsm();
    expect(restored.restore(snapshot).ok).toBe(true);
    log.slice(half).forEach((cmd, i) => expect(restored.applyEncoded(cmd, half + i + 1).outcome).toEqual({ ok: true }));
    expect(restored.stateHash()).toBe(t.fsm.stateHash());
  });
});
