/** Byte helpers and the hashing used for every stored secret (hex SHA-256; no secret is stored). */
import { createHash } from 'node:crypto';

/** Fills `n` random bytes. Production: node:crypto randomBytes; tests: a seeded source. */
export type RandomBytes = (n: number) => Uint8Array;

/**
 * Hex SHA-256 of a high-entropy secret (activation secret, secondary credential, DR operation or
 * batch token). Plain SHA-256 suffices because every such secret carries >= 128 random bits.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64url (no padding); undefined when the text is not base64url. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` base62 characters from `random` (rejection sampling: no modulo bias). */
export function randomBase62(random: RandomBytes, length: number): string {
  let out = '';
  for (let guard = 0; out.length < length && guard < 64; guard++) {
    for (const b of random(length * 2)) {
      if (b < 248 && out.length < length) out += BASE62[b % 62];
    }
  }
  if (out.length < length) throw new Error('random source returned too few usable bytes');
  return out;
}
