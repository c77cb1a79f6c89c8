/**
 * uint64 on the wire, numbers in memory. proto-loader decodes uint64 as decimal strings
 * (`longs: String`); raft holds terms and indexes as JS numbers, which are exact only up to
 * Number.MAX_SAFE_INTEGER. A larger value from the wire is refused, never rounded.
 */
import type { CofferError, Result } from '@coffer/base';
import { assert, cofferError, err, ok } from '@coffer/base';

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Parses a wire uint64 (decimal string, or a number when a caller built the object by hand). */
export function parseUint64(value: unknown, field: string): Result<number, CofferError> {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return ok(value);
    return err(cofferError('invalid-request', `${field}: ${String(value)} is not a non-negative safe integer`));
  }
  if (typeof value !== 'string') {
    return err(cofferError('invalid-request', `${field}: expected a uint64, got ${typeof value}`));
  }
  if (!DECIMAL.test(value)) {
    return err(cofferError('invalid-request', `${field}: ${JSON.stringify(value.slice(0, 32))} is not a uint64`));
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    return err(cofferError('invalid-request', `${field}: ${value} is above Number.MAX_SAFE_INTEGER`));
  }
  return ok(n);
}

/** Formats a number for a uint64 field. Our own numbers must already be exact and non-negative. */
export function formatUint64(n: number, field: string): string {
  assert(Number.isSafeInteger(n) && n >= 0, `${field}: ${n} is not a non-negative safe integer`);
  return String(n);
}
