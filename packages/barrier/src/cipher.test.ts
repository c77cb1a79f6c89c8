import { describe, expect, it } from 'vitest';
import { AssertionError } from '@coffer/base';
import { nobleCipher, nodeCipher } from './cipher.js';
import { insecureSeededRandom } from './random.js';

const random = insecureSeededRandom(7);
const aad = new TextEncoder().encode('secret/data/app/db');

describe('AES-256-GCM implementations', () => {
  it('noble and node:crypto produce identical bytes and open each other', () => {
    for (const size of [0, 1, 15, 16, 17, 1024, 4099]) {
      const key = random.bytes(32);
      const nonce = random.bytes(12);
      const plaintext = random.bytes(size);
      const a = nobleCipher.seal(key, nonce, plaintext, aad);
      const b = nodeCipher.seal(key, nonce, plaintext, aad);
      expect(a.length).toBe(size + 16);
      expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
      expect(nodeCipher.open(key, nonce, a, aad)).toEqual(plaintext);
      expect(nobleCipher.open(key, nonce, b, aad)).toEqual(plaintext);
    }
  });

  for (const cipher of [nobleCipher, nodeCipher]) {
    describe(cipher.name, () => {
      const key = random.bytes(32);
      const nonce = random.bytes(12);
      const sealed = cipher.seal(key, nonce, new TextEncoder().encode('hello'), aad);

      it('refuses a tampered ciphertext, a wrong key, a wrong AAD, a truncated tag', () => {
        const tampered = sealed.slice();
        tampered[0] = (tampered[0] ?? 0) ^ 1;
        expect(cipher.open(key, nonce, tampered, aad)).toBeUndefined();
        expect(cipher.open(random.bytes(32), nonce, sealed, aad)).toBeUndefined();
        expect(cipher.open(key, nonce, sealed, new TextEncoder().encode('secret/data/other'))).toBeUndefined();
        expect(cipher.open(key, nonce, sealed.subarray(0, 10), aad)).toBeUndefined();
      });

      it('accepts Buffers as input', () => {
        const out = cipher.open(Buffer.from(key), Buffer.from(nonce), Buffer.from(sealed), Buffer.from(aad));
        expect(new TextDecoder().decode(out)).toBe('hello');
      });

      it('rejects keys that are not 32 bytes and nonces that are not 12 bytes', () => {
        expect(() => cipher.seal(random.bytes(16), nonce, new Uint8Array(1), aad)).toThrow(AssertionError);
        expect(() => cipher.seal(key, random.bytes(8), new Uint8Array(1), aad)).toThrow(AssertionError);
        expect(() => cipher.open(random.bytes(24), nonce, sealed, aad)).toThrow(AssertionError);
        expect(() => cipher.open(key, random.bytes(16), sealed, aad)).toThrow(AssertionError);
      });
    });
  }
});

describe('cryptoRandom', () => {
  it('never hands out the same bytes twice across pool refills', async () => {
    const { cryptoRandom } = await import('./random.js');
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) seen.add(Buffer.from(cryptoRandom.bytes(12)).toString('hex'));
    expect(seen.size).toBe(2_000);
    expect(cryptoRandom.bytes(100).length).toBe(100);
    expect(cryptoRandom.bytes(32).some((b) => b !== 0)).toBe(true);
  });
});
