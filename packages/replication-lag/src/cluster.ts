import { assert } from '@coffer/base';
import type { FollowerHealth, FollowerProgress, HealthThresholds, LeaderView } from './health.js';
import { DEFAULT_HEALTH_THRESHOLDS, assessFollower } from './health.js';

/**
 * Cluster-level health, after autopilot's state: the cluster is healthy when every server is, and
 * its failure tolerance is how many voters may fail while a quorum of healthy voters remains.
 */

/** Votes needed for a quorum of `voters`: a strict majority. */
export function quorumSize(voters: number): number {
  assert(Number.isSafeInteger(voters) && voters >= 0, `voters must be an integer >= 0, got ${voters}`);
  return Math.floor(voters / 2) + 1;
}

/**
 * Healthy voters beyond the quorum: `max(0, healthyVoters - quorumSize(voters))`. 0 means one more
 * failure (or none, if the healthy voters are already short of a quorum) stops the cluster.
 */
export function failureTolerance(voters: number, healthyVoters: number): number {
  assert(Number.isSafeInteger(healthyVoters) && healthyVoters >= 0 && healthyVoters <= voters, `healthyVoters must be within 0..${voters}, got ${healthyVoters}`);
  return Math.max(0, healthyVoters - quorumSize(voters));
}

export interface ServerHealthInput {
  readonly id: string;
  readonly isVoter: boolean;
  readonly isHealthy: boolean;
}

export interface ClusterHealth {
  /** Every server, voter or not, is healthy (autopilot's overall `healthy`). */
  readonly isHealthy: boolean;
  readonly voters: number;
  readonly healthyVoters: number;
  readonly quorum: number;
  /** The healthy voters alone form a quorum. */
  readonly hasHealthyQuorum: boolean;
  readonly failureTolerance: number;
  /** Ids of the unhealthy servers, in input order. */
  readonly unhealthyIds: readonly string[];
}

export function summarizeCluster(servers: readonly ServerHealthInput[]): ClusterHealth {
  const seen = new Set<string>();
  let voters = 0;
  let healthyVoters = 0;
  const unhealthyIds: string[] = [];
  for (const s of servers) {
    assert(!seen.has(s.id), `server ${s.id} listed twice`);
    seen.add(s.id);
    if (s.isVoter) {
      voters++;
      if (s.isHealthy) healthyVoters++;
    }
    if (!s.isHealthy) unhealthyIds.push(s.id);
  }
  const quorum = quorumSize(voters);
  return {
    isHealthy: unhealthyIds.length === 0,
    voters,
    healthyVoters,
    quorum,
    hasHealthyQuorum: healthyVoters >= quorum,
    failureTolerance: failureTolerance(voters, healthyVoters),
    unhealthyIds,
  };
}

export interface PeerProgressInput extends FollowerProgress {
  readonly id: string;
  readonly isVoter: boolean;
}

export interface PeerHealth extends FollowerHealth {
  readonly id: string;
  readonly isVoter: boolean;
}

export interface ClusterReport {
  readonly leaderId: string;
  /** One row per peer, in input order (the leader is not among them). */
  readonly peers: readonly PeerHealth[];
  readonly summary: ClusterHealth;
}

/**
 * Judges every peer from the leader's view and sums up. The leader counts as a healthy voter: it is
 * the reference the others are measured against (autopilot does the same).
 */
export function assessCluster(
  leader: LeaderView & { readonly leaderId: string },
  peers: readonly PeerProgressInput[],
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): ClusterReport {
  const rows: PeerHealth[] = peers.map((p) => {
    assert(p.id !== leader.leaderId, `the leader ${p.id} must not be listed among its peers`);
    return { id: p.id, isVoter: p.isVoter, ...assessFollower(leader, p, thresholds) };
  });
  const summary = summarizeCluster([
    { id: leader.leaderId, isVoter: true, isHealthy: true },
    ...rows.map((r) => ({ id: r.id, isVoter: r.isVoter, isHealthy: r.isHealthy })),
  ]);
  return { leaderId: leader.leaderId, peers: rows, summary };
}
