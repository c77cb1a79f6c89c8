/**
 * The edge's one table from internal error kinds to HTTP statuses (trpc's habit): a kind added
 * to @coffer/base's `ErrorKind` and not mapped here is a compile error. Every error the gateway
 * itself generates leaves as Vault's `{"errors":[...]}` body through `edgeError`.
 *
 * The node answers Vault errors (403, 404, 400, sealed 503, ...) as *responses*, passed through
 * untouched; this table covers only what reaches the edge as a `CofferError`: routing failures
 * after the bounded retry (no leader, unreachable nodes), the gateway's own checks, and the rare
 * error kind a node reports instead of a response.
 */
import type { CofferError, ErrorKind } from '@coffer/base';

export const ERROR_STATUS: Readonly<Record<ErrorKind, number>> = {
  // Vault: a standby that cannot find an active node answers 500 with this message.
  'not-leader': 500,
  'no-leader': 500,
  sealed: 503,
  // Vault answers 503 "Vault is not initialized" on every path but the sys ones that work uninitialized.
  uninitialized: 503,
  // An internal read below the compaction point: the caller may retry, but it is the server's fault.
  compacted: 500,
  // Every node unreachable, or the node stopping: Vault's answer for "no node can serve" is 503.
  unavailable: 503,
  'permission-denied': 403,
  'invalid-request': 400,
  'not-found': 404,
  // Vault reports its check-and-set conflicts as 400 (see vault-api.md 1.4).
  conflict: 400,
  // The gateway waited for the cluster longer than its bound.
  timeout: 504,
  'too-large': 413,
  internal: 500,
};

/** Vault's own words where a Vault client or operator would recognise them. */
const VAULT_MESSAGE: Partial<Record<ErrorKind, string>> = {
  'not-leader': 'local node not active but active cluster node not found',
  'no-leader': 'local node not active but active cluster node not found',
  sealed: 'Coffer is sealed',
  uninitialized: 'Coffer is not initialized',
  internal: 'internal error',
};

export interface EdgeResponse {
  readonly status: number;
  readonly body: { readonly errors: readonly string[] };
}

export function edgeError(status: number, message: string): EdgeResponse {
  return { status, body: { errors: [message] } };
}

/** The response for a CofferError that reached the edge. Internal errors never show their message. */
export function responseForError(e: CofferError): EdgeResponse {
  const status = ERROR_STATUS[e.kind];
  const message = VAULT_MESSAGE[e.kind] ?? (e.message === '' ? e.kind : e.message);
  return edgeError(status, message);
}

/** What an unknown throw becomes, once, at the edge: no stack, no message, no secret. */
export const INTERNAL_ERROR: EdgeResponse = edgeError(500, 'internal error');
