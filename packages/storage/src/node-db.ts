/**
 * The node's one LevelDB and its key layout. Everything a node keeps lives here, so a raft
 * persist and a state machine apply can never be split across two databases, and the directory
 * lock (LevelDB's LOCK file) keeps a second process out.
 *
 * Key layout (utf8 keys, byte values; sublevel prefixes are `!name!`):
 *   !raft!hard-state      HardState (JSON)
 *   !raft!log-start       LogStart {index, term} (JSON): the entry just before the first held
 *   !raft!snapshot-meta   SnapshotMeta (JSON)
 *   !raft!snapshot-data   the latest snapshot's file name under snapshots/ (empty: no data)
 *   !log!<index:16>       one raft entry each (binary, see codec.ts)
 *   !sm!<key>             the state machine's records (ciphertext only)
 *   !sm-meta!applied      the state machine's applied index (u64 BE)
 */
import { Level } from 'level';
import type { BatchOperation } from 'level';
import { join } from 'node:path';
import { AssertionError, CofferFailure, cofferError } from '@coffer/base';

export type RootDb = Level<string, Uint8Array>;
export type BatchOp = BatchOperation<RootDb, string, Uint8Array>;

function openSublevel(db: RootDb, name: string) {
  return db.sublevel<string, Uint8Array>(name, { keyEncoding: 'utf8', valueEncoding: 'view' });
}
export type Sublevel = ReturnType<typeof openSublevel>;

export const RAFT_KEYS = {
  hardState: 'hard-state',
  logStart: 'log-start',
  snapshotMeta: 'snapshot-meta',
  snapshotData: 'snapshot-data',
} as const;
export const APPLIED_KEY = 'applied';

export interface NodeDb {
  readonly root: RootDb;
  readonly raft: Sublevel;
  readonly log: Sublevel;
  readonly sm: Sublevel;
  readonly smMeta: Sublevel;
}

export async function openNodeDb(dir: string): Promise<NodeDb> {
  const root: RootDb = new Level<string, Uint8Array>(join(dir, 'leveldb'), { valueEncoding: 'view' });
  await root.open();
  return {
    root,
    raft: openSublevel(root, 'raft'),
    log: openSublevel(root, 'log'),
    sm: openSublevel(root, 'sm'),
    smMeta: openSublevel(root, 'sm-meta'),
  };
}

/**
 * Runs writes one at a time, in call order, so that each one plans against the mirror that the
 * previous one left. After a write fails the outcome on disk is unknown (an fsync error may have
 * lost pages), so the queue refuses every later write: the node must restart and reload from disk.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: unknown = undefined;

  /** Resolves once every write queued so far has settled (successfully or not). */
  drain(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  run<T>(write: () => Promise<T>): Promise<T> {
    const next = this.tail.then(async () => {
      try {
        if (this.failure !== undefined) {
          throw new CofferFailure(cofferError('internal', 'storage failed earlier; restart the node to reload from disk'));
        }
        return await write();
      } catch (e) {
        // An assertion is a bug in the request, caught before anything was written: the disk
        // state is still known, so it does not latch the queue.
        if (this.failure === undefined && !(e instanceof AssertionError)) this.failure = e;
        throw e;
      }
    });
    this.tail = next.catch(() => undefined);
    return next;
  }
}
