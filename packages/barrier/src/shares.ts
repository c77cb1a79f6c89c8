import { combine, split } from 'shamir-secret-sharing';
import { assert, cofferError, err, ok, type Result } from '@coffer/base';
import { constantTimeEqual, fromBase64, fromHex, plainBytes, toBase64, toHex, wipe } from './bytes.js';
import { KEY_BYTES } from './cipher.js';
import { INSPECT, redacted } from './redact.js';

/**
 * Shamir over GF(2^8) with shamir-secret-sharing. Each share is the secret's length plus one
 * x-coordinate byte (33 bytes for a 32-byte key). With n = 1 there is nothing to split: the single
 * "share" is the key itself (32 bytes), as in Vault.
 *
 * The library rejects Buffers (it checks `constructor === Uint8Array`), so every input is copied
 * to a plain Uint8Array; and it combines too few shares into wrong bytes without an error, so the
 * caller must authenticate the result (KekSeal's GCM tag, or the recovery verifier).
 */
export function shareBytes(totalShares: number): number {
  return totalShares === 1 ? KEY_BYTES : KEY_BYTES + 1;
}

export async function splitSecret(secret: Uint8Array, shares: number, threshold: number): Promise<Uint8Array[]> {
  assert(secret.length === KEY_BYTES, 'only 32-byte keys are split');
  if (shares === 1) return [plainBytes(secret)];
  return split(plainBytes(secret), shares, threshold);
}

export async function combineShares(shares: readonly Uint8Array[]): Promise<Uint8Array> {
  assert(shares.length > 0, 'combine needs at least one share');
  if (shares.length === 1) return plainBytes(shares[0] as Uint8Array);
  return combine(shares.map(plainBytes));
}

export interface EncodedShares {
  readonly hex: readonly string[];
  readonly base64: readonly string[];
}

export function encodeShares(shares: readonly Uint8Array[]): EncodedShares {
  return { hex: shares.map(toHex), base64: shares.map(toBase64) };
}

/** Accepts hex or base64 (as Vault's `key` field); the error never echoes the input. */
export function parseShare(text: string, totalShares: number): Result<Uint8Array> {
  const expected = shareBytes(totalShares);
  const trimmed = text.trim();
  if (trimmed.length === 0) return err(cofferError('invalid-request', 'missing unseal key share'));
  const hex = fromHex(trimmed);
  if (hex !== undefined && hex.length === expected) return ok(hex);
  const b64 = fromBase64(trimmed);
  if (b64 !== undefined && b64.length === expected) return ok(b64);
  wipe(hex, b64);
  if (hex === undefined && b64 === undefined) {
    return err(cofferError('invalid-request', 'malformed key share: expected hex or base64'));
  }
  return err(cofferError('invalid-request', `malformed key share: expected ${expected} bytes (hex or base64)`));
}

/** The shares a node has collected so far for one unseal / rekey / authorization attempt. */
export class ShareCollector {
  private readonly shares: Uint8Array[] = [];

  get count(): number {
    return this.shares.length;
  }

  /** Refuses a share already given, and one sharing an x-coordinate with a given one (a foreign split). */
  add(share: Uint8Array): Result<number> {
    for (const s of this.shares) {
      if (constantTimeEqual(s, share)) return err(cofferError('invalid-request', 'duplicate key share: this share was already provided'));
      if (share.length === KEY_BYTES + 1 && s[KEY_BYTES] === share[KEY_BYTES]) {
        return err(cofferError('invalid-request', 'key share conflicts with one already provided (same share index, different bytes)'));
      }
    }
    this.shares.push(plainBytes(share));
    return ok(this.shares.length);
  }

  combine(): Promise<Uint8Array> {
    return combineShares(this.shares);
  }

  clear(): void {
    wipe(...this.shares);
    this.shares.length = 0;
  }

  toJSON(): string {
    return redacted('key shares');
  }

  [INSPECT](): string {
    return redacted('key shares');
  }

  toString(): string {
    return redacted('key shares');
  }
}
