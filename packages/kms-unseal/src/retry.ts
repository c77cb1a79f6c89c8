import { cofferError, err, type CofferError, type Result } from '@coffer/base';

export interface RetryOptions {
  /** Aborting stops the loop (between attempts, or during a wait) and returns the last error. */
  readonly signal?: AbortSignal;
  readonly initialDelayMs?: number;
  /** The backoff ceiling: waits never exceed this. */
  readonly maxDelayMs?: number;
  /** Bound on attempts; unbounded by default (a node retries until KMS is back or it is stopped). */
  readonly maxAttempts?: number;
  /** Uniform [0, 1) source for the jitter; injectable for tests. */
  readonly random?: () => number;
  /** Called after each failed attempt, e.g. to log and to show the reason in seal-status. */
  readonly onAttemptFailed?: (failure: AttemptFailure) => void;
  /** Which failures are worth retrying. Default: `unavailable` and `timeout`. */
  readonly isRetryable?: (error: CofferError) => boolean;
}

export interface AttemptFailure {
  readonly attempt: number;
  readonly error: CofferError;
  /** Undefined when no retry follows. */
  readonly nextDelayMs: number | undefined;
}

const defaultRetryable = (e: CofferError): boolean => e.kind === 'unavailable' || e.kind === 'timeout';

/** Exponential backoff with "equal jitter": half the step fixed, half random, capped at maxDelayMs. */
export function backoffDelayMs(attempt: number, initialDelayMs: number, maxDelayMs: number, random: () => number): number {
  const step = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Runs `attempt` (e.g. `() => barrier.autoUnseal()`) until it succeeds, fails with a
 * non-retryable error, runs out of attempts, or is aborted. Returns the success, or the last error.
 */
export async function unsealWithRetry<T>(attempt: (n: number) => Promise<Result<T>>, options: RetryOptions = {}): Promise<Result<T>> {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const random = options.random ?? Math.random;
  const retryable = options.isRetryable ?? defaultRetryable;
  let last: CofferError = cofferError('unavailable', 'unseal was aborted before the first attempt');
  for (let n = 1; n <= maxAttempts; n++) {
    if (options.signal?.aborted) break;
    const r = await attempt(n);
    if (r.ok) return r;
    last = r.error;
    const more = n < maxAttempts && retryable(r.error) && !options.signal?.aborted;
    const delay = more ? backoffDelayMs(n, initial, max, random) : undefined;
    options.onAttemptFailed?.({ attempt: n, error: r.error, nextDelayMs: delay });
    if (delay === undefined) return err(r.error);
    if (!(await sleep(delay, options.signal))) break;
  }
  return err(last);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
