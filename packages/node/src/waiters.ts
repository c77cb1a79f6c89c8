/** Promise helpers with bounds: every wait in the runtime ends by its deadline. */

/** Resolves waiters once a monotonically growing value reaches their target. */
export class IndexWaiters {
  private waiters: { readonly target: number; readonly resolve: (reached: boolean) => void }[] = [];

  /** True when reached, false at the timeout. */
  waitFor(target: number, current: number, timeoutMs: number): Promise<boolean> {
    if (current >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const entry = {
        target,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== entry);
        resolve(false);
      }, Math.max(0, timeoutMs));
      this.waiters.push(entry);
    });
  }

  advanceTo(value: number): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.target <= value);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.target > value);
    for (const w of ready) w.resolve(true);
  }

  failAll(): void {
    const all = this.waiters;
    this.waiters = [];
    for (const w of all) w.resolve(false);
  }
}

/** A signal that wakes everyone waiting for "something changed" (leader, role), with a bound. */
export class ChangeSignal {
  private waiters: (() => void)[] = [];

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      }, Math.max(0, timeoutMs));
      this.waiters.push(wake);
    });
  }

  fire(): void {
    const all = this.waiters;
    this.waiters = [];
    for (const w of all) w();
  }
}

/**
 * Runs a forward to `leaderId`, but gives up on it as soon as this node learns of ANOTHER leader
 * (undefined then): a leader frozen by SIGSTOP or cut off keeps the connection open, and its
 * forward would otherwise hang until the request deadline although a new leader already serves.
 * Safe because the caller retries on the new leader under the SAME request id: if the abandoned
 * attempt did apply, the dedup record answers the retry; an entry the old leader appended in its
 * stale term cannot commit. The abandoned promise settles later and is ignored (it never throws:
 * forwards return Results).
 */
export function unlessLeaderChanges<T>(signal: ChangeSignal, leaderNow: () => string | null, leaderId: string, forward: Promise<T>, deadlineMs: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    let isDone = false;
    const finish = (v: T | undefined): void => {
      if (isDone) return;
      isDone = true;
      resolve(v);
    };
    forward.then(finish, () => finish(undefined));
    const watch = (): void => {
      if (isDone) return;
      const now = leaderNow();
      if (now !== null && now !== leaderId) return finish(undefined);
      const left = deadlineMs - performance.now();
      // Bounded: past the deadline the forward's own deadline answers.
      if (left > 0) void signal.wait(Math.min(left, 1000)).then(watch);
    };
    watch();
  });
}

/** Pending ReadIndex requests by ctx: the index once confirmed, or undefined when refused / timed out. */
export class PendingReads {
  private readonly byCtx = new Map<string, (index: number | undefined) => void>();

  wait(ctx: string, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.byCtx.delete(ctx);
        resolve(undefined);
      }, Math.max(0, timeoutMs));
      this.byCtx.set(ctx, (index) => {
        clearTimeout(timer);
        this.byCtx.delete(ctx);
        resolve(index);
      });
    });
  }

  confirmed(ctx: string, index: number): void {
    this.byCtx.get(ctx)?.(index);
  }

  failed(ctx: string): void {
    this.byCtx.get(ctx)?.(undefined);
  }

  failAll(): void {
    for (const f of [...this.byCtx.values()]) f(undefined);
  }
}
