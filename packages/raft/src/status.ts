import type { Raft } from './raft.js';
import type { PeerProgress, RaftStatus } from './types.js';

export function buildStatus(r: Raft): RaftStatus {
  const progress: PeerProgress[] = [];
  if (r.role === 'leader') {
    for (const [id, pr] of r.prs) {
      if (id === r.id) continue;
      progress.push({
        id,
        match: pr.match,
        next: pr.next,
        state: pr.state,
        isLearner: pr.isLearner,
        ticksSinceContact: pr.ticksSinceContact,
        inflightMessages: pr.inflights.count,
      });
    }
  }
  return {
    id: r.id,
    term: r.term,
    vote: r.vote,
    role: r.role,
    leader: r.leader,
    commit: r.log.committed,
    applied: r.log.applied,
    firstIndex: r.log.firstIndex(),
    lastIndex: r.log.lastIndex(),
    confState: r.conf.current(),
    leadTransferee: r.transfer.transferee,
    progress,
    leaseTicksRemaining: r.leaseTicksRemaining(),
  };
}
