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
import { HTTP_STATUS_BY_KIND } from '@coffer/base';

/** The one table in @coffer/base (shared with the node's and the engines' answers). */
export const ERROR_STATUS = HTTP_STATUS_BY_KIND;

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
