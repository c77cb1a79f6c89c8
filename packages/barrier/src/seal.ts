import { assert, cofferError, err, ok, type Result } from '@coffer/base';
import { plainBytes, wipe } from './bytes.js';
import { KEY_BYTES, NONCE_BYTES, type Cipher } from './cipher.js';
import { openRecord, parseRecord, ROOT_KEY_TERM, sealRecord } from './envelope.js';
import { ROOT_KEY_PATH, type SealType } from './layout.js';
import type { RandomSource } from './random.js';
import { INSPECT, redacted } from './redact.js';

export interface SealContext {
  /** Bound into what the seal produces (the KMS encryption context), so a blob from another cluster fails. */
  readonly clusterId: string;
}

/**
 * The port through which the root key is wrapped for storage at `core/root-key` and unwrapped at
 * unseal. Two kinds:
 * - Shamir (`KekSeal`): the KEK is the unseal key, rebuilt from t shares; the operator provides it.
 * - auto-unseal (`isAutoUnseal`, e.g. AWS KMS in @coffer/kms-unseal): the node unwraps by itself;
 *   init then returns recovery shares, which only authorize privileged operations.
 * Expected failures are typed: `unavailable` (retry later: KMS down, key disabled), `invalid-request`
 * (wrong shares), `internal` (the blob does not belong to this seal or cluster).
 */
export interface Seal {
  readonly type: SealType;
  readonly isAutoUnseal: boolean;
  wrap(rootKey: Uint8Array, context: SealContext): Promise<Result<Uint8Array>>;
  unwrap(blob: Uint8Array, context: SealContext): Promise<Result<Uint8Array>>;
}

export const WRONG_SHARES_MESSAGE = 'unseal failed: the shares do not reconstruct the unseal key';

/**
 * The Shamir seal once its KEK is known: the root key is AES-256-GCM-sealed under the KEK (record
 * envelope, term 0, AAD `core/root-key`). The GCM tag is what authenticates a combined KEK:
 * combining too few or foreign shares yields wrong bytes silently, and those fail the tag here.
 */
export class KekSeal implements Seal {
  readonly type = 'shamir' as const;
  readonly isAutoUnseal = false;
  private readonly kek: Uint8Array;

  constructor(
    kek: Uint8Array,
    private readonly cipher: Cipher,
    private readonly random: RandomSource,
  ) {
    assert(kek.length === KEY_BYTES, `unseal key must be ${KEY_BYTES} bytes`);
    this.kek = plainBytes(kek);
  }

  wrap(rootKey: Uint8Array): Promise<Result<Uint8Array>> {
    return Promise.resolve(ok(this.wrapSync(rootKey)));
  }

  unwrap(blob: Uint8Array): Promise<Result<Uint8Array>> {
    return Promise.resolve(this.unwrapSync(blob));
  }

  wrapSync(rootKey: Uint8Array): Uint8Array {
    return sealRecord(this.cipher, this.kek, ROOT_KEY_TERM, this.random.bytes(NONCE_BYTES), rootKey, ROOT_KEY_PATH);
  }

  unwrapSync(blob: Uint8Array): Result<Uint8Array> {
    const parsed = parseRecord(blob, ROOT_KEY_PATH);
    if (!parsed.ok) return parsed;
    const opened = openRecord(this.cipher, this.kek, parsed.value, ROOT_KEY_PATH);
    if (!opened.ok) return err(cofferError('invalid-request', WRONG_SHARES_MESSAGE));
    if (opened.value.length !== KEY_BYTES) {
      wipe(opened.value);
      return err(cofferError('internal', `stored ${ROOT_KEY_PATH} does not hold a ${KEY_BYTES}-byte key`));
    }
    return opened;
  }

  destroy(): void {
    wipe(this.kek);
  }

  toJSON(): string {
    return redacted('unseal key');
  }

  [INSPECT](): string {
    return redacted('unseal key');
  }

  toString(): string {
    return redacted('unseal key');
  }
}
