/**
 * The end of a run: after healing, has the cluster converged (every member applied the leader's
 * commit index), do the members hold equal state, and if it is stuck, what does it look like.
 */
import { currentLeader } from './fault-injector.js';
import type { SimNode } from './sim-node.js';

/** The nodes in the leader's configuration (a removed node, or a spare never added, is not). */
export function members(nodes: readonly SimNode[]): SimNode[] {
  const conf = currentLeader(nodes)?.raft?.status().confState;
  if (conf === undefined) return [];
  return nodes.filter((n) => conf.voters.includes(n.id) || conf.learners.includes(n.id));
}

export function isConverged(nodes: readonly SimNode[]): boolean {
  const commit = currentLeader(nodes)?.raft?.status().commit;
  if (commit === undefined) return false;
  return members(nodes).every((n) => n.isUp && !n.isWriting && n.sm.applied === commit);
}

/** A message naming two members whose state differs, or undefined when all agree. */
export function findStateDivergence(nodes: readonly SimNode[]): string | undefined {
  const all = members(nodes);
  const first = all[0];
  if (first === undefined) return undefined;
  const expected = first.sm.fingerprint();
  const other = all.find((n) => n.sm.fingerprint() !== expected);
  if (other === undefined) return undefined;
  return `${other.id} and ${first.id} applied the same index ${other.sm.applied} but hold different state`;
}

/** Each node's view and the leader's progress table, for a convergence failure. */
export function describeStuckCluster(nodes: readonly SimNode[]): string {
  const views = nodes
    .map((n) => {
      const st = n.raft?.status();
      if (st === undefined) return `${n.id} down`;
      return `${n.id}@${n.sm.applied} ${st.role} t${st.term} leader=${st.leader ?? '-'} last=${st.lastIndex} voters=${st.confState.voters.join('+')}`;
    })
    .join(', ');
  const leader = currentLeader(nodes)?.raft?.status();
  const progress =
    leader === undefined
      ? 'no leader'
      : `leader ${leader.id} t${leader.term} commit ${leader.commit}, progress ` +
        leader.progress.map((p) => `${p.id}:${p.state} match=${p.match} next=${p.next} inflight=${p.inflightMessages}`).join(', ');
  return `${views}; ${progress}`;
}
