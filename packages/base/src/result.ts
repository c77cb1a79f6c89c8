import type { NodeId } from './ids.js';

/**
 * Expected failures are values. Every error that crosses a package boundary has a `kind`
 * from this closed set; the edges (HTTP, gRPC, CLI) map each kind to a status in one table.
 */
export type ErrorKind =
  | 'not-leader'
  | 'no-leader'
  | 'sealed'
  | 'uninitialized'
  | 'compacted'
  | 'unavailable'
  | 'permission-denied'
  | 'invalid-request'
  | 'not-found'
  | 'conflict'
  | 'timeout'
  | 'too-large'
  | 'internal';

export const ERROR_KINDS: readonly ErrorKind[] = [
  'not-leader',
  'no-leader',
  'sealed',
  'uninitialized',
  'compacted',
  'unavailable',
  'permission-denied',
  'invalid-request',
  'not-found',
  'conflict',
  'timeout',
  'too-large',
  'internal',
];

export interface CofferError {
  readonly kind: ErrorKind;
  /** Says what is wrong and, where there is one, what to do next. Never holds a secret. */
  readonly message: string;
  /** For not-leader: the leader this node believes in, if any. */
  readonly leaderHint?: NodeId;
}

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E = CofferError> = { readonly ok: false; readonly error: E };
export type Result<T, E = CofferError> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E = CofferError>(error: E): Err<E> => ({ ok: false, error });

export function cofferError(kind: ErrorKind, message: string, leaderHint?: NodeId): CofferError {
  return leaderHint === undefined ? { kind, message } : { kind, message, leaderHint };
}

/** An Error carrying a CofferError, for code paths that must throw (async I/O shells). */
export class CofferFailure extends Error {
  override readonly name = 'CofferFailure';
  constructor(readonly error: CofferError) {
    super(error.message);
  }
}

export function isErrorKind(s: string): s is ErrorKind {
  return (ERROR_KINDS as readonly string[]).includes(s);
}
