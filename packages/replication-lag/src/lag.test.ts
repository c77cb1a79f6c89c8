import { AssertionError } from '@coffer/base';
import { describe, expect, it } from 'vitest';
import { lagEntries, lastContactMs } from './lag.js';

describe('lagEntries', () => {
  it('is leader last index minus match index', () => {
    expect(lagEntries(10, 3)).toBe(7);
    expect(lagEntries(1, 0)).toBe(1);
  });

  it('is 0 when the follower is caught up', () => {
    expect(lagEntries(10, 10)).toBe(0);
    expect(lagEntries(0, 0)).toBe(0);
  });

  it('is 0, never negative, when a new leader is behind the follower match', () => {
    // After a leadership change the new leader may hold a shorter log than a follower's match.
    expect(lagEntries(5, 9)).toBe(0);
  });

  it('rejects indexes that are not non-negative integers', () => {
    expect(() => lagEntries(-1, 0)).toThrow(AssertionError);
    expect(() => lagEntries(3, 1.5)).toThrow(AssertionError);
    expect(() => lagEntries(Number.NaN, 0)).toThrow(AssertionError);
  });
});

describe('lastContactMs', () => {
  it('is now minus the last contact', () => {
    expect(lastContactMs(1_500, 1_000)).toBe(500);
  });

  it('is 0 for contact just now', () => {
    expect(lastContactMs(1_000, 1_000)).toBe(0);
  });

  it('is undefined when never contacted', () => {
    expect(lastContactMs(1_000, undefined)).toBeUndefined();
  });

  it('is 0, never negative, when the contact time lies in the future (clock stepped back)', () => {
    expect(lastContactMs(1_000, 1_200)).toBe(0);
  });

  it('rejects non-finite times', () => {
    expect(() => lastContactMs(Number.POSITIVE_INFINITY, 0)).toThrow(AssertionError);
    expect(() => lastContactMs(0, Number.NaN)).toThrow(AssertionError);
  });
});
