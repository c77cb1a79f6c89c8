import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nobleCipher, nodeCipher } from './cipher.js';
import { Keyring, GCM_ENCRYPTION_LIMIT } from './keyring.js';
import { keyringBlobTerm, openKeyringBlob, sealKeyringState } from './keyring-blob.js';
import { insecureSeededRandom } from './random.js';
import { toHex } from './bytes.js';

const random = insecureSeededRandom(3);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('Keyring', () => {
  it('encrypts with the active term, counts encryptions, and every term decrypts after rotation', () => {
    const kr = Keyring.create(random.bytes(32), 1000);
    const r1 = unwrap(kr.encrypt(nodeCipher, random, 'kv/a', bytes('one')));
    expect(kr.activeInfo()).toEqual({ term: 1, installTimeMs: 1000, encryptions: 1 });
    const rotated = Keyring.fromState(kr.stateWithNewTerm(random.bytes(32), 2000));
    expect(kr.activeTerm).toBe(1); // preparing a rotation changes nothing until installed
    expect(kr.merge(rotated)).toBe(true);
    expect(kr.activeInfo()).toEqual({ term: 2, installTimeMs: 2000, encryptions: 0 });
    const r2 = unwrap(kr.encrypt(nobleCipher, random, 'kv/b', bytes('two')));
    expect([...r2.subarray(0, 4)]).toEqual([0, 0, 0, 2]);
    expect(text(unwrap(kr.decrypt(nodeCipher, 'kv/a', r1)))).toBe('one');
    expect(text(unwrap(kr.decrypt(nodeCipher, 'kv/b', r2)))).toBe('two');
  });

  it('reports rotation due at maxEncryptions and refuses to encrypt at the GCM limit', () => {
    const kr = Keyring.create(random.bytes(32), 0, 3);
    for (let i = 0; i < 2; i++) unwrap(kr.encrypt(nodeCipher, random, 'p', bytes('x')));
    expect(kr.isRotationDue()).toBe(false);
    unwrap(kr.encrypt(nodeCipher, random, 'p', bytes('x')));
    expect(kr.isRotationDue()).toBe(true);
    const full = Keyring.fromState({
      activeTerm: 1, maxEncryptions: 10, terms: [{ term: 1, key: random.bytes(32), installTimeMs: 0, encryptions: GCM_ENCRYPTION_LIMIT }],
    });
    const r = full.encrypt(nodeCipher, random, 'p', bytes('x'));
    expect(!r.ok && r.error.kind).toBe('unavailable');
    expect(!r.ok && r.error.message).toMatch(/rotate the keyring/);
  });

  it('fails clearly on an unknown term', () => {
    const a = Keyring.fromState(Keyring.create(random.bytes(32), 0).stateWithNewTerm(random.bytes(32), 1));
    const rec = unwrap(a.encrypt(nodeCipher, random, 'p', bytes('x')));
    const b = Keyring.create(random.bytes(32), 0);
    const r = b.decrypt(nodeCipher, 'p', rec);
    expect(!r.ok && r.error.message).toMatch(/term 2, which this keyring does not hold/);
  });

  it('merges counts by max and refuses an older or conflicting keyring', () => {
    const kr = Keyring.create(random.bytes(32), 0);
    const newer = Keyring.fromState(kr.stateWithNewTerm(random.bytes(32), 5));
    expect(kr.merge(newer)).toBe(true);
    unwrap(kr.encrypt(nodeCipher, random, 'p', bytes('x')));
    const stale = Keyring.fromState({ ...kr.state(), terms: kr.state().terms.map((t) => ({ ...t, encryptions: 0 })) });
    expect(kr.merge(stale)).toBe(true);
    expect(kr.activeInfo().encryptions).toBe(1);
    const older = Keyring.create(kr.state().terms[0]?.key ?? new Uint8Array(32), 0);
    expect(kr.merge(older)).toBe(false);
    expect(kr.activeTerm).toBe(2);
    const foreign = Keyring.fromState({ ...kr.state(), terms: kr.state().terms.map((t) => ({ ...t, key: random.bytes(32) })) });
    expect(kr.merge(foreign)).toBe(false);
  });

  it('round-trips through the root-key-sealed blob, whose term is readable without a key', () => {
    const rootKey = random.bytes(32);
    const kr = Keyring.fromState(Keyring.create(random.bytes(32), 10).stateWithNewTerm(random.bytes(32), 20));
    unwrap(kr.encrypt(nodeCipher, random, 'p', bytes('x')));
    const blob = sealKeyringState(nodeCipher, rootKey, random, kr.state());
    expect(unwrap(keyringBlobTerm(blob))).toBe(2);
    const back = unwrap(openKeyringBlob(nobleCipher, rootKey, blob));
    expect(back.state()).toEqual(kr.state());
    expect(openKeyringBlob(nodeCipher, random.bytes(32), blob).ok).toBe(false);
    const forged = blob.slice();
    forged[4] = 3; // claim term 3 in the clear header
    expect(openKeyringBlob(nodeCipher, rootKey, forged).ok).toBe(false);
    const forgedId = blob.slice();
    forgedId[7] = (forgedId[7] ?? 0) ^ 1; // a byte of the active key id
    expect(openKeyringBlob(nodeCipher, rootKey, forgedId).ok).toBe(false);
    for (const t of kr.state().terms) expect(Buffer.from(blob).includes(Buffer.from(t.key))).toBe(false);
  });

  it('redacts itself and zeroes its keys on destroy', () => {
    const key = random.bytes(32);
    const kr = Keyring.create(key, 0);
    const hex = toHex(key);
    for (const shown of [JSON.stringify({ kr }), inspect(kr), String(kr), `${inspect({ nested: kr })}`]) {
      expect(shown).toContain('[redacted keyring]');
      expect(shown).not.toContain(hex);
    }
    const held = kr.state().terms.map((t) => t.key);
    kr.destroy();
    for (const k of held) expect(k.every((b) => b === 0)).toBe(true);
  });
});
