/**
 * Wire shapes of `sys/replication/dr/*` (DR replication), copied from the server's `DrStatus`
 * (packages/dr-replication/src/status.ts): the client may import only @coffer/base, so these are
 * the client's own copy of the JSON the server sends. Keep them in step with the server's.
 */

export type DrConnectionStatus = 'connected' | 'disconnected';

/** One secondary as the primary sees it. `last_heartbeat` is ISO 8601, or "" when never heard. */
export interface DrSecondaryEntry {
  readonly node_id: string;
  readonly api_address: string;
  readonly cluster_address: string;
  readonly connection_status: DrConnectionStatus;
  readonly last_heartbeat: string;
  readonly last_sent_index: number;
  readonly state: 'token-issued' | 'active' | 'revoked';
}

export interface DrDisabledStatus {
  readonly mode: 'disabled';
  readonly epoch: number;
}

export interface DrPrimaryStatus {
  readonly mode: 'primary';
  readonly cluster_id: string;
  /** `fenced` when a newer primary exists: client writes are refused until update-primary. */
  readonly state: 'running' | 'fenced';
  readonly epoch: number;
  readonly last_wal: number;
  readonly last_dr_wal: number;
  readonly known_secondaries: readonly string[];
  readonly secondaries: readonly DrSecondaryEntry[];
  readonly fenced_by?: { readonly cluster_id: string; readonly epoch: number };
}

export type DrSecondaryConnectionState = 'idle' | 'connecting' | 'ready' | 'transient_failure' | 'shutdown';

export interface DrSecondaryStatus {
  readonly mode: 'secondary';
  readonly cluster_id: string;
  readonly secondary_id: string;
  readonly state: 'stream-entries' | 'snapshot-sync' | 'idle';
  readonly connection_state: DrSecondaryConnectionState;
  readonly epoch: number;
  /** The last primary index applied on this secondary. */
  readonly last_remote_wal: number;
  /** The last primary index received (applied, or queued for the next raft round); absent on older servers. */
  readonly last_received_wal?: number;
  /** The primary's last committed index, as last heard. */
  readonly primary_last_wal: number;
  readonly lag_entries: number;
  /** null when unknown; a lower bound when `lag_ms_is_lower_bound`. */
  readonly lag_ms: number | null;
  readonly lag_ms_is_lower_bound: boolean;
  readonly primary_cluster_addr: string;
  readonly known_primary_cluster_addrs: readonly string[];
  readonly primaries: readonly { readonly cluster_address: string; readonly connection_status: DrConnectionStatus; readonly last_heartbeat: string }[];
  readonly last_error?: string;
}

export type DrStatus = DrDisabledStatus | DrPrimaryStatus | DrSecondaryStatus;

/** GET sys/replication/status. */
export interface ReplicationStatus {
  readonly dr: DrStatus;
  readonly performance: { readonly mode: string };
}

/** A secondary activation token (single use), from the primary's `wrap_info`. */
export interface DrSecondaryToken {
  readonly token: string;
  readonly ttlSeconds: number;
  /** ISO 8601. */
  readonly expiresAt: string;
  readonly creationTime: string;
}

export type DrOperation = 'promote' | 'update-primary' | 'secondary-disable' | 'delete-operation-token';

export interface DrBatchTokenRequest {
  /** Seconds, or a Go duration ("8h"); at most 7 days. */
  readonly ttl: number | string;
  readonly displayName?: string;
  /** Default (server side): promote, update-primary. */
  readonly operations?: readonly DrOperation[];
}

export interface DrBatchToken {
  readonly token: string;
  readonly display_name: string;
  readonly expires_at: string;
  readonly operations: readonly string[];
}

/** `generate-operation-token/attempt` and `/update`, at the top level as sys/generate-root. */
export interface DrOperationTokenAttempt {
  readonly started: boolean;
  readonly nonce: string;
  readonly progress: number;
  readonly required: number;
  readonly complete: boolean;
  /** base64(token XOR otp) once complete, else "". */
  readonly encoded_token: string;
  /** Filled only in the answer that started the attempt. */
  readonly otp: string;
  readonly otp_length: number;
}
