/** Response shapes of the Vault HTTP API subset Coffer serves (see shared/reference/vault-api.md). */

/** Vault's response envelope; `data` and `auth` depend on the path. */
export interface Envelope<D = Record<string, unknown>> {
  readonly request_id?: string;
  readonly lease_id?: string;
  readonly renewable?: boolean;
  readonly lease_duration?: number;
  readonly data: D;
  readonly wrap_info?: unknown;
  readonly warnings?: readonly string[] | null;
  readonly auth?: TokenAuth | null;
}

export interface InitRequest {
  readonly secret_shares?: number;
  readonly secret_threshold?: number;
  readonly recovery_shares?: number;
  readonly recovery_threshold?: number;
}

export interface InitResponse {
  readonly keys: string[];
  readonly keys_base64: string[];
  readonly recovery_keys?: string[];
  readonly recovery_keys_base64?: string[];
  readonly root_token: string;
  /** Set when something went wrong after the keys were made (e.g. no root token could be issued). */
  readonly warnings?: string[];
}

export interface SealStatus {
  readonly type: string;
  readonly initialized: boolean;
  readonly sealed: boolean;
  readonly t: number;
  readonly n: number;
  readonly progress: number;
  readonly nonce: string;
  readonly version?: string;
  readonly cluster_name?: string;
  readonly cluster_id?: string;
  readonly recovery_seal?: boolean;
  readonly storage_type?: string;
  readonly last_unseal_error?: string;
}

export interface HealthBody {
  readonly initialized: boolean;
  readonly sealed: boolean;
  readonly standby: boolean;
  readonly performance_standby?: boolean;
  readonly server_time_utc?: number;
  readonly version?: string;
  readonly cluster_name?: string;
  readonly cluster_id?: string;
}

/** sys/health answers its state in the status code (200, 429, 501, 503, ...): both are kept. */
export interface Health {
  readonly status: number;
  /** Undefined for HEAD or an empty answer. */
  readonly body: HealthBody | undefined;
}

export interface HealthQuery {
  readonly standbyok?: boolean;
  readonly activecode?: number;
  readonly standbycode?: number;
  readonly sealedcode?: number;
  readonly uninitcode?: number;
}

export interface LeaderStatus {
  readonly ha_enabled: boolean;
  readonly is_self: boolean;
  readonly active_time?: string;
  readonly leader_address: string;
  readonly leader_cluster_address: string;
  readonly raft_committed_index?: number;
  readonly raft_applied_index?: number;
}

export interface KvVersionMetadata {
  readonly created_time: string;
  readonly custom_metadata: Record<string, string> | null;
  readonly deletion_time: string;
  readonly destroyed: boolean;
  readonly version: number;
}

export interface KvSecret<T = Record<string, unknown>> {
  readonly data: T | null;
  readonly metadata: KvVersionMetadata;
}

export interface KvMetadata {
  readonly cas_required: boolean;
  readonly created_time: string;
  readonly current_version: number;
  readonly delete_version_after?: string;
  readonly max_versions: number;
  readonly oldest_version: number;
  readonly updated_time: string;
  readonly custom_metadata: Record<string, string> | null;
  readonly versions: Record<string, { created_time: string; deletion_time: string; destroyed: boolean }>;
}

export interface TokenAuth {
  readonly client_token: string;
  readonly accessor: string;
  readonly policies: string[];
  readonly token_policies?: string[];
  readonly metadata?: Record<string, string> | null;
  readonly lease_duration: number;
  readonly renewable: boolean;
  readonly token_type?: string;
  readonly orphan?: boolean;
  readonly num_uses?: number;
}

export interface TokenCreateRequest {
  readonly policies?: readonly string[];
  readonly meta?: Readonly<Record<string, string>>;
  readonly ttl?: string;
  readonly explicit_max_ttl?: string;
  readonly renewable?: boolean;
  readonly no_parent?: boolean;
  readonly no_default_policy?: boolean;
  readonly type?: 'service' | 'batch';
  readonly num_uses?: number;
  readonly period?: string;
  readonly display_name?: string;
}

export interface TokenLookup {
  readonly accessor: string;
  readonly creation_time: number;
  readonly creation_ttl: number;
  readonly display_name: string;
  readonly expire_time: string | null;
  readonly explicit_max_ttl: number;
  readonly id: string;
  readonly meta: Record<string, string> | null;
  readonly num_uses: number;
  readonly orphan: boolean;
  readonly path: string;
  readonly policies: string[];
  readonly renewable: boolean;
  readonly ttl: number;
  readonly type: string;
}

export interface PolicyBody {
  readonly name: string;
  readonly rules: string;
}
