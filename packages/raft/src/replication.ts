/**
 * The leader's side of log replication: sending appends, snapshots and heartbeats, and the
 * commit rule.
 */
import type { NodeId } from '@coffer/base';
import { logIndex } from '@coffer/base';
import { majority } from '@coffer/election';
import type { Raft } from './raft.js';
import type { Entry } from './types.js';

/**
 * Sends the next append to `to` if its progress allows. Returns true when a message was sent.
 * With `sendIfEmpty` an empty append still goes out (to carry the commit index or probe).
 */
export function maybeSendAppend(r: Raft, to: NodeId, sendIfEmpty: boolean): boolean {
  const pr = r.prs.get(to);
  if (pr === undefined || to === r.id || pr.isPaused()) return false;
  const prevIndex = logIndex(pr.next - 1);
  const prevTerm = r.log.term(prevIndex);
  const last = r.log.lastIndex();
  const ents = pr.next <= last ? r.log.slice(pr.next, logIndex(last + 1), r.cfg.maxSizePerMsg) : undefined;
  if (!prevTerm.ok || (ents !== undefined && !ents.ok)) return sendSnapshot(r, to);
  const entries: readonly Entry[] = ents?.ok === true ? ents.value : [];
  if (entries.length === 0 && !sendIfEmpty) return false;
  let bytes = 0;
  for (const e of entries) bytes += e.data.length;
  r.send({ type: 'append', from: r.id, to, term: r.term, prevIndex, prevTerm: prevTerm.value, entries, commit: r.log.committed });
  pr.sentEntries(entries.length, bytes);
  if (pr.sentCommit < r.log.committed) pr.sentCommit = r.log.committed;
  return true;
}

/** The follower is behind our compacted log: send the latest snapshot instead. */
function sendSnapshot(r: Raft, to: NodeId): boolean {
  const pr = r.prs.get(to);
  if (pr === undefined) return false;
  const snap = r.log.snapshot();
  if (!snap.ok) return false; // being made; the next heartbeat answer retries
  r.send({ type: 'snapshot', from: r.id, to, term: r.term, snapshot: snap.value });
  pr.becomeSnapshot(snap.value.meta.index);
  r.logger?.info('sending snapshot', { to, index: snap.value.meta.index });
  return true;
}

/** Sends everything each follower may take now; in replicate state that may be several messages. */
export function bcastAppend(r: Raft): void {
  for (const id of r.prs.keys()) {
    if (id === r.id) continue;
    // New entries go out regardless; an empty append only to carry a commit it was not told.
    const pr = r.prs.get(id);
    sendAppendsTo(r, id, pr !== undefined && pr.sentCommit < r.log.committed);
  }
}

/** Sends what `to` may take now; with `sendIfEmpty` at least one (possibly empty) append. */
export function sendAppendsTo(r: Raft, to: NodeId, sendIfEmpty: boolean): void {
  const pr = r.prs.get(to);
  if (pr === undefined) return;
  if (!maybeSendAppend(r, to, sendIfEmpty)) return;
  for (let i = 0; i < 1024 && pr.state === 'replicate' && pr.next <= r.log.lastIndex(); i++) {
    if (!maybeSendAppend(r, to, false)) break;
  }
}

/** One heartbeat round: a new sequence number that ReadIndex and the lease count acks by. */
export function bcastHeartbeat(r: Raft): void {
  r.heartbeatSeq++;
  const seq = r.heartbeatSeq;
  r.readOnly.assign(seq);
  r.lease.onHeartbeatSent(seq, r.leaderTicks);
  r.lease.forgetSentBefore(r.leaderTicks - 2 * r.cfg.electionTicks);
  for (const [id, pr] of r.prs) {
    if (id === r.id) continue;
    const commit = logIndex(Math.min(pr.match, r.log.committed));
    if (pr.sentCommit < commit) pr.sentCommit = commit;
    r.send({ type: 'heartbeat', from: r.id, to: id, term: r.term, commit, seq });
  }
  maybeConfirmReads(r);
}

/** Answers the reads a majority has confirmed. */
export function maybeConfirmReads(r: Raft): void {
  for (const read of r.readOnly.takeConfirmed(r.id, r.voters())) r.answerRead(read.ctx, read.from, read.index);
}

/**
 * The commit rule: the highest index a majority of voters holds, committed only if it is of the
 * current term (entries of earlier terms commit indirectly, Figure 8). Returns true if it moved.
 */
export function maybeCommit(r: Raft): boolean {
  const voters = r.voters();
  if (voters.length === 0) return false;
  const matches: number[] = [];
  for (const v of voters) matches.push(r.prs.get(v)?.match ?? 0);
  matches.sort((a, b) => b - a);
  const candidate = logIndex(matches[majority(voters.length) - 1] ?? 0);
  if (candidate <= r.log.committed) return false;
  const isCountable = r.log.zeroTermOnMiss(candidate) === r.term || r.cfg.faults.commitPreviousTermByCounting === true;
  if (!isCountable) return false;
  const before = r.log.committed;
  r.log.commitTo(candidate);
  onCommitAdvanced(r, before);
  return true;
}

function onCommitAdvanced(r: Raft, before: number): void {
  // Bytes of entries now committed no longer count against the uncommitted limit.
  const ents = r.log.slice(logIndex(before + 1), logIndex(r.log.committed + 1), Number.POSITIVE_INFINITY);
  if (ents.ok) for (const e of ents.value) r.uncommittedBytes = Math.max(0, r.uncommittedBytes - e.data.length);
  if (r.hasCommittedInTerm() && r.readsAwaitingTermCommit.length > 0) {
    const waiting = r.readsAwaitingTermCommit;
    r.readsAwaitingTermCommit = [];
    for (const w of waiting) r.handleReadRequest(w.ctx, w.from);
  }
  // A leader that the committed configuration no longer lists steps down.
  if (!r.isPromotable() && r.conf.latestIndex() <= r.log.committed) {
    r.needsBroadcast = false;
    bcastAppend(r); // let followers learn the commit before we go
    r.logger?.info('stepping down: removed from the configuration', { id: r.id });
    r.becomeFollower(r.term, null);
    return;
  }
  r.needsBroadcast = true;
}

export function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send({ type: 'timeout-now', from: r.id, to, term: r.term });
}
