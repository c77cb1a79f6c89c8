/**
 * The raft core's data types: log entries, persistent state, snapshots, messages and the Ready
 * contract. Everything here is plain data so that it can be persisted (storage), sent (transport)
 * and replayed (raft-sim) without the core's help.
 */
import type { LogIndex, NodeId, Term } from '@coffer/base';

/** `normal` carries an application command (or nothing: the leader's no-op); `conf-change` a ConfChange. */
export type EntryType = 'normal' | 'conf-change';

export interface Entry {
  readonly term: Term;
  readonly index: LogIndex;
  readonly type: EntryType;
  /** Opaque command bytes; empty for the no-op a new leader appends. Encoded ConfChange for conf-change. */
  readonly data: Uint8Array;
}

/** What must be durable before any message of the same Ready is sent. */
export interface HardState {
  readonly term: Term;
  /** The candidate voted for in `term`, or null. */
  readonly vote: NodeId | null;
  readonly commit: LogIndex;
}

/** The membership: voters decide elections and commits; learners only receive the log. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

/**
 * `add-voter` only appears in the bootstrap entries a founding member's log starts with (a leader
 * refuses to propose it: new members join as learners and are promoted once caught up).
 */
export type ConfChangeType = 'add-voter' | 'add-learner' | 'promote' | 'remove';

/** One membership step. Only one may be pending (appended but uncommitted) at a time. */
export interface ConfChange {
  readonly type: ConfChangeType;
  readonly node: NodeId;
}

export interface SnapshotMeta {
  /** Last index and term the snapshot covers. */
  readonly index: LogIndex;
  readonly term: Term;
  /** The configuration as of `index`. */
  readonly confState: ConfState;
}

export interface Snapshot {
  readonly meta: SnapshotMeta;
  /** The state machine's serialized state; opaque to the core. */
  readonly data: Uint8Array;
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

interface MessageBase {
  readonly from: NodeId;
  readonly to: NodeId;
  /** The sender's term. Every message carries it; a higher term makes the receiver step down. */
  readonly term: Term;
}

/** Leader → follower: entries after (prevIndex, prevTerm), and the leader's commit. */
export interface AppendMessage extends MessageBase {
  readonly type: 'append';
  readonly prevIndex: LogIndex;
  readonly prevTerm: Term;
  readonly entries: readonly Entry[];
  readonly commit: LogIndex;
}

/**
 * Follower → leader. On success `index` is the last index the follower now holds in agreement
 * with the leader. On reject, `index` is the prevIndex that was refused and the hint says where
 * to go next: `hintIndex`/`hintTerm` is the follower's last entry at or below the refused index
 * whose term is <= the leader's prevTerm (the leader skips a whole term at once).
 */
export interface AppendResponseMessage extends MessageBase {
  readonly type: 'append-resp';
  readonly reject: boolean;
  readonly index: LogIndex;
  readonly hintIndex: LogIndex;
  readonly hintTerm: Term;
}

/** Candidate → voter. `term` is the term the candidate would take (for pre-vote, not yet taken). */
export interface VoteMessage extends MessageBase {
  readonly type: 'vote' | 'pre-vote';
  readonly lastIndex: LogIndex;
  readonly lastTerm: Term;
  /** Set when the election was started by a leadership transfer: voters then ignore their lease. */
  readonly isTransfer: boolean;
}

export interface VoteResponseMessage extends MessageBase {
  readonly type: 'vote-resp' | 'pre-vote-resp';
  readonly reject: boolean;
}

/**
 * Leader → follower, every heartbeat interval. `commit` is capped at what the follower is known
 * to hold. `seq` numbers the heartbeat round: ReadIndex and the lease count acknowledgements by it.
 */
export interface HeartbeatMessage extends MessageBase {
  readonly type: 'heartbeat';
  readonly commit: LogIndex;
  readonly seq: number;
}

export interface HeartbeatResponseMessage extends MessageBase {
  readonly type: 'heartbeat-resp';
  readonly seq: number;
}

/** Leader → follower that is behind the leader's compacted log. */
export interface SnapshotMessage extends MessageBase {
  readonly type: 'snapshot';
  readonly snapshot: Snapshot;
}

/** Leader → transfer target: campaign now, without waiting for the election timeout. */
export interface TimeoutNowMessage extends MessageBase {
  readonly type: 'timeout-now';
}

/** Follower → leader: ask for a read index on behalf of a read request `ctx`. */
export interface ReadIndexMessage extends MessageBase {
  readonly type: 'read-index';
  readonly ctx: string;
}

/** Leader → follower: the read index for `ctx`, or reject when the leader cannot serve it. */
export interface ReadIndexResponseMessage extends MessageBase {
  readonly type: 'read-index-resp';
  readonly ctx: string;
  readonly index: LogIndex;
  readonly reject: boolean;
}

export type Message =
  | AppendMessage
  | AppendResponseMessage
  | VoteMessage
  | VoteResponseMessage
  | HeartbeatMessage
  | HeartbeatResponseMessage
  | SnapshotMessage
  | TimeoutNowMessage
  | ReadIndexMessage
  | ReadIndexResponseMessage;

export type MessageType = Message['type'];

export const MESSAGE_TYPES: readonly MessageType[] = [
  'append',
  'append-resp',
  'vote',
  'pre-vote',
  'vote-resp',
  'pre-vote-resp',
  'heartbeat',
  'heartbeat-resp',
  'snapshot',
  'timeout-now',
  'read-index',
  'read-index-resp',
];

/** A confirmed read: once the state machine has applied `index`, a read for `ctx` is linearizable. */
export interface ReadState {
  readonly ctx: string;
  readonly index: LogIndex;
}

/** A read request that could not be confirmed (leadership lost, no leader known). */
export interface ReadFailure {
  readonly ctx: string;
}

/** Volatile state: who leads and what role this node has. Not persisted. */
export interface SoftState {
  readonly leader: NodeId | null;
  readonly role: Role;
}

/**
 * What the caller must do, in this order:
 * 1. persist `snapshot` (if any), `entries` and `hardState` (if any) durably, in one batch;
 * 2. only then send `messages`;
 * 3. apply `snapshot` (if any) to the state machine, then `committedEntries` in order;
 * 4. call `advance()`.
 * `readStates` may be served once the state machine has applied their index.
 */
export interface Ready {
  readonly softState: SoftState | undefined;
  readonly hardState: HardState | undefined;
  readonly snapshot: Snapshot | undefined;
  readonly entries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly committedEntries: readonly Entry[];
  readonly readStates: readonly ReadState[];
  readonly readFailures: readonly ReadFailure[];
  /**
   * True when term, vote, entries or a snapshot changed: the persist step must fsync. A Ready
   * whose hard state only moves the commit index may be written without fsync.
   */
  readonly mustSync: boolean;
}

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** The leader's view of one peer, for status pages and the replication-lag maths. */
export interface PeerProgress {
  readonly id: NodeId;
  readonly match: LogIndex;
  readonly next: LogIndex;
  readonly state: ProgressState;
  readonly isLearner: boolean;
  /** Ticks since the leader last heard from this peer in the current term (0 = this tick). */
  readonly ticksSinceContact: number;
  readonly inflightMessages: number;
}

export interface RaftStatus {
  readonly id: NodeId;
  readonly term: Term;
  readonly vote: NodeId | null;
  readonly role: Role;
  readonly leader: NodeId | null;
  readonly commit: LogIndex;
  readonly applied: LogIndex;
  readonly firstIndex: LogIndex;
  readonly lastIndex: LogIndex;
  readonly confState: ConfState;
  readonly leadTransferee: NodeId | null;
  /** Only on the leader: one row per peer (not itself). */
  readonly progress: readonly PeerProgress[];
  /** Only on the leader: ticks left on the read lease (0 when none or disabled). */
  readonly leaseTicksRemaining: number;
}
