/** Messages a leader handles (the term already equals ours). */
import { logIndex } from '@coffer/base';
import type { Raft } from './raft.js';
import { maybeCommit, maybeConfirmReads, maybeSendAppend, sendAppendsTo, sendTimeoutNow } from './replication.js';
import type { AppendResponseMessage, Message } from './types.js';

export function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case 'append-resp':
      handleAppendResponse(r, m);
      return;
    case 'heartbeat-resp': {
      const pr = r.prs.get(m.from);
      if (pr === undefined) return;
      markContact(r, m.from);
      r.lease.onHeartbeatAck(m.from, m.seq);
      r.readOnly.ack(m.from, m.seq);
      maybeConfirmReads(r);
      // A heartbeat answer unblocks a probe that may have been lost, and frees one slot of a
      // full window whose messages may have been lost (the next append then finds the gap).
      if (pr.state === 'probe') pr.isProbeSent = false;
      else if (pr.state === 'replicate' && pr.inflights.isFull()) pr.inflights.freeFirst();
      if (pr.match < r.log.lastIndex()) sendAppendsTo(r, m.from, true);
      return;
    }
    case 'read-index':
      if (!r.prs.has(m.from)) return;
      r.handleReadRequest(m.ctx, m.from);
      return;
    default:
      // vote-resp, pre-vote-resp, read-index-resp, timeout-now, append/heartbeat/snapshot of our
      // own term from someone else (impossible: one leader per term) are ignored.
      return;
  }
}

function markContact(r: Raft, from: Message['from']): void {
  const pr = r.prs.get(from);
  if (pr === undefined) return;
  pr.ticksSinceContact = 0;
  pr.isRecentActive = true;
  r.quorumActivity.markActive(from, r.leaderTicks);
}

function handleAppendResponse(r: Raft, m: AppendResponseMessage): void {
  const pr = r.prs.get(m.from);
  if (pr === undefined) return;
  markContact(r, m.from);
  if (m.reject) {
    // Fast back-tracking: jump to our last entry at or below the hint whose term is <= the
    // follower's term there, skipping a whole term per round trip.
    const nextProbe = m.hintTerm > 0 ? r.log.findConflictByTerm(m.hintIndex, m.hintTerm).index : m.hintIndex;
    if (pr.maybeDecrTo(m.index, logIndex(nextProbe))) {
      if (pr.state === 'replicate') pr.becomeProbe();
      maybeSendAppend(r, m.from, true);
    }
    return;
  }
  const wasPaused = pr.isPaused();
  if (!pr.maybeUpdate(m.index)) {
    if (wasPaused && !pr.isPaused()) sendAppendsTo(r, m.from, false);
    return;
  }
  if (pr.state === 'probe') pr.becomeReplicate();
  else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) pr.becomeProbe();
  else if (pr.state === 'replicate') pr.inflights.freeLE(m.index);
  // A new commit is broadcast with the next Ready (one message per follower carries it); either
  // way the window may have room now for entries this follower lacks.
  maybeCommit(r);
  if (r.role === 'leader' && r.prs.has(m.from)) {
    // An empty append too when this follower has not been told a commit it could now apply
    // (its answer may have arrived after the commit broadcast skipped it).
    const canBumpCommit = pr.sentCommit < Math.min(r.log.committed, pr.match);
    sendAppendsTo(r, m.from, canBumpCommit);
  }
  if (r.role === 'leader' && m.from === r.transfer.transferee && pr.match === r.log.lastIndex()) {
    sendTimeoutNow(r, m.from);
  }
}
