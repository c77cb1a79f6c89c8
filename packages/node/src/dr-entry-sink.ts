/**
 * `EntrySink` on a DR secondary's node (its leader runs the streamer): each batch, and each
 * snapshot, is ONE raft command of this cluster, so every secondary node applies the primary's
 * entries in order with the new position in the same store write (dr-apply.ts), and any of them
 * can take over the stream after a leader change.
 */
import { cofferError, err, ok, type CofferError, type Result } from '@coffer/base';
import type { DrEntryRecord, DrSnapshot, EntrySink, StreamPosition } from '@coffer/dr-replication';
import { drBatchPayload, drSnapshotPayload } from './dr-local-state.js';
import type { DrProposer } from './dr-propose.js';
import { MAX_RESTORE_BYTES, type SecretsStateMachine } from './secrets-state-machine.js';

export class RaftEntrySink implements EntrySink {
  constructor(
    private readonly sm: SecretsStateMachine,
    private readonly proposer: DrProposer,
  ) {}

  position(): StreamPosition | undefined {
    return this.sm.drPosition();
  }

  async apply(batch: { readonly primaryClusterId: string; readonly entries: readonly DrEntryRecord[] }): Promise<Result<StreamPosition, CofferError>> {
    return positionOf(await this.proposer.propose(drBatchPayload(batch)));
  }

  async installSnapshot(s: DrSnapshot & { readonly primaryClusterId: string }): Promise<Result<StreamPosition, CofferError>> {
    // One raft entry carries it, replicated whole (like an operator's restore).
    if (s.data.length > MAX_RESTORE_BYTES) {
      return err(cofferError('too-large', `the primary's snapshot is ${s.data.length} bytes; at most ${MAX_RESTORE_BYTES} can be installed through one entry`));
    }
    return positionOf(await this.proposer.propose(drSnapshotPayload({ primaryClusterId: s.primaryClusterId, index: s.index, term: s.term, content: s.data })));
  }
}

function positionOf(r: Awaited<ReturnType<DrProposer['propose']>>): Result<StreamPosition, CofferError> {
  if (!r.ok) return r;
  return r.value.position === undefined ? err(cofferError('internal', 'the DR apply returned no position')) : ok(r.value.position);
}
