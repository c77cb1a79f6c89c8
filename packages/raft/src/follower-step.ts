/** Messages followers and candidates handle (the term already equals ours). */
import { logIndex, term as toTerm } from '@coffer/base';
import type { Raft } from './raft.js';
import type { AppendMessage, Message, ReadIndexResponseMessage, SnapshotMessage } from './types.js';

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case 'append':
      r.electionTimer.reset();
      r.leader = m.from;
      handleAppend(r, m);
      return;
    case 'heartbeat':
      r.electionTimer.reset();
      r.leader = m.from;
      r.log.commitTo(logIndex(Math.min(m.commit, r.log.lastIndex())));
      r.send({ type: 'heartbeat-resp', from: r.id, to: m.from, term: r.term, seq: m.seq });
      return;
    case 'snapshot':
      r.electionTimer.reset();
      r.leader = m.from;
      handleSnapshot(r, m);
      return;
    case 'timeout-now':
      // The leader hands over: campaign at once, as a real election voters accept despite the lease.
      r.logger?.info('campaigning on leadership transfer', { id: r.id, term: r.term });
      r.startElection(true);
      return;
    case 'read-index-resp':
      onReadIndexResponse(r, m);
      return;
    default:
      return;
  }
}

export function stepCandidate(r: Raft, m: Message): void {
  switch (m.type) {
    case 'append':
    case 'heartbeat':
    case 'snapshot':
      // A leader of our term exists (for a pre-candidate: of our current term): follow it.
      r.becomeFollower(m.term, m.from);
      stepFollower(r, m);
      return;
    case 'vote-resp':
    case 'pre-vote-resp': {
      const expected = r.role === 'candidate' ? 'vote-resp' : 'pre-vote-resp';
      if (m.type !== expected) return;
      r.votes.record(m.from, !m.reject);
      r.evaluateTally();
      return;
    }
    case 'read-index-resp':
      onReadIndexResponse(r, m);
      return;
    default:
      return;
  }
}

/** The leader's answer to a read this node forwarded (followers and candidates alike). */
function onReadIndexResponse(r: Raft, m: ReadIndexResponseMessage): void {
  if (m.reject) r.readFailures.push({ ctx: m.ctx });
  else r.readStates.push({ ctx: m.ctx, index: m.index });
}

function handleAppend(r: Raft, m: AppendMessage): void {
  if (m.prevIndex < r.log.committed) {
    // Everything up to our commit is known to match: answer with it.
    r.send({ type: 'append-resp', from: r.id, to: m.from, term: r.term, reject: false, index: r.log.committed, hintIndex: logIndex(0), hintTerm: toTerm(0) });
    return;
  }
  const truncateOnMatch = r.cfg.faults.truncateOnMatch === true;
  const lastNew = r.log.maybeAppend(m.prevIndex, m.prevTerm, m.commit, m.entries, truncateOnMatch);
  if (lastNew !== undefined) {
    r.conf.sync(m.entries, (i, t) => r.log.holdsEntry(i, toTerm(t)));
    r.send({ type: 'append-resp', from: r.id, to: m.from, term: r.term, reject: false, index: lastNew, hintIndex: logIndex(0), hintTerm: toTerm(0) });
    return;
  }
  // Reject with a hint: our last entry at or below prevIndex whose term is <= prevTerm.
  const hint = r.log.findConflictByTerm(logIndex(Math.min(m.prevIndex, r.log.lastIndex())), m.prevTerm);
  r.send({ type: 'append-resp', from: r.id, to: m.from, term: r.term, reject: true, index: m.prevIndex, hintIndex: hint.index, hintTerm: hint.term });
}

function handleSnapshot(r: Raft, m: SnapshotMessage): void {
  const s = m.snapshot;
  if (s.meta.index <= r.log.committed) {
    // Older than what we have: ignore it, but tell the leader where we are.
    r.send({ type: 'append-resp', from: r.id, to: m.from, term: r.term, reject: false, index: r.log.committed, hintIndex: logIndex(0), hintTerm: toTerm(0) });
    return;
  }
  if (r.log.matchTerm(s.meta.index, s.meta.term)) {
    // We hold the snapshot's last entry: keep the log (and later matching entries), just commit.
    r.log.commitTo(s.meta.index);
  } else {
    r.log.restore(s);
    r.conf.reset(s.meta.confState, s.meta.index);
  }
  r.send({ type: 'append-resp', from: r.id, to: m.from, term: r.term, reject: false, index: r.log.lastIndex(), hintIndex: logIndex(0), hintTerm: toTerm(0) });
}
