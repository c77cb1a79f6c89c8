/** The AEADs, HKDF and the ciphertext format, cross-checked against independent implementations. */
import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { gcm } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { aeadOpen, aeadSeal, decodeBase64, deriveKey, formatCiphertext, parseCiphertext } from './transit-crypto.js';

const key = new Uint8Array(randomBytes(32));
const nonce = new Uint8Array(randomBytes(12));
const msg = new TextEncoder().encode('interop check');

describe('transit crypto', () => {
  it('aes256-gcm96 output is standard AES-256-GCM (noble opens it)', () => {
    const sealed = aeadSeal('aes256-gcm96', key, nonce, msg, undefined);
    expect(gcm(key, nonce).decrypt(sealed)).toEqual(msg);
  });

  it('chacha20-poly1305 output is RFC 8439 (node:crypto opens it)', () => {
    const sealed = aeadSeal('chacha20-poly1305', key, nonce, msg, undefined);
    const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    expect(new Uint8Array(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]))).toEqual(msg);
  });

  it('open fails (undefined) on a wrong key, wrong AAD or a flipped bit', () => {
    for (const type of ['aes256-gcm96', 'chacha20-poly1305'] as const) {
      const aad = new Uint8Array([1, 2, 3]);
      const sealed = aeadSeal(type, key, nonce, msg, aad);
      expect(aeadOpen(type, key, nonce, sealed, aad)).toEqual(msg);
      expect(aeadOpen(type, new Uint8Array(32), nonce, sealed, aad)).toBeUndefined();
      expect(aeadOpen(type, key, nonce, sealed, new Uint8Array([9]))).toBeUndefined();
      const flipped = sealed.slice();
      flipped[0] = (flipped[0] ?? 0) ^ 1;
      expect(aeadOpen(type, key, nonce, flipped, aad)).toBeUndefined();
    }
  });

  it('derivation is HKDF-SHA256(key, no salt, info = context), like Vault\'s hkdf_sha256', () => {
    const context = new TextEncoder().encode('ctx');
    expect(deriveKey(key, context)).toEqual(new Uint8Array(hkdfSync('sha256', key, new Uint8Array(0), context, 32)));
    expect(deriveKey(key, context)).not.toEqual(deriveKey(key, new TextEncoder().encode('ctx2')));
  });

  it('formats and parses vault:v<N>: ciphertexts', () => {
    const sealed = aeadSeal('aes256-gcm96', key, nonce, msg, undefined);
    const text = formatCiphertext(12, nonce, sealed);
    const parsed = parseCiphertext(text);
    expect(parsed).toMatchObject({ ok: true, version: 12 });
    if (parsed.ok) expect([parsed.nonce, parsed.sealed]).toEqual([nonce, sealed]);
    expect(parseCiphertext('vault:v0:' + text.split(':')[2])).toMatchObject({ ok: true, version: 1 });
    expect(parseCiphertext('vault:v1:AAAA')).toEqual({ ok: false, error: 'invalid ciphertext: unable to decrypt' });
    expect(parseCiphertext('vault:v1:a:b')).toEqual({ ok: false, error: 'invalid ciphertext: wrong number of fields' });
    expect(parseCiphertext('vault:v1:***')).toEqual({ ok: false, error: 'invalid ciphertext: could not decode base64' });
  });

  it('base64 decoding is Go StdEncoding: padded, strict alphabet, newlines ignored', () => {
    expect(decodeBase64('aGk=')).toEqual({ ok: true, value: new Uint8Array([104, 105]) });
    expect(decodeBase64('aG\nk=')).toMatchObject({ ok: true });
    expect(decodeBase64('')).toEqual({ ok: true, value: new Uint8Array(0) });
    expect(decodeBase64('aGk')).toMatchObject({ ok: false });
    expect(decodeBase64('aG-k')).toEqual({ ok: false, error: 'illegal base64 data at input byte 2' });
    expect(decodeBase64('a===')).toMatchObject({ ok: false });
  });
});
