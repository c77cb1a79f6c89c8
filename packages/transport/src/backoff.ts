/**
 * Bounded exponential backoff with "equal jitter": the n-th delay is uniform in [d/2, d) where
 * d = min(maxMs, initialMs * 2^n). The jitter keeps the peers of a restarted node from
 * reconnecting in lock-step; the bound keeps a node that comes back from waiting long.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    /** Uniform in [0, 1): an injected Rng's next(), or Math.random. */
    private readonly random: () => number,
  ) {}

  /** The delay before the next attempt; each call doubles the base, up to maxMs. */
  nextDelayMs(): number {
    const exp = Math.min(this.attempt, 30);
    this.attempt++;
    const d = Math.min(this.options.maxMs, this.options.initialMs * 2 ** exp);
    return d / 2 + this.random() * (d / 2);
  }

  /** Called once a connection has proven itself (the peer acknowledged something). */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
