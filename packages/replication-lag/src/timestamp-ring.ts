import { assert } from '@coffer/base';
import { assertIndex, assertMs } from './lag.js';
import type { EntryTimestamps, TimestampLookup, TimestampSample } from './timestamps.js';
import { lookupSorted } from './timestamps.js';

/**
 * A bounded ring of append-time samples that a leader's runtime keeps beside its log, so that
 * time-lag lookups cost O(log n) and memory stays fixed however long the leader lives.
 *
 * Pure data: there is no clock inside; the runtime passes the time with each `append`. Record one
 * sample per append batch, for the batch's last entry (see the contract in timestamps.ts).
 *
 * Invariants: sample indexes strictly increase from oldest to newest; timestamps never decrease
 * (an appended time below the newest is raised to it, so that a wall clock stepping back cannot
 * break the ordering that the search relies on); 0 <= size <= capacity.
 *
 * When full, `append` evicts the oldest sample: entries older than the oldest kept sample then
 * answer `before-oldest`, which yields a lower bound on lag rather than a wrong figure.
 * On losing leadership call `clear()`: a later leader term may rewrite the tail of the log.
 */
export class AppendTimestampRing implements EntryTimestamps {
  readonly capacity: number;
  private readonly indexes: number[];
  private readonly timestamps: number[];
  /** Position of the oldest sample in the backing arrays. */
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    assert(Number.isSafeInteger(capacity) && capacity >= 1, `capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.indexes = new Array<number>(capacity).fill(0);
    this.timestamps = new Array<number>(capacity).fill(0);
  }

  get size(): number {
    return this.count;
  }

  /** Records that entries up to `index` were appended at `timestampMs`. `index` must exceed the newest sample's. */
  append(index: number, timestampMs: number): void {
    assertIndex(index, 'index');
    assertMs(timestampMs, 'timestampMs');
    const newest = this.newest();
    let storedMs = timestampMs;
    if (newest !== undefined) {
      assert(index > newest.index, `sample index ${index} must exceed the newest sample index ${newest.index}`);
      storedMs = Math.max(timestampMs, newest.timestampMs);
    }
    if (this.count === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    const position = (this.head + this.count) % this.capacity;
    this.indexes[position] = index;
    this.timestamps[position] = storedMs;
    this.count++;
  }

  /**
   * Drops the samples that only cover entries below `index` (sample index < `index`). A sample at or
   * above `index` is kept, since under the batch contract it also covers `index` itself. Call it
   * with the lowest first-missing index (match + 1) over the peers still measured.
   */
  compactBelow(index: number): void {
    assertIndex(index, 'index');
    // Binary search for the first kept sample; everything before it goes.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.indexAt(mid) < index) lo = mid + 1;
      else hi = mid;
    }
    this.head = (this.head + lo) % this.capacity;
    this.count -= lo;
  }

  /** Forgets every sample (on losing leadership, or when the log is replaced by a snapshot). */
  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  lookup(index: number): TimestampLookup {
    return lookupSorted(
      this.count,
      (p) => this.indexAt(p),
      (p) => this.timestampAt(p),
      index,
    );
  }

  oldest(): TimestampSample | undefined {
    return this.count === 0 ? undefined : { index: this.indexAt(0), timestampMs: this.timestampAt(0) };
  }

  newest(): TimestampSample | undefined {
    const last = this.count - 1;
    return last < 0 ? undefined : { index: this.indexAt(last), timestampMs: this.timestampAt(last) };
  }

  /** The samples, oldest first (a copy; for status pages and tests). */
  toArray(): TimestampSample[] {
    const out: TimestampSample[] = [];
    for (let p = 0; p < this.count; p++) out.push({ index: this.indexAt(p), timestampMs: this.timestampAt(p) });
    return out;
  }

  /** Index of the sample at logical position `p` (0 = oldest). */
  private indexAt(p: number): number {
    const v = this.indexes[(this.head + p) % this.capacity];
    assert(v !== undefined && p < this.count, `ring position ${p} out of range`);
    return v;
  }

  private timestampAt(p: number): number {
    const v = this.timestamps[(this.head + p) % this.capacity];
    assert(v !== undefined && p < this.count, `ring position ${p} out of range`);
    return v;
  }
}
