import { describe, expect, it } from 'vitest';
import { SeededRng } from './rng.js';

describe('SeededRng', () => {
  it('replays the same stream for the same seed', () => {
    const a = new SeededRng(42);
    const b = new SeededRng(42);
    const xs = Array.from({ length: 100 }, () => a.nextU32());
    const ys = Array.from({ length: 100 }, () => b.nextU32());
    expect(xs).toEqual(ys);
  });

  it('gives different streams for different seeds', () => {
    const a = new SeededRng(1);
    const b = new SeededRng(2);
    expect(a.nextU32()).not.toBe(b.nextU32());
  });

  it('keeps int() inside [lo, hi) and covers the range', () => {
    const r = new SeededRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const v = r.int(10, 20);
      expect(v).toBeGreaterThanOrEqual(10);
      expect(v).toBeLessThan(20);
      seen.add(v);
    }
    expect(seen.size).toBe(10);
  });

  it('is roughly uniform', () => {
    const r = new SeededRng(99);
    const buckets = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) buckets[Math.floor(r.next() * 10)]! += 1;
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(n / 100);
  });
});
