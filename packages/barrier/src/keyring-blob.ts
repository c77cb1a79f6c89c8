import { createHash } from 'node:crypto';
import { cofferError, err, ok, type Result } from '@coffer/base';
import { constantTimeEqual, readF64, readU32, wipe, writeF64, writeU32 } from './bytes.js';
import { KEY_BYTES, NONCE_BYTES, type Cipher } from './cipher.js';
import { openRecord, parseRecord, ROOT_KEY_TERM, sealRecord } from './envelope.js';
import { GCM_ENCRYPTION_LIMIT, Keyring, type KeyringState, type KeyTerm } from './keyring.js';
import { KEYRING_PATH } from './layout.js';
import type { RandomSource } from './random.js';

/**
 * The value stored at `core/keyring`:
 *   [u8 blob format = 1][u32 BE active term][8-byte id of the active term's key][8-byte id of the
 *   previous term's key, zeros for term 1][record envelope, term 0, sealed with the root key, AAD = path]
 * The header sits in clear so that the state machine, which holds no key, can refuse a stale or
 * forked keyring write (`checkKeyringWrite`); it is checked against the sealed content when opened.
 * A key id is the first 8 bytes of SHA-256(label || key): a key check value, which reveals nothing
 * usable about a 256-bit random key.
 *
 * Plaintext (format 1): [u8 1][u32 activeTerm][f64 maxEncryptions][u32 count]
 *   then per term: [u32 term][f64 installTimeMs][f64 encryptions][32-byte key]
 */
const BLOB_FORMAT = 1;
const KEY_ID_BYTES = 8;
const BLOB_HEADER_BYTES = 5 + 2 * KEY_ID_BYTES;
const KEY_ID_LABEL = 'coffer keyring key id v1';
const STATE_FORMAT = 1;
const STATE_HEADER_BYTES = 1 + 4 + 8 + 4;
const TERM_BYTES = 4 + 8 + 8 + KEY_BYTES;

export function serializeKeyringState(state: KeyringState): Uint8Array {
  const out = new Uint8Array(STATE_HEADER_BYTES + state.terms.length * TERM_BYTES);
  out[0] = STATE_FORMAT;
  writeU32(out, 1, state.activeTerm);
  writeF64(out, 5, state.maxEncryptions);
  writeU32(out, 13, state.terms.length);
  state.terms.forEach((t, i) => {
    const at = STATE_HEADER_BYTES + i * TERM_BYTES;
    writeU32(out, at, t.term);
    writeF64(out, at + 4, t.installTimeMs);
    writeF64(out, at + 12, t.encryptions);
    out.set(t.key, at + 20);
  });
  return out;
}

/** Validates everything Keyring's constructor would assert, so a corrupt blob is an error, not a crash. */
export function deserializeKeyringState(bytes: Uint8Array): Result<KeyringState> {
  const bad = (why: string): Result<KeyringState> => err(cofferError('internal', `stored keyring is corrupt: ${why}`));
  if (bytes.length < STATE_HEADER_BYTES || bytes[0] !== STATE_FORMAT) return bad('unknown format');
  const activeTerm = readU32(bytes, 1);
  const maxEncryptions = readF64(bytes, 5);
  const count = readU32(bytes, 13);
  if (bytes.length !== STATE_HEADER_BYTES + count * TERM_BYTES) return bad('length does not match term count');
  if (count === 0 || activeTerm !== count) return bad('active term is not the newest term');
  if (!(maxEncryptions >= 1 && maxEncryptions <= GCM_ENCRYPTION_LIMIT)) return bad('rotation bound out of range');
  const terms: KeyTerm[] = [];
  for (let i = 0; i < count; i++) {
    const at = STATE_HEADER_BYTES + i * TERM_BYTES;
    const term = readU32(bytes, at);
    if (term !== i + 1) return bad('terms are not 1..N in order');
    terms.push({
      term,
      installTimeMs: readF64(bytes, at + 4),
      encryptions: readF64(bytes, at + 12),
      key: bytes.subarray(at + 20, at + 20 + KEY_BYTES),
    });
  }
  return ok({ activeTerm, maxEncryptions, terms });
}

function keyId(key: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(KEY_ID_LABEL).update(key).digest().subarray(0, KEY_ID_BYTES));
}

/** The header's content, computed from the state: ids of the active and the previous term's keys. */
function headerFor(state: KeyringState): Uint8Array {
  const header = new Uint8Array(BLOB_HEADER_BYTES);
  header[0] = BLOB_FORMAT;
  writeU32(header, 1, state.activeTerm);
  const active = state.terms.find((t) => t.term === state.activeTerm);
  const previous = state.terms.find((t) => t.term === state.activeTerm - 1);
  if (active) header.set(keyId(active.key), 5);
  if (previous) header.set(keyId(previous.key), 5 + KEY_ID_BYTES);
  return header;
}

export function sealKeyringState(cipher: Cipher, rootKey: Uint8Array, random: RandomSource, state: KeyringState): Uint8Array {
  const plaintext = serializeKeyringState(state);
  try {
    const record = sealRecord(cipher, rootKey, ROOT_KEY_TERM, random.bytes(NONCE_BYTES), plaintext, KEYRING_PATH);
    const out = new Uint8Array(BLOB_HEADER_BYTES + record.length);
    out.set(headerFor(state), 0);
    out.set(record, BLOB_HEADER_BYTES);
    return out;
  } finally {
    wipe(plaintext);
  }
}

/** The clear header of a stored keyring, read without any key. */
export interface KeyringBlobHeader {
  readonly activeTerm: number;
  readonly activeKeyId: Uint8Array;
  readonly previousKeyId: Uint8Array;
}

export function keyringBlobHeader(blob: Uint8Array): Result<KeyringBlobHeader> {
  if (blob.length < BLOB_HEADER_BYTES || blob[0] !== BLOB_FORMAT) {
    return err(cofferError('invalid-request', 'not a keyring blob (unknown format)'));
  }
  return ok({
    activeTerm: readU32(blob, 1),
    activeKeyId: blob.slice(5, 5 + KEY_ID_BYTES),
    previousKeyId: blob.slice(5 + KEY_ID_BYTES, BLOB_HEADER_BYTES),
  });
}

/** The active term of a stored keyring, read without any key. */
export function keyringBlobTerm(blob: Uint8Array): Result<number> {
  const h = keyringBlobHeader(blob);
  return h.ok ? ok(h.value.activeTerm) : h;
}

export function openKeyringBlob(cipher: Cipher, rootKey: Uint8Array, blob: Uint8Array): Result<Keyring> {
  const header = keyringBlobHeader(blob);
  if (!header.ok) return err(cofferError('internal', `stored keyring: ${header.error.message}`));
  const parsed = parseRecord(blob.subarray(BLOB_HEADER_BYTES), KEYRING_PATH);
  if (!parsed.ok) return parsed;
  if (parsed.value.term !== ROOT_KEY_TERM) return err(cofferError('internal', 'stored keyring is not sealed with the root key'));
  const plaintext = openRecord(cipher, rootKey, parsed.value, KEYRING_PATH);
  if (!plaintext.ok) return err(cofferError('internal', 'stored keyring does not open with this root key'));
  try {
    const state = deserializeKeyringState(plaintext.value);
    if (!state.ok) return state;
    if (!constantTimeEqual(headerFor(state.value), blob.subarray(0, BLOB_HEADER_BYTES))) {
      return err(cofferError('internal', 'stored keyring header disagrees with its sealed content'));
    }
    return ok(Keyring.fromState(state.value));
  } finally {
    wipe(plaintext.value);
  }
}

/**
 * The state machine's guard for a `core/keyring` write, with no key. A write must either keep the
 * stored active term and its key (checkpoint, rotation config) or add exactly one term on top of
 * the stored active key (rotation). So a rotation proposed twice (two different keys for term N+1),
 * or a checkpoint that lost a race with a rotation, is refused instead of forking the keyring.
 */
export function checkKeyringWrite(stored: Uint8Array | undefined, incoming: Uint8Array): Result<void> {
  const next = keyringBlobHeader(incoming);
  if (!next.ok) return next;
  if (stored === undefined) return err(cofferError('invalid-request', 'no keyring stored yet: the keyring is written by init'));
  const current = keyringBlobHeader(stored);
  if (!current.ok) return err(cofferError('internal', 'stored keyring has an unknown format'));
  const { activeTerm: storedTerm, activeKeyId: storedId } = current.value;
  const sameTerm = next.value.activeTerm === storedTerm && constantTimeEqual(next.value.activeKeyId, storedId);
  const nextTerm = next.value.activeTerm === storedTerm + 1 && constantTimeEqual(next.value.previousKeyId, storedId);
  if (!sameTerm && !nextTerm) {
    return err(cofferError('conflict', `keyring write (term ${next.value.activeTerm}) does not follow the stored keyring (term ${storedTerm})`));
  }
  return ok(undefined);
}
