/**
 * The state machine's ordered key-value store, in the node's LevelDB beside the raft log, with
 * the applied index kept in the same database. Every write goes in one synced batch together
 * with the applied index it brings the store to, so after any crash "applied index N" means
 * exactly "the writes of entries 1..N are in the store".
 *
 * Keys are strings (stored as utf8, ordered by their utf8 bytes, which differs from JS string
 * order only for characters outside the BMP against U+E000..U+FFFF); values are bytes. The store
 * holds only ciphertext: never log a value.
 */
import { assert, cofferError, err, logIndex, ok } from '@coffer/base';
import type { CofferError, LogIndex, Result } from '@coffer/base';
import { asView, decodeU64, encodeU64 } from './codec.js';
import { APPLIED_KEY, WriteQueue } from './node-db.js';
import type { BatchOp, NodeDb } from './node-db.js';
import { StateSnapshotWriter, decodeStateSnapshot } from './state-snapshot-codec.js';
import type { StateRecord } from './state-snapshot-codec.js';

export type StateWrite =
  | { readonly type: 'put'; readonly key: string; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: string };

export interface IterateOptions {
  readonly gte?: string;
  readonly lt?: string;
  /** At most this many records. */
  readonly limit?: number;
}

export class StateStore {
  private readonly writes = new WriteQueue();

  private constructor(
    private readonly db: NodeDb,
    private applied: LogIndex,
  ) {}

  static async load(db: NodeDb): Promise<StateStore> {
    const bytes = await db.smMeta.get(APPLIED_KEY);
    return new StateStore(db, logIndex(bytes === undefined ? 0 : decodeU64(bytes)));
  }

  /** Resolves once every write queued so far has settled. */
  drain(): Promise<void> {
    return this.writes.drain();
  }

  /** The index of the last entry whose writes are durable in the store (0 when none). */
  appliedIndex(): LogIndex {
    return this.applied;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const value = await this.db.sm.get(key);
    return value === undefined ? undefined : asView(value);
  }

  has(key: string): Promise<boolean> {
    return this.db.sm.has(key);
  }

  /** Records in key order within [gte, lt). Break out of the loop early to stop reading. */
  async *iterate(options: IterateOptions = {}): AsyncGenerator<StateRecord> {
    const range: { gte?: string; lt?: string; limit?: number } = {};
    if (options.gte !== undefined) range.gte = options.gte;
    if (options.lt !== undefined) range.lt = options.lt;
    if (options.limit !== undefined) range.limit = options.limit;
    for await (const [key, value] of this.db.sm.iterator(range)) yield { key, value: asView(value) };
  }

  /**
   * Applies one or more committed entries' writes and records `appliedIndex`, in one synced batch.
   * `appliedIndex` must move forward: applying an index twice is a runtime bug.
   */
  applyBatch(writes: readonly StateWrite[], appliedIndex: LogIndex): Promise<void> {
    return this.writes.run(async () => {
      assert(appliedIndex > this.applied, `applyBatch: applied index ${appliedIndex} does not pass ${this.applied}`);
      const ops: BatchOp[] = [];
      for (const w of writes) {
        ops.push(w.type === 'put' ? { type: 'put', sublevel: this.db.sm, key: w.key, value: w.value } : { type: 'del', sublevel: this.db.sm, key: w.key });
      }
      ops.push(this.appliedOp(appliedIndex));
      // Not fsynced, on purpose: the batch is atomic (writes and applied index never part), it
      // survives a process crash (SIGKILL) because the OS holds it, and after a power loss the
      // raft log (fsynced before anything is applied) replays whatever the store lost. The next
      // synced raft persist flushes this write too (one LevelDB write-ahead log). When a snapshot
      // compacted the log past what the store kept, the runtime installs that snapshot at start.
      await this.db.root.batch(ops, { sync: false });
      this.applied = appliedIndex;
    });
  }

  /**
   * The whole store and its applied index as one byte array (for a raft snapshot at that index).
   * Reads from a LevelDB snapshot taken after every earlier write, so later applies may proceed
   * while it runs and never show up half in it.
   */
  async exportSnapshot(): Promise<{ readonly appliedIndex: LogIndex; readonly data: Uint8Array }> {
    const view = await this.writes.run(async () => this.db.root.snapshot());
    try {
      const appliedBytes = await this.db.smMeta.get(APPLIED_KEY, { snapshot: view });
      const appliedIndex = logIndex(appliedBytes === undefined ? 0 : decodeU64(appliedBytes));
      const writer = new StateSnapshotWriter(appliedIndex);
      for await (const [key, value] of this.db.sm.iterator({ snapshot: view })) writer.add(key, value);
      return { appliedIndex, data: writer.finish() };
    } finally {
      await view.close();
    }
  }

  /**
   * Replaces the whole store with a snapshot's contents, atomically (one synced batch).
   * Error `invalid-request` when the bytes are corrupt or were exported at another index than
   * `index`; `conflict` when `index` is behind what is already applied (it would roll back).
   */
  importSnapshot(bytes: Uint8Array, index: LogIndex): Promise<Result<void, CofferError>> {
    return this.writes.run(async () => {
      const decoded = decodeStateSnapshot(bytes);
      if (!decoded.ok) return decoded;
      if (decoded.value.appliedIndex !== index) {
        return err(cofferError('invalid-request', `state snapshot was taken at ${decoded.value.appliedIndex}, not ${index}`));
      }
      if (index < this.applied) return err(cofferError('conflict', `snapshot ${index} is behind the applied index ${this.applied}`));
      const ops: BatchOp[] = [];
      for await (const key of this.db.sm.keys()) ops.push({ type: 'del', sublevel: this.db.sm, key });
      for (const r of decoded.value.records) ops.push({ type: 'put', sublevel: this.db.sm, key: r.key, value: r.value });
      ops.push(this.appliedOp(index));
      await this.db.root.batch(ops, { sync: true });
      this.applied = index;
      return ok(undefined);
    });
  }

  private appliedOp(index: LogIndex): BatchOp {
    return { type: 'put', sublevel: this.db.smMeta, key: APPLIED_KEY, value: encodeU64(index) };
  }
}
