import { majority } from './majority.js';

/**
 * Check-quorum: the leader notes, per voter, the tick it last heard from it. At every tick it asks
 * whether a majority (itself included) was heard within the last election timeout; when not, it
 * steps down. A leader cut off from the majority thus stops within one election timeout.
 */
export class QuorumActivity {
  private readonly lastContactTick = new Map<string, number>();

  markActive(voter: string, nowTick: number): void {
    this.lastContactTick.set(voter, nowTick);
  }

  /** True when the voters heard from within `windowTicks` before `nowTick` (plus self) form a majority. */
  hasQuorum(self: string, voters: readonly string[], nowTick: number, windowTicks: number): boolean {
    let n = 0;
    for (const v of voters) {
      const last = this.lastContactTick.get(v);
      if (v === self || (last !== undefined && nowTick - last < windowTicks)) n++;
    }
    return n >= majority(voters.length);
  }

  /** Everybody counts as heard at `nowTick` (a new leader gives its followers a full timeout). */
  resetAll(voters: readonly string[], nowTick: number): void {
    this.lastContactTick.clear();
    for (const v of voters) this.lastContactTick.set(v, nowTick);
  }
}
