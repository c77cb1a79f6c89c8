/** Response shapes of the operator endpoints (rekey, rotate, raft, audit), as Vault answers them. */

export interface KeyStatus {
  readonly term: number;
  readonly install_time: string;
  readonly encryptions?: number;
}

export interface RekeyInitRequest {
  readonly secret_shares: number;
  readonly secret_threshold: number;
}

/** `sys/rekey/init` (GET, PUT) and a not-yet-complete `sys/rekey/update`. */
export interface RekeyStatus {
  readonly started: boolean;
  readonly nonce: string;
  readonly t: number;
  readonly n: number;
  readonly progress: number;
  readonly required: number;
  readonly verification_required?: boolean;
}

/** The final `sys/rekey/update` answer: the new shares. */
export interface RekeyComplete {
  readonly complete: true;
  readonly nonce: string;
  readonly keys: string[];
  readonly keys_base64: string[];
}

export type RekeyUpdate = (RekeyStatus & { readonly complete?: false }) | RekeyComplete;

export interface RaftServer {
  readonly node_id: string;
  readonly address: string;
  readonly leader: boolean;
  readonly voter: boolean;
  readonly protocol_version?: string;
}

export interface RaftConfiguration {
  readonly index: number;
  readonly servers: RaftServer[];
}

export interface RaftJoinRequest {
  readonly leader_api_addr: string;
  readonly retry?: boolean;
  readonly non_voter?: boolean;
  readonly leader_ca_cert?: string;
  readonly leader_client_cert?: string;
  readonly leader_client_key?: string;
}

export interface AutopilotServer {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly node_status: string;
  readonly node_type?: string;
  readonly last_contact: string;
  readonly last_term: number;
  readonly last_index: number;
  readonly healthy: boolean;
  readonly stable_since?: string;
  readonly status: string;
  readonly version?: string;
}

export interface AutopilotState {
  readonly healthy: boolean;
  readonly failure_tolerance: number;
  readonly leader: string;
  readonly voters: string[];
  readonly non_voters?: string[] | null;
  readonly servers: Record<string, AutopilotServer>;
}

export interface AuditDevice {
  readonly type: string;
  readonly description: string;
  readonly options: Record<string, string>;
  readonly local: boolean;
  readonly path: string;
}

export interface AuditEnableRequest {
  readonly type: string;
  readonly description?: string;
  readonly options?: Readonly<Record<string, string>>;
}
