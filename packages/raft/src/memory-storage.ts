import type { CofferError, LogIndex, Result, Term } from '@coffer/base';
import { assert, cofferError, err, logIndex, ok, term as toTerm } from '@coffer/base';
import { bootstrapLog } from './conf-change.js';
import { limitSize } from './raft-log.js';
import type { InitialState, RaftStorage } from './storage.js';
import type { ConfState, Entry, HardState, Snapshot } from './types.js';

const EMPTY_CONF: ConfState = { voters: [], learners: [] };

/**
 * The in-memory twin of the storage port (etcd's MemoryStorage). `ents[0]` is a dummy entry at
 * the snapshot's index and term, so term(firstIndex()-1) is always answerable.
 */
export class MemoryStorage implements RaftStorage {
  private hardState: HardState = { term: toTerm(0), vote: null, commit: logIndex(0) };
  private snap: Snapshot = {
    meta: { index: logIndex(0), term: toTerm(0), confState: EMPTY_CONF },
    data: new Uint8Array(0),
  };
  private ents: Entry[] = [{ index: logIndex(0), term: toTerm(0), type: 'normal', data: new Uint8Array(0) }];

  /** A storage for a founding member: its log starts with the bootstrap entries (bootstrapLog). */
  static bootstrap(confState: ConfState): MemoryStorage {
    const s = new MemoryStorage();
    const boot = bootstrapLog(confState);
    s.append(boot.entries);
    s.setHardState(boot.hardState);
    return s;
  }

  initialState(): InitialState {
    return { hardState: this.hardState, confState: this.snap.meta.confState };
  }

  hardStateNow(): HardState {
    return this.hardState;
  }

  setHardState(hs: HardState): void {
    this.hardState = hs;
  }

  private offset(): number {
    return (this.ents[0] as Entry).index;
  }

  firstIndex(): LogIndex {
    return logIndex(this.offset() + 1);
  }

  lastIndex(): LogIndex {
    return logIndex(this.offset() + this.ents.length - 1);
  }

  term(i: LogIndex): Result<Term, CofferError> {
    const off = this.offset();
    if (i < off) return err(cofferError('compacted', `entry ${i} is compacted`));
    const e = this.ents[i - off];
    if (e === undefined) return err(cofferError('unavailable', `entry ${i} is beyond the log`));
    return ok(e.term);
  }

  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): Result<readonly Entry[], CofferError> {
    const off = this.offset();
    if (lo <= off) return err(cofferError('compacted', `entry ${lo} is compacted`));
    if (hi > this.lastIndex() + 1) return err(cofferError('unavailable', `entry ${hi - 1} is beyond the log`));
    return ok(limitSize(this.ents.slice(lo - off, hi - off), maxBytes));
  }

  snapshot(): Result<Snapshot, CofferError> {
    return ok(this.snap);
  }

  /** Replace everything with an incoming snapshot; an older one than ours is refused. */
  applySnapshot(s: Snapshot): Result<void, CofferError> {
    if (s.meta.index <= this.snap.meta.index && this.snap.meta.index > 0) {
      return err(cofferError('conflict', `snapshot ${s.meta.index} is older than ${this.snap.meta.index}`));
    }
    this.snap = s;
    this.ents = [{ index: s.meta.index, term: s.meta.term, type: 'normal', data: new Uint8Array(0) }];
    return ok(undefined);
  }

  /** Record a snapshot of the state machine at applied index i (<= committed). */
  createSnapshot(i: LogIndex, confState: ConfState, data: Uint8Array): Result<Snapshot, CofferError> {
    if (i <= this.snap.meta.index) return err(cofferError('conflict', `snapshot ${i} is not newer than ${this.snap.meta.index}`));
    const t = this.term(i);
    assert(t.ok, `snapshot index ${i} must be in the log`);
    this.snap = { meta: { index: i, term: t.value, confState }, data };
    return ok(this.snap);
  }

  /** Discard entries up to and including i (i must be <= the last snapshot-able index). */
  compact(i: LogIndex): Result<void, CofferError> {
    const off = this.offset();
    if (i <= off) return err(cofferError('compacted', `already compacted to ${off}`));
    assert(i <= this.lastIndex(), `compact ${i} beyond last index ${this.lastIndex()}`);
    const e = this.ents[i - off] as Entry;
    this.ents = [{ index: e.index, term: e.term, type: 'normal', data: new Uint8Array(0) }, ...this.ents.slice(i - off + 1)];
    return ok(undefined);
  }

  /** Append entries, replacing any existing suffix from the first new index on. */
  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    const off = this.offset();
    // Entries at or below our compaction point are already covered by the snapshot.
    const skip = Math.max(0, off + 1 - first.index);
    const ents = skip > 0 ? entries.slice(skip) : entries;
    const head = ents[0];
    if (head === undefined) return;
    assert(head.index <= this.lastIndex() + 1, `append at ${head.index} leaves a gap after ${this.lastIndex()}`);
    if (head.index === this.lastIndex() + 1) {
      for (const e of ents) this.ents.push(e); // the common case: no copy of the retained log
    } else {
      this.ents = this.ents.slice(0, head.index - off).concat(ents);
    }
  }
}
