/**
 * The in-memory copy of the stable log that LevelRaftStorage answers the core's synchronous reads
 * from. It mirrors what is on disk: it changes only through `commit()` of a plan, which the
 * storage calls after the plan's LevelDB batch has resolved.
 *
 * Invariants: `log[i].index === start.index + 1 + i` (contiguous, no gaps); `start` is the entry
 * just before the first one held (the snapshot point or the last compacted entry), whose term
 * stays answerable. firstIndex = start.index + 1; lastIndex = start.index + log.length.
 */
import { assert, cofferError, err, logIndex, ok } from '@coffer/base';
import type { CofferError, LogIndex, Result, Term } from '@coffer/base';
import type { Entry } from '@coffer/raft';
import type { LogStart } from './codec.js';

/** Inclusive index range of log keys to delete; empty when lo > hi. */
export interface IndexRange {
  readonly lo: number;
  readonly hi: number;
}

/** What one mutation writes, and how to make the mirror match once the write is durable. */
export interface LogPlan {
  readonly deletes: readonly IndexRange[];
  readonly puts: readonly Entry[];
  /** The new start to write, when it moves. */
  readonly newStart: LogStart | undefined;
  readonly commit: () => void;
}

export class LogMirror {
  private start: LogStart;
  private readonly log: Entry[];

  constructor(start: LogStart, entries: Entry[]) {
    entries.forEach((e, i) =>
      assert(e.index === start.index + 1 + i, `log not contiguous at ${e.index} (expected ${start.index + 1 + i})`),
    );
    this.start = start;
    this.log = entries;
  }

  logStart(): LogStart {
    return this.start;
  }

  firstIndex(): LogIndex {
    return logIndex(this.start.index + 1);
  }

  lastIndex(): LogIndex {
    return logIndex(this.start.index + this.log.length);
  }

  term(i: LogIndex): Result<Term, CofferError> {
    if (i < this.start.index) return err(cofferError('compacted', `entry ${i} is compacted (log starts after ${this.start.index})`));
    if (i > this.lastIndex()) return err(cofferError('unavailable', `entry ${i} is beyond the last index ${this.lastIndex()}`));
    if (i === this.start.index) return ok(this.start.term);
    return ok(this.at(i).term);
  }

  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): Result<readonly Entry[], CofferError> {
    if (lo <= this.start.index) return err(cofferError('compacted', `entry ${lo} is compacted (first index ${this.firstIndex()})`));
    if (hi > this.lastIndex() + 1) return err(cofferError('unavailable', `entries up to ${hi - 1} requested, last index ${this.lastIndex()}`));
    assert(lo <= hi, `entries: lo ${lo} > hi ${hi}`);
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo; i < hi; i++) {
      const e = this.at(logIndex(i));
      // Always at least one entry, so that one oversized entry still makes progress.
      if (out.length > 0 && bytes + e.data.byteLength > maxBytes) break;
      bytes += e.data.byteLength;
      out.push(e);
    }
    return ok(out);
  }

  private at(i: LogIndex): Entry {
    const e = this.log[i - this.start.index - 1];
    assert(e !== undefined && e.index === i, `mirror lost entry ${i}`);
    return e;
  }

  /**
   * Plan one persist: optionally install a snapshot point (dropping the whole log, as
   * MemoryStorage.applySnapshot does: the core decides what survives and hands it over as
   * `entries`), then append `entries`, replacing any existing suffix from the first new index on.
   * Entries at or below the start are skipped: they are already covered.
   */
  planPersist(snapshotStart: LogStart | undefined, entries: readonly Entry[]): LogPlan {
    const deletes: IndexRange[] = [];
    let baseStart = this.start;
    let baseLast: number = this.lastIndex();
    if (snapshotStart !== undefined) {
      deletes.push({ lo: this.firstIndex(), hi: baseLast });
      baseStart = snapshotStart;
      baseLast = snapshotStart.index;
    }
    const fresh = entries.filter((e) => e.index > baseStart.index);
    fresh.forEach((e, i) => assert(i === 0 || e.index === fresh[i - 1]!.index + 1, `persist: entries not contiguous at ${e.index}`));
    const first = fresh[0];
    const last = fresh[fresh.length - 1];
    if (first !== undefined && last !== undefined) {
      assert(first.index <= baseLast + 1, `persist: gap between last index ${baseLast} and new entry ${first.index}`);
      // Keys first..last are overwritten by the puts; the old tail beyond last must go.
      if (last.index < baseLast) deletes.push({ lo: last.index + 1, hi: baseLast });
    }
    const commit = (): void => {
      if (snapshotStart !== undefined) {
        this.start = snapshotStart;
        this.log.length = 0;
      }
      if (first !== undefined) {
        this.log.length = first.index - this.start.index - 1;
        for (const e of fresh) this.log.push(e);
      }
    };
    return { deletes, puts: fresh, newStart: snapshotStart, commit };
  }

  /** Plan dropping entries up to and including `index`; the caller has checked the range. */
  planCompact(index: LogIndex): LogPlan {
    assert(index > this.start.index && index <= this.lastIndex(), `compact ${index} outside the log`);
    const newStart: LogStart = { index, term: this.at(index).term };
    const commit = (): void => {
      this.log.splice(0, index - this.start.index);
      this.start = newStart;
    };
    return { deletes: [{ lo: this.firstIndex(), hi: index }], puts: [], newStart, commit };
  }
}
