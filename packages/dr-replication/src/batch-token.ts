/**
 * Minting a DR batch token on the primary: made in advance, for the day the primary is gone. Its
 * record (hash only) is ordinary replicated data, so the secondaries receive it in the stream and
 * can check it (`checkDrBatchToken`) with no primary. Vault's prefix for batch tokens is `hvb.`.
 */
import type { CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import type { DrBatchTokenRecord, DrGuardedOperation } from './dr-auth.js';
import { DR_GUARDED_OPERATIONS } from './dr-auth.js';
import type { RandomBytes } from './encoding.js';
import { hashSecret, randomBase62 } from './encoding.js';

/** Batch tokens always expire; longer than a few days is a standing credential, not a shift's. */
export const MAX_DR_BATCH_TOKEN_TTL_MS = 7 * 24 * 3_600_000;

export function mintDrBatchToken(
  input: {
    readonly nowMs: number;
    readonly ttlMs: number;
    readonly operations?: readonly DrGuardedOperation[];
    readonly displayName: string;
  },
  random: RandomBytes,
): Result<{ readonly token: string; readonly record: DrBatchTokenRecord }, CofferError> {
  if (!Number.isSafeInteger(input.ttlMs) || input.ttlMs <= 0 || input.ttlMs > MAX_DR_BATCH_TOKEN_TTL_MS) {
    return err(cofferError('invalid-request', `a DR batch token needs a ttl between 1 ms and 7 days (a shift's length), got ${String(input.ttlMs)} ms`));
  }
  const operations = input.operations ?? ['promote', 'update-primary'];
  const unknown = operations.filter((o) => !DR_GUARDED_OPERATIONS.includes(o));
  if (operations.length === 0 || unknown.length > 0) {
    return err(cofferError('invalid-request', `operations must be some of ${DR_GUARDED_OPERATIONS.join(', ')}`));
  }
  const token = 'hvb.' + randomBase62(random, 40);
  return ok({
    token,
    record: {
      tokenHash: hashSecret(token),
      createdAtMs: input.nowMs,
      expiresAtMs: input.nowMs + input.ttlMs,
      operations: [...operations],
      displayName: input.displayName,
    },
  });
}
