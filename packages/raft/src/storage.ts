/**
 * The read-only storage port the core reads its stable log through (etcd's Storage). It is
 * synchronous on purpose: the core is pure. An implementation over an async store (LevelDB)
 * keeps the stable log tail and the latest snapshot in memory and writes through to disk in the
 * runtime's persist step, so these calls never wait on I/O.
 *
 * Index conventions: the log holds entries firstIndex()..lastIndex(). Entry firstIndex()-1 is the
 * one covered by the latest snapshot (or the bootstrap point, index 0 term 0): its term is still
 * answerable through term().
 */
import type { CofferError, LogIndex, Result, Term } from '@coffer/base';
import type { ConfState, Entry, HardState, Snapshot } from './types.js';

export interface InitialState {
  readonly hardState: HardState;
  readonly confState: ConfState;
}

export interface RaftStorage {
  initialState(): InitialState;
  /**
   * Entries in [lo, hi), at most `maxBytes` of entry data in total but always at least one entry
   * when lo < hi. Error `compacted` when lo < firstIndex(); `unavailable` when hi > lastIndex()+1.
   */
  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): Result<readonly Entry[], CofferError>;
  /** Term of entry i, for firstIndex()-1 <= i <= lastIndex(). Error `compacted` or `unavailable` outside. */
  term(i: LogIndex): Result<Term, CofferError>;
  firstIndex(): LogIndex;
  lastIndex(): LogIndex;
  /** The most recent snapshot. Error `unavailable` while one is being made (the core retries later). */
  snapshot(): Result<Snapshot, CofferError>;
}
