/** Input checks shared by the transitions and the token codecs. Messages never echo secrets. */
import type { CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function checkSecondaryId(id: string): Result<string, CofferError> {
  if (ID.test(id)) return ok(id);
  return err(
    cofferError(
      'invalid-request',
      `invalid secondary id ${JSON.stringify(id.slice(0, 80))}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    ),
  );
}

export function checkClusterId(id: string, field: string): Result<string, CofferError> {
  if (id.length > 0 && id.length <= 128) return ok(id);
  return err(cofferError('invalid-request', `${field} must be a non-empty cluster id of at most 128 characters`));
}

export function checkHash(hash: string, field: string): Result<string, CofferError> {
  if (HEX_SHA256.test(hash)) return ok(hash);
  return err(cofferError('invalid-request', `${field} must be a lower-case hex SHA-256 (64 characters)`));
}

export function checkMs(ms: number, field: string): Result<number, CofferError> {
  if (Number.isSafeInteger(ms) && ms >= 0) return ok(ms);
  return err(cofferError('invalid-request', `${field} must be a non-negative integer number of ms, got ${String(ms)}`));
}
