/**
 * Where a secondary's stream resumes, and how a received batch is applied exactly once.
 *
 * A primary's entry indexes are its own raft log's indexes, so a position means something only
 * for the primary cluster it came from. A new link (secondary/enable, update-primary to another
 * cluster, the old primary following the promoted one) therefore always starts with a snapshot:
 * replaying a log from index 1 on top of data that is not empty would be wrong.
 *
 * The node keeps the position in its state machine next to its applied index and updates it in
 * the same write as the entries it applies (apply + position are atomic), so a crash or a
 * leader change on the secondary re-streams at most what was not applied, and `planBatch` drops
 * what a re-proposed batch repeats.
 */
import type { PrimaryLink } from './dr-state.js';

export interface StreamPosition {
  readonly primaryClusterId: string;
  /** The last primary index applied here (0: none). */
  readonly lastAppliedPrimaryIndex: number;
}

export type StreamStart = { readonly kind: 'snapshot' } | { readonly kind: 'entries'; readonly fromIndex: number };

export function streamStart(link: PrimaryLink, position: StreamPosition | undefined): StreamStart {
  if (position === undefined || position.primaryClusterId !== link.primaryClusterId) return { kind: 'snapshot' };
  return { kind: 'entries', fromIndex: position.lastAppliedPrimaryIndex + 1 };
}

export type BatchPlan<E> =
  /** Apply `entries` (possibly none: a full duplicate) and record `lastIndex` as the new position. */
  | { readonly kind: 'apply'; readonly entries: readonly E[]; readonly lastIndex: number }
  /** The batch starts after a hole: apply nothing; the streamer must resume from `expectedIndex`. */
  | { readonly kind: 'gap'; readonly expectedIndex: number; readonly firstIndex: number };

/**
 * What to apply of a contiguous, ascending batch given the last applied primary index. Entries at
 * or below it are duplicates (a batch proposed twice across a leader change) and are skipped.
 */
export function planBatch<E extends { readonly index: number }>(lastApplied: number, batch: readonly E[]): BatchPlan<E> {
  const first = batch[0];
  if (first === undefined) return { kind: 'apply', entries: [], lastIndex: lastApplied };
  if (first.index > lastApplied + 1) return { kind: 'gap', expectedIndex: lastApplied + 1, firstIndex: first.index };
  const fresh = batch.filter((e) => e.index > lastApplied);
  const last = fresh[fresh.length - 1];
  return { kind: 'apply', entries: fresh, lastIndex: last === undefined ? lastApplied : last.index };
}
