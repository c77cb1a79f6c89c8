import { describe, expect, it } from 'vitest';
import { MonotonicTicker } from './ticker.js';

describe('MonotonicTicker', () => {
  it('delivers every tick that elapsed, including all ticks missed during a pause', () => {
    let now = 1000;
    const t = new MonotonicTicker(50, () => now);
    expect(t.due()).toBe(0);
    now += 49;
    expect(t.due()).toBe(0);
    now += 1;
    expect(t.due()).toBe(1);
    now += 10_000; // SIGSTOP for 10 s
    expect(t.due()).toBe(200);
    expect(t.due()).toBe(0);
  });
});
