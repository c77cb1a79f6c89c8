/**
 * `EntrySource` on a DR primary's node (read on its leader): the committed raft log from the
 * node's log storage, a snapshot of the replicated data (without the cluster-local DR keys), and
 * entry times from the leader's append-timestamp ring.
 */
import { cofferError, err, logIndex, ok, type CofferError, type Result } from '@coffer/base';
import type { DrEntryRecord, DrSnapshot, EntrySource } from '@coffer/dr-replication';
import { encodePairsAsync } from './bytes.js';
import type { NodeRuntime } from './runtime.js';
import type { SecretsStateMachine } from './secrets-state-machine.js';

export class RaftEntrySource implements EntrySource {
  constructor(
    private readonly rt: NodeRuntime,
    private readonly sm: SecretsStateMachine,
  ) {}

  firstIndex(): number {
    return this.rt.deps.logStore.raftStorage.firstIndex();
  }

  /** The applied index: committed (applied entries always are), and every entry up to it is durable. */
  lastIndex(): number {
    return this.rt.appliedNow();
  }

  entries(fromIndex: number, maxBytes: number): Promise<Result<readonly DrEntryRecord[], CofferError>> {
    const last = this.lastIndex();
    if (fromIndex > last) return Promise.resolve(ok([]));
    const got = this.rt.deps.logStore.raftStorage.entries(logIndex(fromIndex), logIndex(last + 1), Math.max(1, maxBytes));
    if (!got.ok) {
      const e = got.error.kind === 'compacted' ? got.error : cofferError('unavailable', `reading the log from ${fromIndex} failed: ${got.error.message}`);
      return Promise.resolve(err(e));
    }
    return Promise.resolve(ok(got.value.map((e) => ({ index: e.index, term: e.term, type: e.type, data: e.data }))));
  }

  /**
   * The replicated pairs, taken synchronously by reference, at the index they hold: the state
   * machine may already hold entries whose store write the runtime is still awaiting, so the
   * index is the later of the runtime's applied index and the state machine's last command.
   */
  async snapshot(): Promise<Result<DrSnapshot, CofferError>> {
    const index = Math.max(this.rt.appliedNow(), this.sm.lastCommandIndex());
    // Captured now, encoded in slices: a large snapshot must not stall the primary leader's event
    // loop (its followers would elect another leader). Without the cluster-local DR keys.
    const encode = this.sm.captureSnapshot(false);
    const term = this.rt.deps.logStore.raftStorage.term(logIndex(index));
    const data = await encodePairsAsync(await encode(), new Uint8Array(0));
    return ok({ index, term: term.ok ? term.value : 0, data });
  }

  /** The leader's append time (a commit follows within a round trip); a lower bound when older than the ring. */
  entryTimestampMs(index: number): number | undefined {
    const found = this.rt.ring.lookup(index);
    if (found.kind === 'found') return found.timestampMs;
    if (found.kind === 'before-oldest') return found.oldestTimestampMs;
    return undefined;
  }

  async waitForCommit(afterIndex: number, timeoutMs: number): Promise<void> {
    await this.rt.applied.waitFor(afterIndex + 1, this.rt.appliedNow(), timeoutMs);
  }
}
