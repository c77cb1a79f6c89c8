import { majority } from './majority.js';

/**
 * The leader's read lease, in ticks of the leader's own clock.
 *
 * A voter that hears from the leader will not grant a vote to anybody else for electionTicks of
 * its own clock. So once a majority acknowledged a heartbeat the leader SENT at tick s, no other
 * leader can exist before s + electionTicks (measured conservatively: minus a drift margin).
 * Counting from the send time, not the receive time, keeps the message delay on the safe side.
 */
export class LeaderLease {
  /** seq -> tick at which that heartbeat round was sent. */
  private readonly sentAtTick = new Map<number, number>();
  /** voter -> highest heartbeat seq it acknowledged. */
  private readonly ackedSeq = new Map<string, number>();
  /** Rounds are numbered from 1 and recorded in order, so the kept ones are a contiguous range. */
  private lowestKeptSeq = 1;

  constructor(private readonly leaseTicks: number) {}

  onHeartbeatSent(seq: number, nowTick: number): void {
    this.sentAtTick.set(seq, nowTick);
  }

  onHeartbeatAck(voter: string, seq: number): void {
    if ((this.ackedSeq.get(voter) ?? -1) < seq) this.ackedSeq.set(voter, seq);
  }

  /** The tick until which the lease holds (exclusive), or -Infinity when there is none. */
  expiresAtTick(self: string, voters: readonly string[], selfSeq: number): number {
    if (this.leaseTicks <= 0) return Number.NEGATIVE_INFINITY;
    const starts: number[] = [];
    for (const v of voters) {
      const seq = v === self ? selfSeq : this.ackedSeq.get(v);
      if (seq === undefined) continue;
      const sent = this.sentAtTick.get(seq);
      if (sent !== undefined) starts.push(sent);
    }
    const q = majority(voters.length);
    if (starts.length < q) return Number.NEGATIVE_INFINITY;
    starts.sort((a, b) => b - a);
    // The q-th most recent start is the latest time a majority is known to have heard us.
    return (starts[q - 1] as number) + this.leaseTicks;
  }

  /**
   * Forget rounds sent before `tick`: a round that old can no longer hold a lease up, so memory
   * stays bounded even when a voter never answers.
   */
  forgetSentBefore(tick: number): void {
    for (;;) {
      const sent = this.sentAtTick.get(this.lowestKeptSeq);
      if (sent === undefined || sent >= tick) return;
      this.sentAtTick.delete(this.lowestKeptSeq);
      this.lowestKeptSeq++;
    }
  }
}
