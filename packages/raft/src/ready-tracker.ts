/**
 * The Ready bookkeeping: what changed since the last Ready, what was handed out and must be
 * acknowledged by advance(). Order of the caller's duties: persist, send, apply, advance.
 * Invariant: between ready() and advance() nothing is handed out twice (`inReady`), and committed
 * entries are handed out once each (`applyingIndex` >= the log's applied index).
 */
import type { LogIndex } from '@coffer/base';
import { assert, logIndex, ok } from '@coffer/base';
import type { Raft } from './raft.js';
import { bcastAppend, bcastHeartbeat } from './replication.js';
import type { Entry, HardState, Ready, Snapshot, SoftState } from './types.js';

interface HandedOut {
  readonly lastEntry: Entry | undefined;
  readonly snapshot: Snapshot | undefined;
  readonly applyTo: LogIndex;
}

export class ReadyTracker {
  private prevSoft: SoftState;
  private prevHard: HardState;
  /** Last committed index handed out by ready(). */
  private applyingIndex: LogIndex;
  private inReady: HandedOut | undefined;

  constructor(r: Raft) {
    this.applyingIndex = r.log.applied;
    this.prevSoft = { leader: r.leader, role: r.role };
    this.prevHard = r.hardState();
  }

  /** The leader's deferred sends: one append per follower and one heartbeat round per Ready. */
  private flush(r: Raft): void {
    if (r.role !== 'leader') return;
    if (r.readOnly.hasUnassigned()) bcastHeartbeat(r);
    if (r.needsBroadcast) {
      r.needsBroadcast = false;
      bcastAppend(r);
    }
  }

  private hasCommittedToApply(r: Raft): boolean {
    return r.log.committed > this.applyingIndex && this.applyingIndex + 1 >= r.log.firstIndex();
  }

  hasReady(r: Raft): boolean {
    if (this.inReady !== undefined) return false;
    this.flush(r);
    const soft = this.prevSoft;
    const hard = this.prevHard;
    return (
      soft.leader !== r.leader ||
      soft.role !== r.role ||
      hard.term !== r.term ||
      hard.vote !== r.vote ||
      hard.commit !== r.log.committed ||
      r.log.unstable.entries.length > 0 ||
      r.log.unstable.snapshot !== undefined ||
      r.msgs.length > 0 ||
      r.readStates.length > 0 ||
      r.readFailures.length > 0 ||
      this.hasCommittedToApply(r)
    );
  }

  ready(r: Raft): Ready {
    assert(this.inReady === undefined, 'ready() called again before advance()');
    this.flush(r);
    const snapshot = r.log.unstable.snapshot;
    const entries = [...r.log.unstable.entries];
    const committedEntries = this.hasCommittedToApply(r)
      ? r.log.slice(logIndex(Math.max(this.applyingIndex, r.log.applied) + 1), logIndex(r.log.committed + 1), Number.POSITIVE_INFINITY)
      : ok<Entry[]>([]);
    assert(committedEntries.ok, 'committed entries must be in the log');
    const hard = r.hardState();
    const soft: SoftState = { leader: r.leader, role: r.role };
    const isTermOrVoteChanged = hard.term !== this.prevHard.term || hard.vote !== this.prevHard.vote;
    const isHardChanged = isTermOrVoteChanged || hard.commit !== this.prevHard.commit;
    const isSoftChanged = soft.leader !== this.prevSoft.leader || soft.role !== this.prevSoft.role;
    const rd: Ready = {
      softState: isSoftChanged ? soft : undefined,
      hardState: isHardChanged ? hard : undefined,
      snapshot,
      entries,
      messages: r.msgs,
      committedEntries: committedEntries.value,
      readStates: r.readStates,
      readFailures: r.readFailures,
      // A commit index that moves alone needs no fsync: after a crash it is learned again.
      mustSync: isTermOrVoteChanged || entries.length > 0 || snapshot !== undefined,
    };
    const lastCommitted = committedEntries.value[committedEntries.value.length - 1];
    this.inReady = { lastEntry: entries[entries.length - 1], snapshot, applyTo: lastCommitted?.index ?? this.applyingIndex };
    this.applyingIndex = this.inReady.applyTo;
    r.msgs = [];
    r.readStates = [];
    r.readFailures = [];
    this.prevSoft = soft;
    this.prevHard = hard;
    return rd;
  }

  advance(r: Raft): void {
    const h = this.inReady;
    assert(h !== undefined, 'advance() without ready()');
    this.inReady = undefined;
    if (h.snapshot !== undefined) {
      r.log.stableSnapTo(h.snapshot.meta.index);
      if (h.snapshot.meta.index > r.log.applied) r.log.applied = h.snapshot.meta.index;
      if (this.applyingIndex < h.snapshot.meta.index) this.applyingIndex = h.snapshot.meta.index;
    }
    if (h.lastEntry !== undefined) r.log.stableTo(h.lastEntry.index, h.lastEntry.term);
    if (h.applyTo > r.log.applied) r.log.appliedTo(h.applyTo);
    r.conf.foldTo(logIndex(Math.min(r.log.applied, r.log.firstIndex() - 1)));
  }
}
