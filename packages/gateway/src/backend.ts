/**
 * The port between the HTTP edge and the cluster: one Vault logical call in, one Vault response
 * (or a routing error) out. `ClusterRouter` implements it over the node API's Handle RPC; tests
 * use an in-memory fake.
 */
import type { Result } from '@coffer/base';

/** read | create | update | patch | delete | list, as proto/node.proto's LogicalRequest. */
export type LogicalOperation = 'read' | 'create' | 'update' | 'patch' | 'delete' | 'list';

export interface LogicalCall {
  readonly operation: LogicalOperation;
  /** Below /v1/, no leading slash, e.g. `secret/data/app`. */
  readonly path: string;
  /** Parsed JSON object body (undefined: none). */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  readonly query: Readonly<Record<string, string>>;
  /** '' when the request carried none. */
  readonly token: string;
  /** The body bytes as sent, on the binary routes only (snapshot restore); `body` is then undefined. */
  readonly rawBody?: Uint8Array;
}

export interface LogicalAnswer {
  /** Vault's HTTP status, as the node decided it. */
  readonly status: number;
  /** The JSON body bytes as the node encoded them (empty: none), or raw bytes when `contentType` is set. */
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  /** Set when the body is not JSON (snapshot file, Prometheus text): the edge sends it with this type. */
  readonly contentType?: string;
}

export interface HandleBackend {
  /** Err only when the call could not be routed to a node that answers (after bounded retries). */
  handle(call: LogicalCall): Promise<Result<LogicalAnswer>>;
  close(): void;
}
