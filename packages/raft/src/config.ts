import type { LogIndex, Logger, NodeId, Rng } from '@coffer/base';
import { assert, logIndex } from '@coffer/base';
import type { RaftStorage } from './storage.js';

/**
 * Deliberately broken rules, for proving that the simulation's checkers have teeth. Only the
 * test suites of raft-sim set these; production configs never do (the node's config loader
 * does not know the field).
 */
export interface UnsafeTestingFaults {
  /** Commit an entry of an earlier term by counting replicas (the paper's Figure 8 bug). */
  readonly commitPreviousTermByCounting?: boolean;
  /** Grant votes without the log up-to-date check. */
  readonly skipVoteLogCheck?: boolean;
  /** On AppendEntries, truncate the log at prevIndex+1 even when the entries there match. */
  readonly truncateOnMatch?: boolean;
  /** Serve ReadIndex without confirming leadership with a heartbeat round. */
  readonly readIndexWithoutQuorum?: boolean;
}

export interface RaftConfig {
  readonly id: NodeId;
  readonly storage: RaftStorage;
  readonly rng: Rng;
  /** Base election timeout; each follower draws its timeout from [electionTicks, 2*electionTicks). */
  readonly electionTicks: number;
  /** A leader sends heartbeats every heartbeatTicks. Must be < electionTicks. */
  readonly heartbeatTicks: number;
  /** The index the state machine has already applied (restart); committed entries start after it. */
  readonly applied?: LogIndex;
  /** Max bytes of entry data in one append message. */
  readonly maxSizePerMsg?: number;
  /** Max append messages in flight to one follower in replicate state. */
  readonly maxInflightMsgs?: number;
  /** Max bytes of entry data in flight to one follower (0 = no limit). */
  readonly maxInflightBytes?: number;
  /** Max bytes of uncommitted entry data a leader accepts before refusing proposals (0 = no limit). */
  readonly maxUncommittedBytes?: number;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  /** `safe` = ReadIndex with a heartbeat round; `lease` = serve from the leader lease when valid. */
  readonly readOnlyOption?: 'safe' | 'lease';
  /** Ticks subtracted from electionTicks for the lease, a margin for clock drift. */
  readonly leaseDriftMarginTicks?: number;
  /** When true the leader promotes a learner to voter once it has caught up with the commit index. */
  readonly autoPromoteLearners?: boolean;
  readonly logger?: Logger;
  readonly unsafeTestingFaults?: UnsafeTestingFaults;
}

export interface ResolvedRaftConfig {
  readonly id: NodeId;
  readonly storage: RaftStorage;
  readonly rng: Rng;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly applied: LogIndex;
  readonly maxSizePerMsg: number;
  readonly maxInflightMsgs: number;
  readonly maxInflightBytes: number;
  readonly maxUncommittedBytes: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly readOnlyOption: 'safe' | 'lease';
  readonly leaseDriftMarginTicks: number;
  readonly autoPromoteLearners: boolean;
  readonly logger: Logger | undefined;
  readonly faults: UnsafeTestingFaults;
}

export function resolveConfig(c: RaftConfig): ResolvedRaftConfig {
  assert(c.heartbeatTicks >= 1 && c.heartbeatTicks < c.electionTicks, 'heartbeatTicks must be in [1, electionTicks)');
  const readOnlyOption = c.readOnlyOption ?? 'safe';
  const checkQuorum = c.checkQuorum ?? true;
  assert(readOnlyOption === 'safe' || checkQuorum, 'lease reads need checkQuorum');
  const leaseDriftMarginTicks = c.leaseDriftMarginTicks ?? Math.max(1, Math.ceil(c.electionTicks / 5));
  assert(leaseDriftMarginTicks < c.electionTicks, 'leaseDriftMarginTicks must be < electionTicks');
  return {
    id: c.id,
    storage: c.storage,
    rng: c.rng,
    electionTicks: c.electionTicks,
    heartbeatTicks: c.heartbeatTicks,
    applied: c.applied ?? logIndex(0),
    maxSizePerMsg: c.maxSizePerMsg ?? 1024 * 1024,
    maxInflightMsgs: c.maxInflightMsgs ?? 256,
    maxInflightBytes: c.maxInflightBytes ?? 0,
    maxUncommittedBytes: c.maxUncommittedBytes ?? 0,
    preVote: c.preVote ?? true,
    checkQuorum,
    readOnlyOption,
    leaseDriftMarginTicks,
    autoPromoteLearners: c.autoPromoteLearners ?? false,
    logger: c.logger,
    faults: c.unsafeTestingFaults ?? {},
  };
}
