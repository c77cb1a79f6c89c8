import type { ErrorKind } from './result.js';

/**
 * The one table from error kinds to HTTP statuses, used by every edge that speaks HTTP (the
 * secrets engines' responses, the node's Handle answers, the gateway). A kind added to
 * `ErrorKind` and not mapped here fails to compile. Statuses follow Vault where Vault has one.
 */
export const HTTP_STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  // Vault: a standby that cannot find an active node answers 500.
  'not-leader': 500,
  'no-leader': 500,
  sealed: 503,
  // Vault answers 503 "not initialized" on the paths that need an initialized barrier.
  uninitialized: 503,
  // An internal read below the compaction point: the server's fault, the caller may retry.
  compacted: 500,
  unavailable: 503,
  'permission-denied': 403,
  'invalid-request': 400,
  'not-found': 404,
  // State changed under the request (KV's check-and-set mismatch is answered 400 explicitly).
  conflict: 409,
  // No answer within the bound: like Vault's "no node can serve now", retryable.
  timeout: 503,
  'too-large': 413,
  internal: 500,
};
