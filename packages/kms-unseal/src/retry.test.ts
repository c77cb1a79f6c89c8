import { describe, expect, it } from 'vitest';
import { cofferError, err, ok, type Result } from '@coffer/base';
import { backoffDelayMs, unsealWithRetry, type AttemptFailure } from './retry.js';

const down = (): Promise<Result<string>> => Promise.resolve(err(cofferError('unavailable', 'KMS down')));

describe('backoffDelayMs', () => {
  it('doubles from the initial delay, is capped, and jitters within [step/2, step]', () => {
    expect(backoffDelayMs(1, 100, 1_000, () => 0)).toBe(50);
    expect(backoffDelayMs(1, 100, 1_000, () => 0.999999)).toBe(100);
    expect(backoffDelayMs(3, 100, 1_000, () => 0)).toBe(200);
    expect(backoffDelayMs(10, 100, 1_000, () => 0.999999)).toBe(1_000);
    expect(backoffDelayMs(1_000, 100, 1_000, () => 0.5)).toBe(750);
  });
});

describe('unsealWithRetry', () => {
  it('retries unavailable until success, reporting each failure with the next delay', async () => {
    const failures: AttemptFailure[] = [];
    let n = 0;
    const r = await unsealWithRetry(() => Promise.resolve(++n < 3 ? err(cofferError('unavailable', `down ${n}`)) : ok('root')), {
      initialDelayMs: 1, random: () => 0, onAttemptFailed: (f) => failures.push(f),
    });
    expect(r).toEqual({ ok: true, value: 'root' });
    expect(failures.map((f) => [f.attempt, f.error.message, f.nextDelayMs])).toEqual([[1, 'down 1', 1], [2, 'down 2', 1]]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const failures: AttemptFailure[] = [];
    const r = await unsealWithRetry(down, { initialDelayMs: 1, maxAttempts: 3, onAttemptFailed: (f) => failures.push(f) });
    expect(r).toMatchObject({ ok: false, error: { kind: 'unavailable', message: 'KMS down' } });
    expect(failures.map((f) => f.nextDelayMs)).toEqual([expect.any(Number), expect.any(Number), undefined]);
  });

  it('does not retry a non-retryable error', async () => {
    let n = 0;
    const r = await unsealWithRetry(() => (n++, Promise.resolve(err(cofferError('internal', 'wrong context')))), { initialDelayMs: 1 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(n).toBe(1);
  });

  it('an abort ends a long wait at once and returns the last error', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const r = await unsealWithRetry(down, {
      signal: controller.signal, initialDelayMs: 60_000, onAttemptFailed: () => controller.abort(),
    });
    expect(r).toMatchObject({ ok: false, error: { message: 'KMS down' } });
    expect(performance.now() - started).toBeLessThan(5_000);
    const pre = await unsealWithRetry(down, { signal: AbortSignal.abort() });
    expect(pre).toMatchObject({ ok: false, error: { kind: 'unavailable', message: expect.stringMatching(/aborted before the first attempt/) } });
  });
});
