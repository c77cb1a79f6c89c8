/**
 * The logical layer's vocabulary: a Vault-like request/response model, the ports engines are given,
 * and what an engine hands back. Engines run on the leader only; they never touch the state machine
 * directly: they read through a `StorageView` (decrypted, guarded) and return writes to propose.
 */
import type { Result } from '@coffer/base';
import type { Txn } from '../fsm/txn.js';
import type { StoredEntry, TxnOutcome } from '../fsm/storage-fsm.js';
import type { TokenEntry } from '../auth/token-entry.js';

export type Operation = 'read' | 'create' | 'update' | 'patch' | 'delete' | 'list';

export interface LogicalRequest {
  readonly operation: Operation;
  /** Path below /v1/, e.g. `secret/data/app/db` (no leading slash). */
  readonly path: string;
  /** Parsed JSON body (anything a client sent). */
  readonly data?: unknown;
  readonly query?: Readonly<Record<string, string>>;
  readonly token?: string;
}

/** Status plus the exact JSON body Vault would send (absent for 204). */
export interface LogicalResponse {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * The barrier, seen from here (`Barrier.encrypt/decrypt` fit it as is). The AAD is the full
 * storage path, so a record moved to another path fails to open.
 */
export interface Crypter {
  encrypt(path: string, plaintext: Uint8Array): Result<Uint8Array>;
  decrypt(path: string, record: Uint8Array): Result<Uint8Array>;
}

/** Read access to the leader's applied state (the `StorageFsm` fits it). Ciphertext only. */
export interface StorageReader {
  get(path: string): StoredEntry | undefined;
  listChildren(prefix: string): string[];
}

/** Proposes a txn through raft and resolves once it is committed and applied on this node. */
export interface Proposer {
  propose(txn: Txn): Promise<Result<{ readonly index: number; readonly outcome: TxnOutcome }>>;
}

/**
 * One engine's window on storage, scoped to its mount's prefix. Every `get` records a check
 * (the modIndex seen, or absence) so the txn built from this view commits only if nothing the
 * engine read has changed since: optimistic concurrency, retried by the executor.
 * `listChildren` is not guarded (no phantom protection): do not derive writes from a listing alone.
 */
export interface StorageView {
  get(path: string): Result<Uint8Array | undefined>;
  getJson(path: string): Result<unknown>;
  listChildren(prefix: string): string[];
  put(path: string, plaintext: Uint8Array): Result<void>;
  putJson(path: string, value: unknown): Result<void>;
  del(path: string): void;
  delPrefix(prefix: string): void;
  /** True when the engine queued at least one write. */
  readonly hasWrites: boolean;
}

export interface MountEntry {
  /** Mount path with trailing slash, e.g. `secret/`. */
  readonly path: string;
  readonly type: string;
  /** Storage prefix of this mount's data, e.g. `logical/3f2a.../`. */
  readonly storagePrefix: string;
  readonly options: Readonly<Record<string, string>>;
  readonly description: string;
}

export interface EngineContext {
  /** Path relative to the mount, e.g. `data/app/db`. */
  readonly path: string;
  readonly mount: MountEntry;
  readonly storage: StorageView;
  /** The leader's clock for this attempt; carried in the txn as `leaderTimeMs`. */
  readonly nowMs: number;
  /** Leader-side randomness (ids, keys, nonces): drawn before proposing, never at apply time. */
  readonly randomId: () => string;
  /** The caller, once the executor has checked the token (absent on unauthenticated paths). */
  readonly auth?: RequestAuth;
}

/** ACL capabilities (Vault's, minus OpenBao's `scan`). */
export type Capability = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny';

/** Who is calling: the validated token (after this request's use was counted) and its ACL. */
export interface RequestAuth {
  /** Keyed hash of the token id: the token's storage key (never the token itself). */
  readonly tokenHash: string;
  /** The token's record after this request's use was counted (and revoked if it was the last). */
  readonly entry: TokenEntry;
  /** This request used the token's last use: its revocation is already queued in this txn. */
  readonly isLastUse: boolean;
  /** The caller's capabilities on a full request path (no leading slash). */
  readonly capabilities: (path: string) => ReadonlySet<Capability>;
}

export type Outcome =
  | { readonly kind: 'response'; readonly response: LogicalResponse }
  /** Propose the view's writes; once committed, `respond` builds the answer. */
  | { readonly kind: 'commit'; readonly respond: (commit: { readonly index: number }) => LogicalResponse };

export interface Engine {
  readonly type: string;
  handle(req: LogicalRequest, ctx: EngineContext): Promise<Outcome>;
  /**
   * Does the target of this write already exist? `true` -> the ACL needs `update`, `false` ->
   * `create` (Vault's ExistenceCheck); absent method or `undefined` -> the path has no existence
   * check and a write needs `update`. Reads through `ctx.storage` are guarded like any other.
   */
  existenceCheck?(req: LogicalRequest, ctx: EngineContext): boolean | undefined;
}
