import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '@coffer/base';
import { Backoff } from './backoff.js';
import { RateLimitedLog } from './rate-limited-log.js';

describe('Backoff', () => {
  it('doubles up to the bound, with jitter in [d/2, d), and resets', () => {
    const lo = new Backoff({ initialMs: 10, maxMs: 100 }, () => 0);
    expect([1, 2, 3, 4, 5, 6].map(() => lo.nextDelayMs())).toEqual([5, 10, 20, 40, 50, 50]);
    const hi = new Backoff({ initialMs: 10, maxMs: 100 }, () => 0.999999);
    const ds = [1, 2, 3, 4, 5, 6].map(() => hi.nextDelayMs());
    ds.forEach((d, i) => expect(d).toBeLessThan(Math.min(100, 10 * 2 ** i)));
    hi.reset();
    expect(hi.attempts).toBe(0);
    expect(hi.nextDelayMs()).toBeLessThan(10);
  });

  it('never overflows after many attempts', () => {
    const b = new Backoff({ initialMs: 50, maxMs: 2000 }, () => 0.5);
    let last = 0;
    for (let i = 0; i < 2000; i++) last = b.nextDelayMs();
    expect(last).toBe(1500);
  });
});

describe('RateLimitedLog', () => {
  it('logs a repeated key once per interval and counts what it suppressed', () => {
    const logger = new MemoryLogger();
    let now = 0;
    const log = new RateLimitedLog(logger, 1000, () => now);
    for (let i = 0; i < 5; i++) log.warn('k', 'same problem');
    log.error('other', 'other problem');
    now = 1000;
    log.warn('k', 'same problem');
    expect(logger.records.map((r) => [r.level, r.msg, r.fields['suppressed']])).toEqual([
      ['warn', 'same problem', undefined],
      ['error', 'other problem', undefined],
      ['warn', 'same problem', 4],
    ]);
  });
});
