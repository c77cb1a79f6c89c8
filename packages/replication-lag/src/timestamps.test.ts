import { describe, expect, it } from 'vitest';
import type { TimestampSample } from './timestamps.js';
import { lookupSamples, lookupTimestamp } from './timestamps.js';
import { AppendTimestampRing } from './timestamp-ring.js';

// Batches: entries 1..3 at t=100, 4..7 at t=250, 8 at t=300.
const samples: TimestampSample[] = [
  { index: 3, timestampMs: 100 },
  { index: 7, timestampMs: 250 },
  { index: 8, timestampMs: 300 },
];

describe('lookupSamples', () => {
  it('finds an entry that is sampled exactly', () => {
    expect(lookupSamples(samples, 7)).toEqual({ kind: 'found', timestampMs: 250 });
    expect(lookupSamples(samples, 3)).toEqual({ kind: 'found', timestampMs: 100 });
    expect(lookupSamples(samples, 8)).toEqual({ kind: 'found', timestampMs: 300 });
  });

  it('gives an entry inside a batch the time of the batch sample above it', () => {
    expect(lookupSamples(samples, 4)).toEqual({ kind: 'found', timestampMs: 250 });
    expect(lookupSamples(samples, 6)).toEqual({ kind: 'found', timestampMs: 250 });
  });

  it('says before-oldest for an entry below the oldest sample', () => {
    expect(lookupSamples(samples, 1)).toEqual({ kind: 'before-oldest', oldestTimestampMs: 100 });
    expect(lookupSamples(samples, 0)).toEqual({ kind: 'before-oldest', oldestTimestampMs: 100 });
  });

  it('says unknown for an entry above the newest sample', () => {
    expect(lookupSamples(samples, 9)).toEqual({ kind: 'unknown' });
  });

  it('says unknown for an empty array', () => {
    expect(lookupSamples([], 1)).toEqual({ kind: 'unknown' });
  });

  it('agrees with a linear scan on a larger array', () => {
    const many: TimestampSample[] = [];
    for (let i = 1; i <= 200; i++) many.push({ index: i * 3, timestampMs: i * 10 });
    for (let entry = 0; entry <= 605; entry++) {
      const first = many.find((s) => s.index >= entry);
      const expected =
        first === undefined
          ? { kind: 'unknown' }
          : first === many[0] && first.index !== entry
            ? { kind: 'before-oldest', oldestTimestampMs: first.timestampMs }
            : { kind: 'found', timestampMs: first.timestampMs };
      expect(lookupSamples(many, entry)).toEqual(expected);
    }
  });
});

describe('lookupTimestamp', () => {
  it('accepts a function source: a number is found, undefined is unknown', () => {
    const fn = (index: number): number | undefined => (index <= 5 ? index * 10 : undefined);
    expect(lookupTimestamp(fn, 4)).toEqual({ kind: 'found', timestampMs: 40 });
    expect(lookupTimestamp(fn, 6)).toEqual({ kind: 'unknown' });
  });

  it('accepts an array and a ring, and they agree', () => {
    const ring = new AppendTimestampRing(8);
    for (const s of samples) ring.append(s.index, s.timestampMs);
    for (let entry = 0; entry <= 10; entry++) {
      expect(lookupTimestamp(ring, entry)).toEqual(lookupTimestamp(samples, entry));
    }
  });
});
