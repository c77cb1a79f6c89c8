import type { LogIndex } from '@coffer/base';
import { logIndex } from '@coffer/base';
import { Inflights } from './inflights.js';
import type { ProgressState } from './types.js';

/**
 * The leader's view of one follower (etcd's tracker.Progress).
 * - probe: send one append at a time until the follower's match is found;
 * - replicate: pipeline appends optimistically, bounded by the inflight window;
 * - snapshot: a snapshot is on its way; send nothing until it is reported.
 * Invariant: match < next.
 */
export class Progress {
  match: LogIndex = logIndex(0);
  next: LogIndex;
  state: ProgressState = 'probe';
  /** In probe state: an append was sent and we wait for its answer before sending another. */
  isProbeSent = false;
  pendingSnapshot: LogIndex = logIndex(0);
  /** Heard from this peer since the last check-quorum round. */
  isRecentActive = false;
  ticksSinceContact = 0;
  /** The highest commit index sent to this peer (appends and heartbeats). */
  sentCommit: LogIndex = logIndex(0);
  /** Ticks since the snapshot was sent (snapshot state only): a lost one is retried. */
  snapshotElapsedTicks = 0;
  readonly inflights: Inflights;

  constructor(
    next: LogIndex,
    public isLearner: boolean,
    maxInflightMsgs: number,
    maxInflightBytes: number,
  ) {
    this.next = next;
    this.inflights = new Inflights(maxInflightMsgs, maxInflightBytes);
  }

  becomeProbe(): void {
    if (this.state === 'snapshot') {
      const pending = this.pendingSnapshot;
      this.resetState('probe');
      this.next = logIndex(Math.max(this.match + 1, pending + 1));
    } else {
      this.resetState('probe');
      this.next = logIndex(this.match + 1);
    }
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = logIndex(this.match + 1);
  }

  becomeSnapshot(snapshotIndex: LogIndex): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  private resetState(state: ProgressState): void {
    this.isProbeSent = false;
    this.snapshotElapsedTicks = 0;
    this.pendingSnapshot = logIndex(0);
    this.state = state;
    this.inflights.reset();
  }

  /** An ack up to n arrived. Returns false when it told us nothing new (stale). */
  maybeUpdate(n: LogIndex): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.isProbeSent = false;
    }
    if (this.next < n + 1) this.next = logIndex(n + 1);
    return updated;
  }

  /** We sent entries up to `last` (replicate state moves next optimistically). */
  sentEntries(count: number, bytes: number): void {
    if (this.state === 'replicate') {
      if (count > 0) {
        const last = this.next + count - 1;
        this.next = logIndex(last + 1);
        this.inflights.add(last, bytes);
      }
    } else if (this.state === 'probe') {
      this.isProbeSent = true;
    }
  }

  /**
   * A rejection of the append at `rejected` arrived, with the follower's hint. Returns false when
   * the rejection is stale (it refers to an append we no longer expect an answer to).
   */
  maybeDecrTo(rejected: LogIndex, hintIndex: LogIndex): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false; // stale
      this.next = logIndex(this.match + 1);
      return true;
    }
    if (this.next - 1 !== rejected) return false; // stale: not the probe we sent last
    this.next = logIndex(Math.max(Math.min(rejected, hintIndex + 1), this.match + 1, 1));
    this.isProbeSent = false;
    return true;
  }

  /** Whether the leader must hold back appends to this follower now. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.isProbeSent;
      case 'replicate':
        return this.inflights.isFull();
      case 'snapshot':
        return true;
    }
  }
}
