import type { Rng } from '@coffer/base';
import { assert } from '@coffer/base';

/**
 * The randomized election timeout, counted in ticks. Each reset draws a fresh timeout from
 * [electionTicks, 2*electionTicks) with the injected Rng, so that split votes resolve and a seed
 * replays exactly.
 */
export class ElectionTimer {
  private elapsedTicks = 0;
  private timeoutTicks: number;

  constructor(
    readonly electionTicks: number,
    private readonly rng: Rng,
  ) {
    assert(Number.isInteger(electionTicks) && electionTicks >= 2, 'electionTicks must be an integer >= 2');
    this.timeoutTicks = this.draw();
  }

  private draw(): number {
    return this.rng.int(this.electionTicks, 2 * this.electionTicks);
  }

  tick(): void {
    this.elapsedTicks++;
  }

  /** Restart the count and draw a new randomized timeout. */
  reset(): void {
    this.elapsedTicks = 0;
    this.timeoutTicks = this.draw();
  }

  /** Ticks since the last reset. */
  get elapsed(): number {
    return this.elapsedTicks;
  }

  get randomizedTimeoutTicks(): number {
    return this.timeoutTicks;
  }

  /** True once the randomized timeout has passed: a follower campaigns. */
  isExpired(): boolean {
    return this.elapsedTicks >= this.timeoutTicks;
  }

  /** True while fewer than electionTicks (the minimum timeout) have passed since the last reset. */
  isWithinMinimumTimeout(): boolean {
    return this.elapsedTicks < this.electionTicks;
  }
}
