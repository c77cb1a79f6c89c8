/**
 * Transit's cryptography: the two AEADs, key derivation, and Vault's ciphertext format.
 *
 * - `aes256-gcm96`: AES-256-GCM through node:crypto (AES-NI; ~7x noble's speed on 1 KiB).
 * - `chacha20-poly1305`: RFC 8439 ChaCha20-Poly1305 through `@noble/ciphers/chacha.js`.
 * Both use a 32-byte key, a 12-byte random nonce and a 16-byte tag, so one layout serves both:
 * `vault:v<N>:` + base64(nonce(12) || ciphertext || tag(16)), exactly Vault's.
 *
 * Derived keys: HKDF-SHA256(ikm = key version's material, salt = none (RFC 5869: zeros),
 * info = context, 32 bytes). This is Vault's `kdf: hkdf_sha256` (keysutil Kdf_hkdf_sha256, used
 * for every derived key created since Vault 0.8), so ciphertexts interoperate key-for-key.
 *
 * These functions run on the leader only (inside an engine's `handle`), never at apply time.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

export const KEY_TYPES = ['aes256-gcm96', 'chacha20-poly1305'] as const;
export type TransitKeyType = (typeof KEY_TYPES)[number];
export const isKeyType = (t: string): t is TransitKeyType => (KEY_TYPES as readonly string[]).includes(t);

/** Key types Vault knows that this server does not implement (a distinct 400 message). */
export const VAULT_ONLY_KEY_TYPES = [
  'aes128-gcm96', 'xchacha20-poly1305', 'ed25519', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'hmac',
];

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/** Seals `plaintext`; returns ciphertext || tag. */
export function aeadSeal(type: TransitKeyType, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array | undefined): Uint8Array {
  assertSizes(key, nonce);
  if (type === 'chacha20-poly1305') return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  if (aad !== undefined && aad.length > 0) c.setAAD(aad);
  const body = c.update(plaintext);
  const tail = c.final();
  const tag = c.getAuthTag();
  const out = new Uint8Array(body.length + tail.length + tag.length);
  out.set(body, 0);
  out.set(tail, body.length);
  out.set(tag, body.length + tail.length);
  return out;
}

/** Opens ciphertext || tag; undefined when authentication fails (wrong key, context, AAD or tamper). */
export function aeadOpen(type: TransitKeyType, key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array | undefined): Uint8Array | undefined {
  assertSizes(key, nonce);
  if (sealed.length < TAG_BYTES) return undefined;
  try {
    if (type === 'chacha20-poly1305') return chacha20poly1305(key, nonce, aad).decrypt(sealed);
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    if (aad !== undefined && aad.length > 0) d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const body = d.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    const tail = d.final();
    return new Uint8Array(Buffer.concat([body, tail]));
  } catch {
    return undefined;
  }
}

function assertSizes(key: Uint8Array, nonce: Uint8Array): void {
  // noble's gcm would silently pick AES-128 for a 16-byte key; never let a short key through.
  if (key.length !== KEY_BYTES || nonce.length !== NONCE_BYTES) throw new Error('transit: bad key or nonce size');
}

/** The per-context key of a derived transit key (see the header for why HKDF-SHA256). */
export function deriveKey(key: Uint8Array, context: Uint8Array): Uint8Array {
  return hkdf(sha256, key, undefined, context, KEY_BYTES);
}

const B64_CHARS = /^[A-Za-z0-9+/]*$/;

/**
 * Decodes standard, padded base64 the way Go's `base64.StdEncoding.DecodeString` does (what
 * Vault uses): CR/LF are ignored; anything else not in the alphabet, bad padding or a length that
 * is not a multiple of 4 fails with Go's message `illegal base64 data at input byte N`.
 */
export function decodeBase64(s: string): { ok: true; value: Uint8Array } | { ok: false; error: string } {
  const clean = s.replace(/[\r\n]/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const body = clean.slice(0, clean.length - pad);
  if (!B64_CHARS.test(body)) {
    const at = [...body].findIndex((ch) => !/[A-Za-z0-9+/]/.test(ch));
    return { ok: false, error: `illegal base64 data at input byte ${at}` };
  }
  if (clean.length % 4 !== 0 || (pad > 0 && body.length % 4 === 1)) {
    return { ok: false, error: `illegal base64 data at input byte ${Math.max(0, clean.length - (clean.length % 4 === 0 ? pad : clean.length % 4))}` };
  }
  return { ok: true, value: new Uint8Array(Buffer.from(clean, 'base64')) };
}

export const encodeBase64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** `vault:v<N>:<base64(nonce || ct || tag)>`. */
export function formatCiphertext(version: number, nonce: Uint8Array, sealed: Uint8Array): string {
  const blob = new Uint8Array(nonce.length + sealed.length);
  blob.set(nonce, 0);
  blob.set(sealed, nonce.length);
  return `vault:v${version}:${encodeBase64(blob)}`;
}

export type ParsedCiphertext = { ok: true; version: number; nonce: Uint8Array; sealed: Uint8Array } | { ok: false; error: string };

/** Parses a transit ciphertext with Vault's (keysutil) error messages. */
export function parseCiphertext(ciphertext: string): ParsedCiphertext {
  if (!ciphertext.startsWith('vault:')) return { ok: false, error: 'invalid ciphertext: no prefix' };
  const fields = ciphertext.slice('vault:'.length).split(':');
  if (fields.length !== 2) return { ok: false, error: 'invalid ciphertext: wrong number of fields' };
  const [tag, b64] = fields as [string, string];
  const m = /^v(\d{1,9})$/.exec(tag);
  if (m === null) return { ok: false, error: 'invalid ciphertext: version number could not be decoded' };
  // Vault reads v0 (pre-0.3 ciphertexts) as version 1.
  const version = Math.max(1, Number(m[1]));
  const blob = decodeBase64(b64);
  if (!blob.ok) return { ok: false, error: 'invalid ciphertext: could not decode base64' };
  if (blob.value.length < NONCE_BYTES + TAG_BYTES) return { ok: false, error: 'invalid ciphertext: unable to decrypt' };
  return { ok: true, version, nonce: blob.value.subarray(0, NONCE_BYTES), sealed: blob.value.subarray(NONCE_BYTES) };
}
