import { majority } from './majority.js';

/**
 * Check-quorum: a leader notes which voters it heard from; every election timeout it asks whether
 * a majority (itself included) was active, and steps down if not, then clears the marks.
 */
export class QuorumActivity {
  private readonly active = new Set<string>();

  markActive(voter: string): void {
    this.active.add(voter);
  }

  isActive(voter: string): boolean {
    return this.active.has(voter);
  }

  /** True when the voters heard from (plus self) form a majority. */
  hasQuorum(self: string, voters: readonly string[]): boolean {
    let n = 0;
    for (const v of voters) if (v === self || this.active.has(v)) n++;
    return n >= majority(voters.length);
  }

  clear(): void {
    this.active.clear();
  }
}
