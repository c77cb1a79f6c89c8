/**
 * What the node provides to DR replication. Each port has an in-memory twin in testing.ts.
 *
 * Primary side: `EntrySource` (the committed log, its snapshot and commit times) and
 * `DrPrimaryNode` (leadership, the committed DR record, and proposing DR commands through raft).
 * Secondary side: `EntrySink` (applies received entries through the secondary's own raft).
 */
import type { CofferError, Result } from '@coffer/base';
import type { DrCommand } from './dr-command.js';
import type { DrState } from './dr-state.js';
import type { StreamPosition } from './stream-position.js';

export interface DrEntryRecord {
  readonly index: number;
  readonly term: number;
  readonly type: 'normal' | 'conf-change';
  /** The committed command bytes (ciphertext), exactly as in the primary's log. */
  readonly data: Uint8Array;
}

export interface DrSnapshot {
  /** The last primary index the snapshot includes, and its term. */
  readonly index: number;
  readonly term: number;
  /** The primary's state-machine snapshot WITHOUT its cluster-local keys (the DR record). */
  readonly data: Uint8Array;
}

/** The primary's committed log, read on its leader. */
export interface EntrySource {
  /** The first index still in the log (everything below was compacted into a snapshot). */
  firstIndex(): number;
  /** The last COMMITTED index (never an uncommitted one: a secondary must not see what may be lost). */
  lastIndex(): number;
  /**
   * Committed entries from `fromIndex` (firstIndex <= fromIndex <= lastIndex), ascending and
   * contiguous, whole entries up to `maxBytes` of data, at least one. A compaction racing the
   * read may return an error of kind `compacted`.
   */
  entries(fromIndex: number, maxBytes: number): Promise<Result<readonly DrEntryRecord[], CofferError>>;
  /** The latest snapshot (index >= firstIndex - 1, so streaming can resume after it). */
  snapshot(): Promise<Result<DrSnapshot, CofferError>>;
  /** When entry `index` was committed on this cluster (ms, wall clock), or undefined when not known. */
  entryTimestampMs(index: number): number | undefined;
  /**
   * Optional: resolves when lastIndex() > afterIndex or timeoutMs passed, whichever is first.
   * Without it the server polls every `pollIntervalMs`.
   */
  waitForCommit?(afterIndex: number, timeoutMs: number): Promise<void>;
}

export type Leadership =
  | { readonly kind: 'leader' }
  /** `leaderDrAddress`: the DR address of the leader this node believes in, when known. */
  | { readonly kind: 'not-leader'; readonly leaderDrAddress?: string };

export interface DrPrimaryNode {
  /** This cluster's id. */
  clusterId(): string;
  leadership(): Leadership;
  /** The committed DR record (any node holds it). */
  drState(): DrState;
  /**
   * Proposes `command` through raft and resolves with the record after it was applied (the
   * node applies it with `applyDrCommand`), or with the apply's error (nothing changed).
   */
  propose(command: DrCommand): Promise<Result<DrState, CofferError>>;
}

/** The secondary's side: applies what the primary sent, through the secondary's own raft. */
export interface EntrySink {
  /** Where to resume (read when a stream starts); undefined: nothing applied from any primary yet. */
  position(): StreamPosition | undefined;
  /**
   * Proposes the batch as one command and resolves once it is applied. The apply runs
   * `planBatch(lastAppliedPrimaryIndex, entries)`: it skips duplicates, refuses a gap (error kind
   * `conflict`), applies normal entries' commands except cluster-local ones (the DR record,
   * membership: conf-change entries are skipped) and stores the new position in the same write.
   */
  apply(batch: {
    readonly primaryClusterId: string;
    readonly entries: readonly DrEntryRecord[];
  }): Promise<Result<StreamPosition, CofferError>>;
  /** Replaces all replicated data (keeping the cluster-local keys) and sets the position to the snapshot's index. */
  installSnapshot(snapshot: DrSnapshot & { readonly primaryClusterId: string }): Promise<Result<StreamPosition, CofferError>>;
}
