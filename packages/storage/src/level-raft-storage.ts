/**
 * RaftStorage over LevelDB. The core reads synchronously, so the hard state, the latest snapshot
 * (metadata and bytes) and the stable log tail live in memory (LogMirror) and every write goes
 * through to disk first: a mutation plans its batch against the mirror, commits it with
 * `sync: true`, and only then updates the mirror. The core never sees state that is not durable.
 *
 * Group commit: `persist()` writes everything one Ready asks for (snapshot, entries, hard state)
 * in ONE synced LevelDB batch, so a crash leaves either all of it or none of it.
 */
import { assert, cofferError, err, logIndex, ok, term } from '@coffer/base';
import type { CofferError, LogIndex, Result, Term } from '@coffer/base';
import { bootstrapLog } from '@coffer/raft';
import type { ConfState, Entry, HardState, InitialState, RaftStorage, Snapshot, SnapshotMeta } from '@coffer/raft';
import * as codec from './codec.js';
import { readSnapshotFile, removeSnapshotFilesExcept, writeSnapshotFile } from './snapshot-files.js';
import { LogMirror } from './log-mirror.js';
import type { LogPlan } from './log-mirror.js';
import { RAFT_KEYS, WriteQueue, openNodeDb } from './node-db.js';
import type { BatchOp, NodeDb } from './node-db.js';
import { StateStore } from './state-store.js';

export interface OpenOptions {
  /**
   * Membership to found a new cluster with: written as the bootstrap log (see initialise) when
   * the directory is fresh, ignored otherwise. Omit it on a node that joins an existing cluster.
   */
  readonly bootstrap?: ConfState;
}

/** What one Ready asks to persist. A Ready can be passed as it is. */
export interface PersistRequest {
  readonly hardState?: HardState | undefined;
  readonly entries: readonly Entry[];
  readonly snapshot?: Snapshot | undefined;
  /**
   * False when the batch only moves the commit index (no entries, snapshot, term or vote): that
   * needs no fsync, because a lost commit index is learned again from the leader. Default true.
   */
  readonly mustSync?: boolean | undefined;
}

const EMPTY_HARD_STATE: HardState = { term: term(0), vote: null, commit: logIndex(0) };
const EMPTY_CONF_STATE: ConfState = { voters: [], learners: [] };

export class LevelRaftStorage implements RaftStorage {
  private readonly writes = new WriteQueue();
  private persistInFlight = false;
  /** The file holding the latest snapshot's data (undefined: the empty bootstrap snapshot). */
  private latestFileName: string | undefined;
  /** Background deletions of compacted log entries (awaited by close()). */
  private readonly sweeps = new Set<Promise<void>>();

  private constructor(
    private readonly dir: string,
    private readonly db: NodeDb,
    private hardStateValue: HardState,
    private latestSnapshot: Snapshot,
    private readonly log: LogMirror,
    /** True when open() found an empty directory and initialised it. */
    readonly isFresh: boolean,
    /** The state machine's store, in the same LevelDB. */
    readonly stateStore: StateStore,
  ) {}

  static async open(dir: string, options: OpenOptions = {}): Promise<LevelRaftStorage> {
    const db = await openNodeDb(dir);
    try {
      return await LevelRaftStorage.load(dir, db, options);
    } catch (e) {
      await db.root.close();
      throw e;
    }
  }

  private static async load(dir: string, db: NodeDb, options: OpenOptions): Promise<LevelRaftStorage> {
    const isFresh = (await db.raft.get(RAFT_KEYS.logStart)) === undefined;
    if (isFresh) await LevelRaftStorage.initialise(db, options.bootstrap);
    const [hsBytes, startBytes, metaBytes, dataBytes] = await db.raft.getMany([
      RAFT_KEYS.hardState,
      RAFT_KEYS.logStart,
      RAFT_KEYS.snapshotMeta,
      RAFT_KEYS.snapshotData,
    ]);
    assert(startBytes !== undefined && metaBytes !== undefined && dataBytes !== undefined, 'storage has a log start but no snapshot');
    const start = codec.decodeLogStart(startBytes);
    const fileName = new TextDecoder().decode(dataBytes);
    const data = fileName === '' ? new Uint8Array(0) : await readSnapshotFile(dir, fileName);
    const snapshot: Snapshot = { meta: codec.decodeSnapshotMeta(metaBytes), data };
    // Files of older snapshots, or of one written but never recorded before a crash.
    await removeSnapshotFilesExcept(dir, fileName === '' ? undefined : fileName);
    const hardState = hsBytes === undefined ? EMPTY_HARD_STATE : codec.decodeHardState(hsBytes);
    const entries: Entry[] = [];
    for await (const [key, value] of db.log.iterator({ gt: codec.indexKey(start.index) })) {
      entries.push(codec.decodeEntryValue(codec.parseIndexKey(key), value));
    }
    const log = new LogMirror(start, entries);
    const stateStore = await StateStore.load(db);
    const storage = new LevelRaftStorage(dir, db, hardState, snapshot, log, isFresh, stateStore);
    storage.latestFileName = fileName === '' ? undefined : fileName;
    return storage;
  }

  /**
   * A fresh directory, in one synced batch: the log starts after {index 0, term 0} with an empty
   * membership; a founding member's log then holds the bootstrap entries (one committed
   * conf-change per member, `bootstrapLog`, exactly as MemoryStorage.bootstrap), so the
   * membership travels in the log. A joining node gets no entries: it learns from the leader.
   */
  private static async initialise(db: NodeDb, bootstrap: ConfState | undefined): Promise<void> {
    const [stray] = await db.raft.keys({ limit: 1 }).all();
    assert(stray === undefined, 'storage has raft state but no log start');
    const meta: SnapshotMeta = { index: logIndex(0), term: term(0), confState: EMPTY_CONF_STATE };
    const ops: BatchOp[] = [
      { type: 'put', sublevel: db.raft, key: RAFT_KEYS.snapshotMeta, value: codec.encodeSnapshotMeta(meta) },
      { type: 'put', sublevel: db.raft, key: RAFT_KEYS.snapshotData, value: new Uint8Array(0) },
      { type: 'put', sublevel: db.raft, key: RAFT_KEYS.logStart, value: codec.encodeLogStart({ index: meta.index, term: meta.term }) },
    ];
    if (bootstrap !== undefined) {
      const boot = bootstrapLog(bootstrap);
      for (const e of boot.entries) ops.push({ type: 'put', key: db.log.prefix + codec.indexKey(e.index), value: codec.encodeEntryValue(e) });
      ops.push({ type: 'put', sublevel: db.raft, key: RAFT_KEYS.hardState, value: codec.encodeHardState(boot.hardState) });
    }
    await db.root.batch(ops, { sync: true });
  }

  // ---- RaftStorage (synchronous reads from the mirror) ----

  initialState(): InitialState {
    return { hardState: this.hardStateValue, confState: this.latestSnapshot.meta.confState };
  }

  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): Result<readonly Entry[], CofferError> {
    return this.log.entries(lo, hi, maxBytes);
  }

  term(i: LogIndex): Result<Term, CofferError> {
    return this.log.term(i);
  }

  firstIndex(): LogIndex {
    return this.log.firstIndex();
  }

  lastIndex(): LogIndex {
    return this.log.lastIndex();
  }

  snapshot(): Result<Snapshot, CofferError> {
    return ok(this.latestSnapshot);
  }

  /** The hard state last persisted (named as on MemoryStorage). */
  hardStateNow(): HardState {
    return this.hardStateValue;
  }

  // ---- writes (each one synced batch, mirror updated after it resolves) ----

  /**
   * Persists one Ready: the snapshot (replacing the whole log, as MemoryStorage.applySnapshot
   * does), then the entries (replacing any conflicting suffix), then the hard state, in one synced
   * batch. Resolves once durable; only then may the Ready's messages be sent.
   */
  async persist(request: PersistRequest): Promise<void> {
    // The runtime persists one Ready at a time and waits for it; two at once is a runtime bug.
    assert(!this.persistInFlight, 'persist called while another persist is in flight');
    this.persistInFlight = true;
    try {
      await this.writes.run(async () => {
        const { hardState, snapshot, entries } = request;
        const ops: BatchOp[] = [];
        let snapshotFile: string | undefined;
        if (snapshot !== undefined) {
          assert(
            snapshot.meta.index > this.latestSnapshot.meta.index,
            `persist: snapshot ${snapshot.meta.index} is not newer than ${this.latestSnapshot.meta.index}`,
          );
          snapshotFile = await writeSnapshotFile(this.dir, snapshot.meta.index, snapshot.data);
          this.pushSnapshotOps(ops, snapshot, snapshotFile);
        }
        const snapshotStart = snapshot === undefined ? undefined : { index: snapshot.meta.index, term: snapshot.meta.term };
        const plan = this.log.planPersist(snapshotStart, entries);
        this.pushLogOps(ops, plan);
        if (hardState !== undefined) {
          ops.push({ type: 'put', sublevel: this.db.raft, key: RAFT_KEYS.hardState, value: codec.encodeHardState(hardState) });
        }
        if (ops.length === 0) return;
        await this.db.root.batch(ops, { sync: request.mustSync ?? true });
        plan.commit();
        if (snapshot !== undefined) {
          this.latestSnapshot = snapshot;
          this.latestFileName = snapshotFile;
          this.track(removeSnapshotFilesExcept(this.dir, snapshotFile));
        }
        if (hardState !== undefined) this.hardStateValue = hardState;
      });
    } finally {
      this.persistInFlight = false;
    }
  }

  /**
   * Records a snapshot of the state machine at `index` (<= lastIndex), e.g. before compacting.
   * Error `conflict` when a snapshot at or after `index` already exists.
   */
  async createSnapshot(index: LogIndex, confState: ConfState, data: Uint8Array): Promise<Result<Snapshot, CofferError>> {
    // The bulk goes to a file outside the write queue, so raft persists are not held up by it;
    // the checks and the record naming it run in the queue, in call order.
    const fileName = await writeSnapshotFile(this.dir, index, data);
    return this.writes.run(async () => {
      if (index <= this.latestSnapshot.meta.index) {
        this.track(removeSnapshotFilesExcept(this.dir, this.latestFileName));
        return err(cofferError('conflict', `snapshot ${index} is out of date (latest ${this.latestSnapshot.meta.index})`));
      }
      assert(index <= this.lastIndex(), `createSnapshot ${index} is beyond the last index ${this.lastIndex()}`);
      const t = this.log.term(index);
      assert(t.ok, `createSnapshot ${index}: entry is compacted`);
      const snapshot: Snapshot = { meta: { index, term: t.value, confState }, data };
      const ops: BatchOp[] = [];
      this.pushSnapshotOps(ops, snapshot, fileName);
      await this.db.root.batch(ops, { sync: true });
      this.latestSnapshot = snapshot;
      this.latestFileName = fileName;
      this.track(removeSnapshotFilesExcept(this.dir, fileName));
      return ok(snapshot);
    });
  }

  /**
   * Drops entries up to and including `index`; firstIndex becomes index+1 and term(index) stays
   * answerable. Error `compacted` when already compacted that far. `index` must not pass the
   * latest snapshot: entries no snapshot covers would be lost for good.
   */
  compact(index: LogIndex): Promise<Result<void, CofferError>> {
    return this.writes.run(async () => {
      const start = this.log.logStart();
      if (index <= start.index) return err(cofferError('compacted', `log already compacted to ${start.index}`));
      assert(index <= this.lastIndex(), `compact ${index} is beyond the last index ${this.lastIndex()}`);
      assert(index <= this.latestSnapshot.meta.index, `compact ${index} is beyond the latest snapshot ${this.latestSnapshot.meta.index}`);
      const plan = this.log.planCompact(index);
      // Only the new log start is written in the queue; entries at or below it are garbage that
      // load() skips, deleted in the background (a range delete of thousands of keys took
      // ~200 ms in the queue, stalling raft persists). No fsync: a lost log start only means the
      // garbage is still counted as log after a power loss, which the snapshot covers anyway.
      const newStart = plan.newStart;
      assert(newStart !== undefined, 'compaction moves the log start');
      await this.db.root.batch([{ type: 'put', sublevel: this.db.raft, key: RAFT_KEYS.logStart, value: codec.encodeLogStart(newStart) }], { sync: false });
      plan.commit();
      this.track(this.db.log.clear({ lte: codec.indexKey(index) }));
      return ok(undefined);
    });
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch(() => undefined).finally(() => this.sweeps.delete(tracked));
    this.sweeps.add(tracked);
  }

  /** Closes the database once the writes already queued (raft and state store) have settled. */
  async close(): Promise<void> {
    await Promise.all([this.writes.drain(), this.stateStore.drain()]);
    await Promise.all([...this.sweeps]);
    await this.db.root.close();
  }

  private pushSnapshotOps(ops: BatchOp[], snapshot: Snapshot, fileName: string): void {
    ops.push(
      { type: 'put', sublevel: this.db.raft, key: RAFT_KEYS.snapshotMeta, value: codec.encodeSnapshotMeta(snapshot.meta) },
      { type: 'put', sublevel: this.db.raft, key: RAFT_KEYS.snapshotData, value: new TextEncoder().encode(fileName) },
    );
  }

  /**
   * Deletes before puts: LevelDB applies a batch in order, and a put may reuse a deleted key.
   * Log keys are written on the root with the log sublevel's prefix spelled out: the same bytes
   * as `{ sublevel: db.log }`, without its per-operation re-encoding (the hot path of a persist).
   */
  private pushLogOps(ops: BatchOp[], plan: LogPlan): void {
    const logPrefix = this.db.log.prefix;
    for (const range of plan.deletes) {
      for (let i = range.lo; i <= range.hi; i++) ops.push({ type: 'del', key: logPrefix + codec.indexKey(i) });
    }
    for (const e of plan.puts) {
      ops.push({ type: 'put', key: logPrefix + codec.indexKey(e.index), value: codec.encodeEntryValue(e) });
    }
    if (plan.newStart !== undefined) {
      ops.push({ type: 'put', sublevel: this.db.raft, key: RAFT_KEYS.logStart, value: codec.encodeLogStart(plan.newStart) });
    }
  }
}
