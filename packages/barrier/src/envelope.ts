import { cofferError, err, ok, type Result } from '@coffer/base';
import { readU32, utf8, writeU32 } from './bytes.js';
import { NONCE_BYTES, TAG_BYTES, type Cipher } from './cipher.js';

/**
 * The record envelope, byte for byte as Vault's barrier:
 *   [4-byte big-endian term][version byte][12-byte nonce][ciphertext || 16-byte tag]
 * Version 0x2 means the record's storage path is the AAD, so a ciphertext copied to another path
 * fails to open. Version 0x1 (no AAD) is refused on read: accepting it would let an attacker who
 * can write to storage strip the path binding.
 *
 * Term 0 is reserved for records sealed directly with the root key or a KEK (the keyring and the
 * Shamir-wrapped root key); keyring terms start at 1.
 */
export const ENVELOPE_VERSION_PATH_AAD = 0x2;
export const ROOT_KEY_TERM = 0;
const HEADER_BYTES = 4 + 1 + NONCE_BYTES;
/** An empty plaintext still carries a tag. */
export const MIN_RECORD_BYTES = HEADER_BYTES + TAG_BYTES;

export interface ParsedRecord {
  readonly term: number;
  readonly nonce: Uint8Array;
  readonly sealed: Uint8Array;
}

export function sealRecord(
  cipher: Cipher,
  key: Uint8Array,
  term: number,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  path: string,
): Uint8Array {
  const sealed = cipher.seal(key, nonce, plaintext, utf8(path));
  const out = new Uint8Array(HEADER_BYTES + sealed.length);
  writeU32(out, 0, term);
  out[4] = ENVELOPE_VERSION_PATH_AAD;
  out.set(nonce, 5);
  out.set(sealed, HEADER_BYTES);
  return out;
}

/** Splits an envelope without any key; fails on a short record or an unknown version. */
export function parseRecord(record: Uint8Array, path: string): Result<ParsedRecord> {
  if (record.length < MIN_RECORD_BYTES) {
    return err(cofferError('internal', `record at ${path} is truncated (${record.length} bytes)`));
  }
  if (record[4] !== ENVELOPE_VERSION_PATH_AAD) {
    return err(cofferError('internal', `record at ${path} has unsupported envelope version ${record[4] ?? '?'}`));
  }
  return ok({
    term: readU32(record, 0),
    nonce: record.subarray(5, HEADER_BYTES),
    sealed: record.subarray(HEADER_BYTES),
  });
}

/** Opens a parsed record with the key of its term; the error never says more than "did not authenticate". */
export function openRecord(cipher: Cipher, key: Uint8Array, parsed: ParsedRecord, path: string): Result<Uint8Array> {
  const plaintext = cipher.open(key, parsed.nonce, parsed.sealed, utf8(path));
  if (plaintext === undefined) {
    return err(
      cofferError('internal', `record at ${path} failed authentication (wrong key, tampered, or moved from another path)`),
    );
  }
  return ok(plaintext);
}
