import type { LogIndex, NodeId } from '@coffer/base';
import { majority } from '@coffer/election';

/** A read request waiting for a heartbeat round to confirm the leader still leads. */
interface PendingRead {
  readonly ctx: string;
  /** Who asked: the leader itself or a follower that forwarded it. */
  readonly from: NodeId;
  /** The commit index when the request arrived: the read index once confirmed. */
  readonly index: LogIndex;
  /** The heartbeat round that confirms it; 0 until a round is assigned. */
  seq: number;
}

/**
 * ReadIndex bookkeeping on the leader. Requests queue in arrival order; a request is confirmed
 * once a majority of voters acknowledged a heartbeat round numbered at or after its own.
 */
export class ReadOnlyQueue {
  private queue: PendingRead[] = [];
  private readonly acked = new Map<NodeId, number>();

  add(ctx: string, from: NodeId, index: LogIndex): void {
    this.queue.push({ ctx, from, index, seq: 0 });
  }

  /** Requests still waiting for a round to be sent for them. */
  hasUnassigned(): boolean {
    const last = this.queue[this.queue.length - 1];
    return last !== undefined && last.seq === 0;
  }

  assign(seq: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const r = this.queue[i] as PendingRead;
      if (r.seq !== 0) break;
      r.seq = seq;
    }
  }

  ack(voter: NodeId, seq: number): void {
    if ((this.acked.get(voter) ?? 0) < seq) this.acked.set(voter, seq);
  }

  /** Removes and returns the requests now confirmed by a majority of `voters`. */
  takeConfirmed(self: NodeId, voters: readonly NodeId[]): PendingRead[] {
    const out: PendingRead[] = [];
    const q = majority(voters.length);
    while (this.queue.length > 0) {
      const r = this.queue[0] as PendingRead;
      if (r.seq === 0) break;
      let n = 0;
      for (const v of voters) if (v === self || (this.acked.get(v) ?? 0) >= r.seq) n++;
      if (n < q) break;
      out.push(r);
      this.queue.shift();
    }
    return out;
  }

  /** Empties the queue (leadership lost): the caller fails every request. */
  drain(): PendingRead[] {
    const out = this.queue;
    this.queue = [];
    this.acked.clear();
    return out;
  }

  get size(): number {
    return this.queue.length;
  }
}
