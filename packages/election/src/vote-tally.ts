import { majority } from './majority.js';

export type TallyResult = 'won' | 'lost' | 'pending';

/** Counts (pre-)votes from the voters of the current configuration. A voter's first answer counts. */
export class VoteTally {
  private readonly answers = new Map<string, boolean>();

  constructor(private readonly voters: readonly string[]) {}

  record(voter: string, granted: boolean): void {
    if (!this.voters.includes(voter)) return;
    if (!this.answers.has(voter)) this.answers.set(voter, granted);
  }

  granted(): number {
    let n = 0;
    for (const g of this.answers.values()) if (g) n++;
    return n;
  }

  rejected(): number {
    return this.answers.size - this.granted();
  }

  result(): TallyResult {
    const q = majority(this.voters.length);
    if (this.granted() >= q) return 'won';
    if (this.rejected() > this.voters.length - q) return 'lost';
    return 'pending';
  }
}
