/**
 * A leadership transfer in progress: while it runs the leader refuses proposals; it ends when the
 * target takes over (the leader sees a higher term) or after electionTicks, whichever is first.
 */
export class LeadershipTransfer<Id extends string = string> {
  private target: Id | null = null;
  private elapsedTicks = 0;

  constructor(private readonly timeoutTicks: number) {}

  start(target: Id): void {
    this.target = target;
    this.elapsedTicks = 0;
  }

  get transferee(): Id | null {
    return this.target;
  }

  /** Counts a tick; returns true when the transfer just timed out (and was aborted). */
  tick(): boolean {
    if (this.target === null) return false;
    this.elapsedTicks++;
    if (this.elapsedTicks >= this.timeoutTicks) {
      this.abort();
      return true;
    }
    return false;
  }

  abort(): void {
    this.target = null;
    this.elapsedTicks = 0;
  }
}
