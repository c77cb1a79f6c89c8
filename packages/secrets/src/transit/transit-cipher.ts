/**
 * One item's encryption and decryption under a transit key record, with keysutil's version rules
 * and messages. Pure functions of (record, item, random bytes): errors are returned per item so a
 * batch can report them one by one.
 */
import { aeadOpen, aeadSeal, decodeBase64, deriveKey, encodeBase64, formatCiphertext, NONCE_BYTES, parseCiphertext } from './transit-crypto.js';
import { keyMaterial } from './transit-records.js';
import type { TransitKeyRecord } from './transit-records.js';
import type { RandomBytes } from './transit-keys.js';

export const ERR_TOO_OLD = 'ciphertext or signature version is disallowed by policy (too old)';
export const ERR_MISSING_CONTEXT =
  "missing 'context' for key derivation; the key was created using a derived key, which means additional, per-request information must be included in order to perform operations with the key";
export const ERR_AUTH = 'cipher: message authentication failed';

/** An item's base64 inputs, decoded; `context`/`aad` are undefined when not given. */
export interface DecodedInputs {
  readonly context: Uint8Array | undefined;
  readonly aad: Uint8Array | undefined;
}

export type ItemResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** The key for `version`, derived with the context when the key is derived. */
function workingKey(rec: TransitKeyRecord, version: number, context: Uint8Array | undefined): ItemResult<Uint8Array> {
  const key = keyMaterial(rec, version);
  if (key === undefined) return { ok: false, error: 'invalid key version' };
  if (!rec.derived) return { ok: true, value: key };
  if (context === undefined || context.length === 0) return { ok: false, error: ERR_MISSING_CONTEXT };
  return { ok: true, value: deriveKey(key, context) };
}

/** Picks the version to encrypt with (`requested` 0 = latest), as keysutil's `Encrypt`. */
export function encryptionVersion(rec: TransitKeyRecord, requested: number): ItemResult<number> {
  if (requested < 0) return { ok: false, error: 'requested version for encryption is negative' };
  if (requested === 0) return { ok: true, value: rec.latestVersion };
  if (requested > rec.latestVersion) return { ok: false, error: 'requested version for encryption is higher than the latest key version' };
  if (rec.minEncryptionVersion > 0 && requested < rec.minEncryptionVersion) {
    return { ok: false, error: 'requested version for encryption is less than the minimum encryption key version' };
  }
  return { ok: true, value: requested };
}

export function encryptItem(
  rec: TransitKeyRecord, plaintext: Uint8Array, inputs: DecodedInputs, requestedVersion: number, random: RandomBytes,
): ItemResult<{ ciphertext: string; keyVersion: number }> {
  const version = encryptionVersion(rec, requestedVersion);
  if (!version.ok) return version;
  const key = workingKey(rec, version.value, inputs.context);
  if (!key.ok) return key;
  const nonce = random(NONCE_BYTES);
  const sealed = aeadSeal(rec.type, key.value, nonce, plaintext, inputs.aad);
  return { ok: true, value: { ciphertext: formatCiphertext(version.value, nonce, sealed), keyVersion: version.value } };
}

export function decryptItem(rec: TransitKeyRecord, ciphertext: string, inputs: DecodedInputs): ItemResult<Uint8Array> {
  const parsed = parseCiphertext(ciphertext);
  if (!parsed.ok) return parsed;
  if (parsed.version > rec.latestVersion) return { ok: false, error: 'invalid ciphertext: version is too new' };
  if (parsed.version < rec.minDecryptionVersion) return { ok: false, error: ERR_TOO_OLD };
  const key = workingKey(rec, parsed.version, inputs.context);
  if (!key.ok) return key;
  const plain = aeadOpen(rec.type, key.value, parsed.nonce, parsed.sealed, inputs.aad);
  return plain === undefined ? { ok: false, error: ERR_AUTH } : { ok: true, value: plain };
}

/** Decodes an optional base64 field of an item (`context`, `associated_data`). */
export function optionalBase64(item: Record<string, unknown>, field: string): ItemResult<Uint8Array | undefined> {
  const raw = item[field];
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: undefined };
  if (typeof raw !== 'string') return { ok: false, error: `invalid value for field "${field}": expected a base64 string` };
  return decodeBase64(raw);
}

export const b64 = encodeBase64;
