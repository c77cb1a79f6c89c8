import type { CofferError, LogIndex, Result, Term } from '@coffer/base';
import { assert, cofferError, err, logIndex, ok, term as toTerm } from '@coffer/base';
import type { RaftStorage } from './storage.js';
import type { Entry, Snapshot } from './types.js';
import { Unstable } from './unstable.js';

/**
 * The log as the core sees it: the stable part (read through the storage port) followed by the
 * unstable part (appended, not yet persisted).
 * Invariants: applied <= committed <= lastIndex(); firstIndex()-1 <= committed.
 */
export class RaftLog {
  readonly unstable: Unstable;
  committed: LogIndex;
  applied: LogIndex;

  constructor(
    readonly storage: RaftStorage,
    applied: LogIndex | undefined,
  ) {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(logIndex(last + 1));
    this.committed = logIndex(first - 1);
    this.applied = logIndex(first - 1);
    const hs = storage.initialState().hardState;
    if (hs.commit > this.committed) this.committed = hs.commit;
    if (applied !== undefined && applied > this.applied) {
      assert(applied <= this.committed, `applied ${applied} is beyond commit ${this.committed}`);
      this.applied = applied;
    }
  }

  firstIndex(): LogIndex {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): LogIndex {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  term(i: LogIndex): Result<Term, CofferError> {
    const dummy = this.firstIndex() - 1;
    if (i < dummy) return err(cofferError('compacted', `entry ${i} is compacted`));
    if (i > this.lastIndex()) return err(cofferError('unavailable', `entry ${i} is beyond the log`));
    const u = this.unstable.maybeTerm(i);
    if (u !== undefined) return ok(u);
    return this.storage.term(i);
  }

  /** Term of entry i, or 0 when it is not in the log (compacted or beyond). */
  zeroTermOnMiss(i: LogIndex): Term {
    const t = this.term(i);
    return t.ok ? t.value : toTerm(0);
  }

  lastTerm(): Term {
    const t = this.term(this.lastIndex());
    assert(t.ok, `the last entry's term must be known`);
    return t.value;
  }

  matchTerm(i: LogIndex, t: Term): boolean {
    const got = this.term(i);
    return got.ok && got.value === t;
  }

  /**
   * Whether the log still holds entry (i, t): true for entries compacted into the snapshot (they
   * were committed, so nothing can have replaced them), else the term must match.
   */
  holdsEntry(i: LogIndex, t: Term): boolean {
    return i < this.firstIndex() || this.matchTerm(i, t);
  }

  isUpToDate(lastIndex: LogIndex, lastTerm: Term): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex());
  }

  /**
   * Follower side of AppendEntries. Returns the last index the message verified, or undefined
   * when (prevIndex, prevTerm) does not match. Only entries from the first conflicting one on are
   * replaced: a stale, reordered message must never erase newer matching entries.
   */
  maybeAppend(
    prevIndex: LogIndex,
    prevTerm: Term,
    leaderCommit: LogIndex,
    ents: readonly Entry[],
    truncateOnMatch = false,
  ): LogIndex | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = logIndex(prevIndex + ents.length);
    const conflict = truncateOnMatch && ents.length > 0 ? (ents[0] as Entry).index : this.findConflict(ents);
    if (conflict !== 0) {
      assert(conflict > this.committed, `entry ${conflict} conflicts with committed entry (commit ${this.committed})`);
      this.append(ents.slice(conflict - (prevIndex + 1)));
    }
    this.commitTo(logIndex(Math.min(leaderCommit, lastNew)));
    return lastNew;
  }

  append(ents: readonly Entry[]): LogIndex {
    const first = ents[0];
    if (first === undefined) return this.lastIndex();
    assert(first.index - 1 >= this.committed, `append at ${first.index} would overwrite committed ${this.committed}`);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /** Index of the first entry whose term differs from ours (or that we lack); 0 if none. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) if (!this.matchTerm(e.index, e.term)) return e.index;
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `t` (fast back-tracking hint). Stops at the
   * first index we can no longer see (compacted), returning it with term 0.
   */
  findConflictByTerm(index: LogIndex, t: Term): { index: LogIndex; term: Term } {
    let i = Math.min(index, this.lastIndex());
    for (; i >= 0; i--) {
      const got = this.term(logIndex(i));
      if (!got.ok) return { index: logIndex(i), term: toTerm(0) };
      if (got.value <= t) return { index: logIndex(i), term: got.value };
    }
    return { index: logIndex(0), term: toTerm(0) };
  }

  commitTo(to: LogIndex): void {
    if (to > this.committed) {
      assert(to <= this.lastIndex(), `commit ${to} is beyond the last index ${this.lastIndex()}`);
      this.committed = to;
    }
  }

  appliedTo(i: LogIndex): void {
    if (i === 0) return;
    assert(i <= this.committed && i >= this.applied, `applied ${i} outside [${this.applied}, ${this.committed}]`);
    this.applied = i;
  }

  stableTo(i: LogIndex, t: Term): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: LogIndex): void {
    this.unstable.stableSnapTo(i);
  }

  hasNextCommittedEntries(): boolean {
    return this.committed > this.applied && this.applied + 1 >= this.firstIndex();
  }

  nextCommittedEntries(maxBytes: number): Entry[] {
    if (!this.hasNextCommittedEntries()) return [];
    const r = this.slice(logIndex(this.applied + 1), logIndex(this.committed + 1), maxBytes);
    assert(r.ok, `committed entries must be available: ${r.ok ? '' : r.error.message}`);
    return r.value;
  }

  snapshot(): Result<Snapshot, CofferError> {
    if (this.unstable.snapshot !== undefined) return ok(this.unstable.snapshot);
    return this.storage.snapshot();
  }

  /** Entries in [lo, hi), bounded by maxBytes (at least one entry). */
  slice(lo: LogIndex, hi: LogIndex, maxBytes: number): Result<Entry[], CofferError> {
    if (lo === hi) return ok([]);
    assert(lo < hi, `slice(${lo}, ${hi}) is inverted`);
    if (lo < this.firstIndex()) return err(cofferError('compacted', `entry ${lo} is compacted`));
    assert(hi <= this.lastIndex() + 1, `slice(${lo}, ${hi}) is beyond the last index ${this.lastIndex()}`);
    let out: Entry[] = [];
    const off = this.unstable.offset;
    if (lo < off) {
      const stored = this.storage.entries(lo, logIndex(Math.min(hi, off)), maxBytes);
      if (!stored.ok) return stored;
      out = [...stored.value];
      if (out.length < Math.min(hi, off) - lo) return ok(out); // limited by maxBytes
    }
    if (hi > off) {
      const u = this.unstable.slice(logIndex(Math.max(lo, off)), hi);
      out = out.length > 0 ? out.concat(u) : u;
    }
    return ok(limitSize(out, maxBytes));
  }

  /** Adopt a snapshot: the log restarts after it, and it counts as committed. */
  restore(s: Snapshot): void {
    this.committed = s.meta.index;
    this.unstable.restore(s);
  }
}

/** Keeps the longest prefix within maxBytes of entry data, but always at least one entry. */
export function limitSize(ents: Entry[], maxBytes: number): Entry[] {
  if (ents.length === 0) return ents;
  let size = (ents[0] as Entry).data.length;
  let n = 1;
  for (; n < ents.length; n++) {
    size += (ents[n] as Entry).data.length;
    if (size > maxBytes) break;
  }
  return n === ents.length ? ents : ents.slice(0, n);
}
