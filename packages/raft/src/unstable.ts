import type { LogIndex, Term } from '@coffer/base';
import { assert, logIndex } from '@coffer/base';
import type { Entry, Snapshot } from './types.js';

/**
 * The part of the log not yet persisted: an optional incoming snapshot, then entries starting at
 * `offset`. Invariant: when `snapshot` is set, offset === snapshot.meta.index + 1; entries[i] has
 * index offset + i.
 */
export class Unstable {
  snapshot: Snapshot | undefined = undefined;
  entries: Entry[] = [];
  offset: LogIndex;

  constructor(offset: LogIndex) {
    this.offset = offset;
  }

  maybeFirstIndex(): LogIndex | undefined {
    return this.snapshot === undefined ? undefined : logIndex(this.snapshot.meta.index + 1);
  }

  maybeLastIndex(): LogIndex | undefined {
    if (this.entries.length > 0) return logIndex(this.offset + this.entries.length - 1);
    if (this.snapshot !== undefined) return this.snapshot.meta.index;
    return undefined;
  }

  maybeTerm(i: LogIndex): Term | undefined {
    if (i < this.offset) {
      if (this.snapshot !== undefined && this.snapshot.meta.index === i) return this.snapshot.meta.term;
      return undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || i > last) return undefined;
    return this.entries[i - this.offset]?.term;
  }

  /** Entries up to (index, term) are now durable: drop them if they still match. */
  stableTo(i: LogIndex, t: Term): void {
    const got = this.maybeTerm(i);
    if (got === undefined || i < this.offset) return;
    if (got === t) {
      this.entries = this.entries.slice(i + 1 - this.offset);
      this.offset = logIndex(i + 1);
    }
  }

  stableSnapTo(i: LogIndex): void {
    if (this.snapshot !== undefined && this.snapshot.meta.index === i) this.snapshot = undefined;
  }

  restore(s: Snapshot): void {
    this.offset = logIndex(s.meta.index + 1);
    this.entries = [];
    this.snapshot = s;
  }

  /** Append entries, replacing any existing suffix from the first new index on. */
  truncateAndAppend(ents: readonly Entry[]): void {
    const first = ents[0];
    if (first === undefined) return;
    const after = first.index;
    if (after === this.offset + this.entries.length) {
      this.entries.push(...ents);
    } else if (after <= this.offset) {
      // The new entries replace everything unstable; the storage's suffix from `after` is
      // replaced too when these are persisted (the storage truncates on append).
      this.offset = after;
      this.entries = [...ents];
    } else {
      this.entries = this.entries.slice(0, after - this.offset).concat(ents);
    }
  }

  slice(lo: LogIndex, hi: LogIndex): Entry[] {
    assert(lo >= this.offset && hi <= this.offset + this.entries.length && lo <= hi, `unstable.slice(${lo},${hi}) out of bounds [${this.offset},${this.offset + this.entries.length}]`);
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
