import { createCipheriv, createDecipheriv } from 'node:crypto';
import { gcm } from '@noble/ciphers/aes.js';
import { assert } from '@coffer/base';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/**
 * AES-256-GCM behind one interface, so the reference implementation (@noble/ciphers) and the
 * hot-path one (node:crypto, OpenSSL with AES-NI) are interchangeable; a test proves they produce
 * the same bytes. `seal` returns ciphertext || 16-byte tag; `open` returns undefined when the tag
 * does not verify (wrong key, wrong AAD, or tampered bytes) and never says which.
 */
export interface Cipher {
  readonly name: string;
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined;
}

/** noble picks AES-128/192/256 from the key length and accepts any nonce length: we do not. */
function checkLengths(key: Uint8Array, nonce: Uint8Array): void {
  assert(key.length === KEY_BYTES, `AES-256-GCM key must be ${KEY_BYTES} bytes, got ${key.length}`);
  assert(nonce.length === NONCE_BYTES, `AES-256-GCM nonce must be ${NONCE_BYTES} bytes, got ${nonce.length}`);
}

export const nobleCipher: Cipher = {
  name: 'noble-gcm',
  seal(key, nonce, plaintext, aad) {
    checkLengths(key, nonce);
    return gcm(key, nonce, aad).encrypt(plaintext);
  },
  open(key, nonce, sealed, aad) {
    checkLengths(key, nonce);
    if (sealed.length < TAG_BYTES) return undefined;
    try {
      return gcm(key, nonce, aad).decrypt(sealed);
    } catch {
      return undefined; // 'aes-gcm: invalid tag'
    }
  },
};

export const nodeCipher: Cipher = {
  name: 'node-aes-256-gcm',
  seal(key, nonce, plaintext, aad) {
    checkLengths(key, nonce);
    const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    c.setAAD(aad);
    const head = c.update(plaintext);
    const tail = c.final();
    const out = new Uint8Array(head.length + tail.length + TAG_BYTES);
    out.set(head, 0);
    out.set(tail, head.length);
    out.set(c.getAuthTag(), head.length + tail.length);
    head.fill(0);
    return out;
  },
  open(key, nonce, sealed, aad) {
    checkLengths(key, nonce);
    if (sealed.length < TAG_BYTES) return undefined;
    const split = sealed.length - TAG_BYTES;
    const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(split));
    const head = d.update(sealed.subarray(0, split));
    try {
      const tail = d.final();
      const out = new Uint8Array(head.length + tail.length);
      out.set(head, 0);
      out.set(tail, head.length);
      return out;
    } catch {
      return undefined; // 'Unsupported state or unable to authenticate data'
    } finally {
      head.fill(0); // unauthenticated plaintext never leaves this function
    }
  },
};
