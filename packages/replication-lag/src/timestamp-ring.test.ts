import { AssertionError } from '@coffer/base';
import { describe, expect, it } from 'vitest';
import { AppendTimestampRing } from './timestamp-ring.js';

describe('AppendTimestampRing', () => {
  it('starts empty and answers unknown', () => {
    const ring = new AppendTimestampRing(4);
    expect(ring.size).toBe(0);
    expect(ring.oldest()).toBeUndefined();
    expect(ring.newest()).toBeUndefined();
    expect(ring.toArray()).toEqual([]);
    expect(ring.lookup(1)).toEqual({ kind: 'unknown' });
  });

  it('keeps samples in order and looks entries up by batch', () => {
    const ring = new AppendTimestampRing(4);
    ring.append(2, 10);
    ring.append(5, 20);
    expect(ring.toArray()).toEqual([
      { index: 2, timestampMs: 10 },
      { index: 5, timestampMs: 20 },
    ]);
    expect(ring.lookup(4)).toEqual({ kind: 'found', timestampMs: 20 });
    expect(ring.lookup(6)).toEqual({ kind: 'unknown' });
  });

  it('evicts the oldest sample when full, so old entries become before-oldest', () => {
    const ring = new AppendTimestampRing(3);
    for (let i = 1; i <= 5; i++) ring.append(i * 10, i * 100);
    expect(ring.size).toBe(3);
    expect(ring.toArray().map((s) => s.index)).toEqual([30, 40, 50]);
    expect(ring.lookup(15)).toEqual({ kind: 'before-oldest', oldestTimestampMs: 300 });
    expect(ring.lookup(35)).toEqual({ kind: 'found', timestampMs: 400 });
  });

  it('stays bounded and correct over many wraps', () => {
    const capacity = 7;
    const ring = new AppendTimestampRing(capacity);
    for (let i = 1; i <= 1000; i++) {
      ring.append(i * 2, i);
      expect(ring.size).toBe(Math.min(i, capacity));
    }
    expect(ring.oldest()).toEqual({ index: 2 * (1000 - capacity + 1), timestampMs: 1000 - capacity + 1 });
    expect(ring.newest()).toEqual({ index: 2000, timestampMs: 1000 });
    expect(ring.lookup(1999)).toEqual({ kind: 'found', timestampMs: 1000 });
  });

  it('compacts the samples that only cover entries below an index', () => {
    const ring = new AppendTimestampRing(8);
    ring.append(3, 100);
    ring.append(7, 200);
    ring.append(9, 300);
    ring.compactBelow(5); // sample 7 covers entries 4..7, so it covers 5 and stays
    expect(ring.toArray().map((s) => s.index)).toEqual([7, 9]);
    ring.compactBelow(7);
    expect(ring.toArray().map((s) => s.index)).toEqual([7, 9]);
    ring.compactBelow(8);
    expect(ring.toArray().map((s) => s.index)).toEqual([9]);
    ring.compactBelow(100);
    expect(ring.size).toBe(0);
    ring.append(101, 400); // still usable after emptying
    expect(ring.newest()).toEqual({ index: 101, timestampMs: 400 });
  });

  it('compacts correctly after the ring has wrapped', () => {
    const ring = new AppendTimestampRing(3);
    for (let i = 1; i <= 4; i++) ring.append(i, i * 10); // holds 2, 3, 4 with head moved
    ring.compactBelow(4);
    expect(ring.toArray()).toEqual([{ index: 4, timestampMs: 40 }]);
    ring.append(5, 50);
    ring.append(6, 60);
    ring.append(7, 70);
    expect(ring.toArray().map((s) => s.index)).toEqual([5, 6, 7]);
  });

  it('compacting below the oldest is a no-op', () => {
    const ring = new AppendTimestampRing(3);
    ring.append(5, 1);
    ring.compactBelow(0);
    ring.compactBelow(5);
    expect(ring.size).toBe(1);
  });

  it('raises a timestamp that goes back in time to the newest, keeping the ordering', () => {
    const ring = new AppendTimestampRing(3);
    ring.append(1, 500);
    ring.append(2, 400);
    expect(ring.newest()).toEqual({ index: 2, timestampMs: 500 });
  });

  it('refuses an index that does not exceed the newest sample', () => {
    const ring = new AppendTimestampRing(3);
    ring.append(5, 1);
    expect(() => ring.append(5, 2)).toThrow(AssertionError);
    expect(() => ring.append(4, 2)).toThrow(AssertionError);
  });

  it('forgets everything on clear, after which lower indexes are accepted again', () => {
    const ring = new AppendTimestampRing(3);
    ring.append(5, 1);
    ring.clear();
    expect(ring.size).toBe(0);
    ring.append(3, 2);
    expect(ring.toArray()).toEqual([{ index: 3, timestampMs: 2 }]);
  });

  it('refuses a capacity below 1 and bad inputs', () => {
    expect(() => new AppendTimestampRing(0)).toThrow(AssertionError);
    expect(() => new AppendTimestampRing(2.5)).toThrow(AssertionError);
    const ring = new AppendTimestampRing(2);
    expect(() => ring.append(-1, 0)).toThrow(AssertionError);
    expect(() => ring.append(1, Number.NaN)).toThrow(AssertionError);
  });
});
