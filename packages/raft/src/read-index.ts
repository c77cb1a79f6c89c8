/**
 * ReadIndex on the leader: a read is answered with the commit index once a heartbeat round
 * started after it was acknowledged by a majority (or at once under a valid lease, or alone).
 * Only after the leader committed an entry of its own term: before that its commit index may lag.
 */
import type { LogIndex, NodeId } from '@coffer/base';
import { logIndex } from '@coffer/base';
import type { Raft } from './raft.js';

export function handleReadRequest(r: Raft, ctx: string, from: NodeId): void {
  if (!r.hasCommittedInTerm()) {
    r.readsAwaitingTermCommit.push({ ctx, from });
    return;
  }
  const index = r.log.committed;
  const voters = r.voters();
  const isSingleVoter = voters.length === 1 && voters[0] === r.id;
  if (isSingleVoter || r.cfg.faults.readIndexWithoutQuorum === true || leaseTicksRemaining(r) > 0) {
    answerRead(r, ctx, from, index);
    return;
  }
  r.readOnly.add(ctx, from, index);
}

export function answerRead(r: Raft, ctx: string, from: NodeId, index: LogIndex): void {
  if (from === r.id) r.readStates.push({ ctx, index });
  else r.send({ type: 'read-index-resp', from: r.id, to: from, term: r.term, ctx, index, reject: false });
}

/** Leadership lost (or never confirmed): every waiting read fails, remote ones told so. */
export function failPendingReads(r: Raft): void {
  const failed = [...r.readOnly.drain(), ...r.readsAwaitingTermCommit];
  r.readsAwaitingTermCommit = [];
  for (const p of failed) {
    if (p.from === r.id) r.readFailures.push({ ctx: p.ctx });
    else r.send({ type: 'read-index-resp', from: r.id, to: p.from, term: r.term, ctx: p.ctx, index: logIndex(0), reject: true });
  }
}

/** Ticks left on the leader's read lease (0 when none, disabled, or a transfer is running). */
export function leaseTicksRemaining(r: Raft): number {
  if (r.role !== 'leader' || r.cfg.readOnlyOption !== 'lease' || r.transfer.transferee !== null) return 0;
  const until = r.lease.expiresAtTick(r.id, r.voters(), r.heartbeatSeq);
  return Math.max(0, until - r.leaderTicks);
}
