/**
 * Who may run the privileged DR operations. A DR secondary serves no client tokens, so promote,
 * update-primary, disable and delete-operation-token need a DR operation token (generated on the
 * secondary from the primary's key shares) or a DR batch token made in advance on the primary
 * (its record replicates to the secondary with the rest of the data). On a primary (for example a
 * fenced one running update-primary) the node may instead vouch for a client token with `sudo`.
 *
 * The node hashes what the operator presented (`hashToken`) and, for a batch token, looks the
 * record up by that hash in its replicated store; the check itself is pure.
 */
import type { CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import type { DrState } from './dr-state.js';

/** The operations a DR operation token or DR batch token can authorise. */
export type DrGuardedOperation = 'promote' | 'update-primary' | 'secondary-disable' | 'delete-operation-token';

export const DR_GUARDED_OPERATIONS: readonly DrGuardedOperation[] = [
  'promote',
  'update-primary',
  'secondary-disable',
  'delete-operation-token',
];

/**
 * A DR batch token, as the primary stores it (replicated data, so it reaches the secondaries).
 * Only the hash of the token is stored; the token itself is shown once, at creation.
 */
export interface DrBatchTokenRecord {
  /** Hex SHA-256 of the token string. */
  readonly tokenHash: string;
  readonly createdAtMs: number;
  /** Batch tokens always expire: a shift-length TTL. */
  readonly expiresAtMs: number;
  readonly operations: readonly DrGuardedOperation[];
  /** The accessor-like label an operator can list and revoke by; not a secret. */
  readonly displayName: string;
}

export type DrOperationAuth =
  | { readonly kind: 'operation-token'; readonly tokenHash: string }
  /** `record`: what the node found under the presented token's hash (undefined: nothing). */
  | { readonly kind: 'batch-token'; readonly tokenHash: string; readonly record: DrBatchTokenRecord | undefined }
  /** The node checked a client token with `sudo` on this path. Valid only where clients are served. */
  | { readonly kind: 'sudo' };

const NEED_TOKEN =
  'generate one on this secondary with sys/replication/dr/secondary/generate-operation-token ' +
  '(a threshold of the primary\'s unseal or recovery key shares), or use a DR batch token created on the primary';

/** Checks a DR batch token record for `operation` at `nowMs`. */
export function checkDrBatchToken(
  record: DrBatchTokenRecord | undefined,
  tokenHash: string,
  operation: DrGuardedOperation,
  nowMs: number,
): Result<void, CofferError> {
  if (record === undefined || record.tokenHash !== tokenHash) {
    return err(cofferError('permission-denied', `invalid DR batch token: no such token is known; ${NEED_TOKEN}`));
  }
  if (nowMs >= record.expiresAtMs) {
    return err(
      cofferError(
        'permission-denied',
        `the DR batch token "${record.displayName}" expired at ${new Date(record.expiresAtMs).toISOString()}; ${NEED_TOKEN}`,
      ),
    );
  }
  if (!record.operations.includes(operation)) {
    return err(
      cofferError(
        'permission-denied',
        `the DR batch token "${record.displayName}" does not allow ${operation} (it allows ${record.operations.join(', ') || 'nothing'})`,
      ),
    );
  }
  return ok(undefined);
}

/** Whether `auth` authorises `operation` on a cluster in state `s`. */
export function checkDrOperationAuth(
  s: DrState,
  auth: DrOperationAuth | undefined,
  operation: DrGuardedOperation,
  nowMs: number,
): Result<void, CofferError> {
  if (auth === undefined) {
    return err(cofferError('permission-denied', `${operation} needs a DR operation token: ${NEED_TOKEN}`));
  }
  switch (auth.kind) {
    case 'operation-token':
      if (s.mode === 'secondary' && s.operationTokenHashes.includes(auth.tokenHash)) return ok(undefined);
      return err(cofferError('permission-denied', `invalid DR operation token for ${operation}: ${NEED_TOKEN}`));
    case 'batch-token':
      return checkDrBatchToken(auth.record, auth.tokenHash, operation, nowMs);
    case 'sudo':
      if (s.mode !== 'secondary') return ok(undefined);
      return err(
        cofferError('permission-denied', `a DR secondary does not accept client tokens for ${operation}: ${NEED_TOKEN}`),
      );
  }
}
