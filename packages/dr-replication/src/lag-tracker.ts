/**
 * The secondary's view of how far behind the primary it is, from what the stream tells it: the
 * primary's last committed index, the primary's clock when it sent, and the commit time of the
 * first entry the secondary lacks. Elapsed time since a message is measured on the local
 * monotonic clock and added to the primary's send time, so clock skew between sites cancels out.
 */
import type { TimeLag } from '@coffer/replication-lag';
import { lagEntries, timeLag } from '@coffer/replication-lag';

export interface LagSnapshot {
  readonly lastPrimaryIndex: number;
  /** The last primary entry received (applied or queued for the apply). */
  readonly lastReceivedPrimaryIndex: number;
  readonly lastAppliedPrimaryIndex: number;
  readonly lagEntries: number;
  readonly timeLag: TimeLag;
  /** Local wall clock of the last message from the primary, if any. */
  readonly lastHeardAtMs: number | undefined;
}

export class LagTracker {
  private lastPrimaryIndex = 0;
  private lastApplied = 0;
  private lastReceived = 0;
  private primaryNowMs = 0;
  private receivedAtMonoMs: number | undefined;
  private receivedAtWallMs: number | undefined;
  /** Commit time of entry `nextIndex` on the primary (0 = unknown). */
  private nextIndex = 0;
  private nextTimestampMs = 0;

  /** After a snapshot install or a sink apply. */
  setApplied(index: number): void {
    this.lastApplied = index;
    if (this.lastReceived < index) this.lastReceived = index;
    if (this.lastPrimaryIndex < index) this.lastPrimaryIndex = index;
  }

  /**
   * When a batch arrives, BEFORE its entries are applied: they are behind until the apply (a
   * round through this cluster's raft) is done, and the status must show it.
   */
  received(input: { readonly primaryLastIndex: number; readonly primaryNowMs: number; readonly firstIndex: number; readonly lastIndex: number; readonly firstEntryTimestampMs: number; readonly monoMs: number }): void {
    this.lastReceived = Math.max(this.lastReceived, input.lastIndex);
    this.lastPrimaryIndex = Math.max(this.lastPrimaryIndex, input.primaryLastIndex, this.lastApplied);
    this.primaryNowMs = input.primaryNowMs;
    this.receivedAtMonoMs = input.monoMs;
    // Only the oldest entry still missing gives the time lag: a batch queued behind others does not.
    if (input.firstEntryTimestampMs > 0 && input.firstIndex === this.lastApplied + 1) {
      this.nextIndex = input.firstIndex;
      this.nextTimestampMs = input.firstEntryTimestampMs;
    }
  }

  /** On every message from the primary (after its entries were applied). */
  heard(input: {
    readonly primaryLastIndex: number;
    readonly primaryNowMs: number;
    readonly lastSentIndex: number;
    readonly nextEntryTimestampMs: number;
    readonly monoMs: number;
    readonly wallMs: number;
  }): void {
    // Batches received after this one may already have raised it (the inbox reads ahead).
    this.lastPrimaryIndex = Math.max(this.lastPrimaryIndex, input.primaryLastIndex, this.lastApplied);
    this.primaryNowMs = input.primaryNowMs;
    this.receivedAtMonoMs = input.monoMs;
    this.receivedAtWallMs = input.wallMs;
    this.nextIndex = input.lastSentIndex + 1;
    this.nextTimestampMs = input.nextEntryTimestampMs;
  }

  snapshot(monoNowMs: number): LagSnapshot {
    const estPrimaryNowMs = this.receivedAtMonoMs === undefined ? 0 : this.primaryNowMs + Math.max(0, monoNowMs - this.receivedAtMonoMs);
    const nextIndex = this.nextIndex;
    const nextTs = this.nextTimestampMs;
    return {
      lastPrimaryIndex: this.lastPrimaryIndex,
      lastReceivedPrimaryIndex: this.lastReceived,
      lastAppliedPrimaryIndex: this.lastApplied,
      lagEntries: lagEntries(this.lastPrimaryIndex, this.lastApplied),
      timeLag: timeLag({
        leaderLastIndex: this.lastPrimaryIndex,
        matchIndex: this.lastApplied,
        nowMs: estPrimaryNowMs,
        timestamps: (i: number) => (i === nextIndex && nextTs > 0 ? nextTs : undefined),
      }),
      lastHeardAtMs: this.receivedAtWallMs,
    };
  }
}
