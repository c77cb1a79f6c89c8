import { assert } from '@coffer/base';
import { assertIndex } from './lag.js';

/**
 * When the leader appended its entries, as the input to time-lag maths.
 *
 * Sampling contract: a sample `{ index, timestampMs }` says that every entry after the previous
 * sample, up to and including `index`, was appended at `timestampMs` (leader clock). A runtime that
 * appends in batches (one Ready at a time) records one sample per batch, for its last entry; the
 * append time of entry `i` is then the time of the first sample at or above `i`, exactly.
 * Samples are sorted by strictly increasing index with non-decreasing timestamps.
 */
export interface TimestampSample {
  readonly index: number;
  readonly timestampMs: number;
}

/** What a source knows about one entry's append time. */
export type TimestampLookup =
  /** The entry's append time is known (first sample at or above the entry). */
  | { readonly kind: 'found'; readonly timestampMs: number }
  /**
   * The entry is older than the oldest sample (it was dropped, or predates sampling): it was
   * appended at or before `oldestTimestampMs`, so an age computed from it is a lower bound.
   */
  | { readonly kind: 'before-oldest'; readonly oldestTimestampMs: number }
  /** No sample covers the entry: the source is empty, or the entry is newer than the newest sample. */
  | { readonly kind: 'unknown' };

/** A structured source, such as `AppendTimestampRing`. */
export interface EntryTimestamps {
  lookup(index: number): TimestampLookup;
}

/** A plain function source: the entry's append time, or `undefined` when it is not known. */
export type EntryTimestampFn = (index: number) => number | undefined;

/** Everything the time-lag maths accepts: a function, a sorted array of samples, or a ring. */
export type TimestampSource = EntryTimestampFn | readonly TimestampSample[] | EntryTimestamps;

/**
 * Looks `entryIndex` up in a sorted sequence given by accessors, in O(log count).
 * Shared by the array source and the ring so that both answer the same way.
 */
export function lookupSorted(
  count: number,
  indexAt: (position: number) => number,
  timestampAt: (position: number) => number,
  entryIndex: number,
): TimestampLookup {
  assertIndex(entryIndex, 'entryIndex');
  if (count === 0) return { kind: 'unknown' };
  // Lower bound: the first position whose sample index is >= entryIndex.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (indexAt(mid) < entryIndex) lo = mid + 1;
    else hi = mid;
  }
  if (lo === count) return { kind: 'unknown' };
  if (lo === 0 && indexAt(0) !== entryIndex) {
    return { kind: 'before-oldest', oldestTimestampMs: timestampAt(0) };
  }
  return { kind: 'found', timestampMs: timestampAt(lo) };
}

/** Looks an entry up in a sorted array of samples (the caller keeps it sorted; see the contract above). */
export function lookupSamples(samples: readonly TimestampSample[], entryIndex: number): TimestampLookup {
  return lookupSorted(
    samples.length,
    (p) => sampleAt(samples, p).index,
    (p) => sampleAt(samples, p).timestampMs,
    entryIndex,
  );
}

/** Looks an entry up in any accepted source. */
export function lookupTimestamp(source: TimestampSource, entryIndex: number): TimestampLookup {
  if (typeof source === 'function') {
    const timestampMs = source(entryIndex);
    return timestampMs === undefined ? { kind: 'unknown' } : { kind: 'found', timestampMs };
  }
  if (isSampleArray(source)) return lookupSamples(source, entryIndex);
  return source.lookup(entryIndex);
}

function isSampleArray(source: readonly TimestampSample[] | EntryTimestamps): source is readonly TimestampSample[] {
  return Array.isArray(source);
}

function sampleAt(samples: readonly TimestampSample[], position: number): TimestampSample {
  const sample = samples[position];
  assert(sample !== undefined, `no sample at position ${position}`);
  return sample;
}
