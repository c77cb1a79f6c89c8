/**
 * Turns a monotonic clock into raft ticks. The interval timer only wakes us; the number of ticks
 * comes from elapsed time, so a process paused by SIGSTOP (or a long GC) delivers every tick it
 * missed as soon as it runs again. Entry points call `due()` before serving anything: a stale
 * leader then runs its check-quorum and loses its lease before it can answer.
 */
export class MonotonicTicker {
  private readonly originMs: number;
  private ticksDone = 0;

  constructor(
    private readonly tickMs: number,
    private readonly monotonicMs: () => number,
  ) {
    this.originMs = monotonicMs();
  }

  /** Ticks elapsed since the last call (0 when within the same tick). */
  due(): number {
    const elapsed = Math.floor((this.monotonicMs() - this.originMs) / this.tickMs);
    const n = elapsed - this.ticksDone;
    this.ticksDone = elapsed;
    return Math.max(0, n);
  }
}
