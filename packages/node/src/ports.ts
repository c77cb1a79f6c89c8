/**
 * The ports the runtime composes. The consumer declares them (here), the composition root
 * (`@coffer/cli` server) adapts the concrete packages to them, and each has an in-memory twin in
 * this package for unit tests.
 */
import type { CofferError, LogIndex, NodeId, Result, Term } from '@coffer/base';
import type { ConfChange, ConfState, Entry, HardState, Message, RaftStatus, RaftStorage, Ready, Snapshot } from '@coffer/raft';
import type { NodeApiClient } from './node-api-client.js';

/** The subset of `@coffer/raft`'s `Raft` the runtime drives (etcd's RawNode shape). */
export interface RaftCore {
  tick(): void;
  step(message: Message): void;
  propose(data: Uint8Array): Result<{ readonly index: LogIndex; readonly term: Term }>;
  proposeConfChange(change: ConfChange): Result<{ readonly index: LogIndex; readonly term: Term }>;
  readIndex(ctx: string): void;
  /** The configuration in effect at log index i (for a snapshot taken at the applied index). */
  confStateAt(i: LogIndex): ConfState;
  transferLeadership(target: NodeId): Result<unknown>;
  reportUnreachable(peer: NodeId): void;
  reportSnapshot(peer: NodeId, isOk: boolean): void;
  hasReady(): boolean;
  ready(): Ready;
  advance(): void;
  status(): RaftStatus;
}

/** What one persist step writes, in one batch (fsynced unless `mustSync` is false). */
export interface PersistBatch {
  readonly hardState?: HardState;
  readonly entries: readonly Entry[];
  readonly snapshot?: Snapshot;
  /** The Ready's mustSync: false when only the commit index moved. */
  readonly mustSync: boolean;
}

/** The raft log's durable side (`@coffer/storage`'s LevelRaftStorage). */
export interface LogStore {
  /** The synchronous read port the core reads the stable log through. */
  readonly raftStorage: RaftStorage;
  persist(batch: PersistBatch): Promise<void>;
  createSnapshot(index: LogIndex, confState: ConfState, data: Uint8Array): Promise<void>;
  /** Drops entries up to and including `index` (must be <= the latest snapshot's index). */
  compact(index: LogIndex): Promise<void>;
  close(): Promise<void>;
}

export type KvWrite =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

export type KvPair = readonly [key: Uint8Array, value: Uint8Array];

/** The state machine's durable ordered KV (`@coffer/storage`'s StateStore). */
export interface StateStore {
  /** The applied index stored with the last batch (0 for a new store). */
  appliedIndex(): LogIndex;
  /** Writes and the applied index, atomically and durably. */
  applyBatch(writes: readonly KvWrite[], appliedIndex: LogIndex): Promise<void>;
  /** Every pair, in key order. */
  loadAll(): Promise<readonly KvPair[]>;
  /** Replaces the whole content (snapshot install), atomically with the applied index. */
  replaceAll(pairs: readonly KvPair[], appliedIndex: LogIndex): Promise<void>;
  close(): Promise<void>;
}

export interface ClientRequestId {
  readonly clientId: string;
  /** Strictly increasing per client; a retry reuses the value. */
  readonly seq: number;
}

export interface Command {
  readonly requestId: ClientRequestId;
  readonly payload: Uint8Array;
}

export interface ApplyOutcome {
  readonly writes: readonly KvWrite[];
  /** What the proposer receives. Never logged. */
  readonly result: Uint8Array;
}

/**
 * The replicated state machine. Deterministic: the same commands in the same order give the same
 * writes and results on every node. It must answer a duplicate (a retried request id) from its
 * dedup record and not apply it twice; `DedupTable` does that bookkeeping.
 */
export interface StateMachine {
  apply(command: Command, index: LogIndex): ApplyOutcome;
  query(query: Uint8Array): Result<Uint8Array>;
  /** The full state as store pairs (what `snapshot()` serializes and `restore()` returns). */
  snapshot(): Uint8Array;
  /**
   * The same state as sorted pairs, by reference (values are never mutated once applied): cheap
   * to take synchronously at an applied index, then serialized in the background.
   */
  snapshotPairs(): readonly KvPair[];
  /**
   * Optional, for large states: takes the same snapshot by reference NOW (synchronously, exactly
   * this applied state) and returns a function that builds the sorted pairs later, yielding to
   * the event loop as it goes. Without it the runtime calls `snapshotPairs()`.
   */
  captureSnapshot?(): () => Promise<readonly KvPair[]>;
  /** Replaces the state; returns the pairs the state store must hold afterwards. */
  restore(data: Uint8Array): readonly KvPair[];
  /** Loads the state from the store's pairs at start-up. */
  load(pairs: readonly KvPair[]): void;
}

export interface TransportFaults {
  readonly dropPeers: readonly NodeId[];
  readonly dropRate: number;
  readonly delayMs: number;
}

/** The raft transport (`@coffer/transport`'s RaftTransport). */
export interface Transport {
  start(): Promise<void>;
  send(messages: readonly Message[]): void;
  onMessage(handler: (message: Message) => void): void;
  onUnreachable(handler: (peer: NodeId) => void): void;
  onSnapshotStatus(handler: (peer: NodeId, isOk: boolean) => void): void;
  setPeers(peers: ReadonlyMap<NodeId, string>): void;
  /** Err `invalid-request` unless the transport was built with the unsafe fault flag. */
  setFaults(faults: TransportFaults | null): Result<void>;
  close(): Promise<void>;
}

export interface ForwardedPropose {
  readonly requestId: ClientRequestId;
  readonly payload: Uint8Array;
}

export type LogicalOperation = 'read' | 'create' | 'update' | 'patch' | 'delete' | 'list';

/** One Vault logical request (the node API's Handle RPC; the gateway maps HTTP onto it 1:1). */
export interface HandleRequest {
  readonly requestId: ClientRequestId;
  readonly operation: LogicalOperation;
  /** Below /v1/, no leading slash. */
  readonly path: string;
  /** Parsed JSON body (undefined: none). */
  readonly body: unknown;
  readonly query: Readonly<Record<string, string>>;
  readonly token: string;
  /** The body as sent, for routes that take binary (snapshot restore); `body` is then undefined. */
  readonly rawBody?: Uint8Array;
}

export interface HandleResponse {
  readonly status: number;
  /** JSON body; undefined for 204 and HEAD-style answers. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A non-JSON answer (snapshot file, Prometheus text): sent as is with `contentType`; `body` is then unused. */
  readonly raw?: { readonly contentType: string; readonly body: Uint8Array };
}

/** How a follower reaches the leader's node API (gRPC in production, direct calls in tests). */
export interface LeaderForwarder {
  propose(leaderAddress: string, request: ForwardedPropose, timeoutMs: number): Promise<Result<Uint8Array>>;
  /** Forwards a logical request (forwarded=true). Absent in twins that only forward proposals. */
  handle?(leaderAddress: string, request: HandleRequest, timeoutMs: number): Promise<Result<HandleResponse>>;
  /** The node API of any member, with this node's credentials (sys/storage/raft/join). Absent in twins. */
  nodeClient?(address: string): NodeApiClient;
  close(): void;
}

export type NodeResult<T> = Result<T, CofferError>;
