/**
 * Small helpers shared by this package's tests: unwrap a Result one way or the other, and a
 * seeded RandomBytes (deterministic tokens). (Not a test file itself: vitest includes only *.test.ts.)
 */
import { SeededRng, type CofferError, type Result } from '@coffer/base';
import type { RandomBytes } from './encoding.js';

export function value<T>(r: Result<T, CofferError>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.value;
}

export function failure<T>(r: Result<T, CofferError>): CofferError {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

export function seededRandom(seed: number): RandomBytes {
  const rng = new SeededRng(seed);
  return (n) => Uint8Array.from({ length: n }, () => rng.int(0, 256));
}
