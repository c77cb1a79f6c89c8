/**
 * Raft membership endpoints, run on the leader (sys-routes.ts checks the method and root token,
 * and forwards from a standby): step-down, configuration, remove-peer, autopilot state. They read
 * the raft core's status and the replication-lag maths the leader already keeps; nothing here
 * touches the state machine.
 */
import { cofferError, err, nodeId, type NodeId } from '@coffer/base';
import { assessCluster, healthThresholds } from '@coffer/replication-lag';
import { envelope, rfc3339 } from '@coffer/secrets';
import type { LeaderResult, LogicalService } from './logical-service.js';
import type { HandleRequest } from './ports.js';

/** Vault's raft protocol version string in configuration answers. */
const PROTOCOL_VERSION = '3';
/** Autopilot's defaults (Vault: last_contact_threshold 10s, max_trailing_logs 1000). */
const THRESHOLDS = healthThresholds({ lastContactThresholdMs: 10_000, maxTrailingLogs: 1000 });

const ok = (status: number, body?: unknown): LeaderResult => ({ ok: true, value: body === undefined ? { status } : { status, body } });

function bodyObject(req: HandleRequest): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

/**
 * PUT sys/step-down: hand leadership to the most up-to-date voter (bounded by two election
 * timeouts), 204. A leadership already lost meanwhile counts as done. A single-voter cluster has
 * nobody to hand over to: 503 saying so.
 */
export async function stepDown(svc: LogicalService, _req: HandleRequest): Promise<LeaderResult> {
  const { ops, logger } = svc.deps;
  const r = await ops.transferLeadership(null);
  if (!r.ok && r.error.kind !== 'not-leader') return svc.fail(r.error);
  logger.info('stepped down by operator request', { to: r.ok ? r.value : '' });
  return ok(204);
}

/** GET sys/storage/raft/configuration: Vault's `{data:{config:{index, servers:[...]}}}`. */
export async function raftConfiguration(svc: LogicalService): Promise<LeaderResult> {
  const { rt } = svc.deps;
  const st = rt.status();
  const server = (id: NodeId, isVoter: boolean): Record<string, unknown> => ({
    node_id: id,
    address: rt.peers.get(id) ?? '',
    leader: id === st.leader,
    protocol_version: PROTOCOL_VERSION,
    voter: isVoter,
  });
  const servers = [...st.confState.voters.map((id) => server(id, true)), ...st.confState.learners.map((id) => server(id, false))];
  return { ok: true, value: envelope({ config: { index: st.commit, servers } }) };
}

/**
 * POST sys/storage/raft/remove-peer {server_id}: one membership change on the leader, 204. The
 * leader removing itself hands leadership over first; the request then goes on to the new leader
 * (same request id) through the forwarding loop.
 */
export async function removePeer(svc: LogicalService, req: HandleRequest): Promise<LeaderResult> {
  const { rt, ops, logger } = svc.deps;
  const id = bodyObject(req)['server_id'];
  if (typeof id !== 'string' || id === '') return svc.badRequest("missing required input 'server_id' (the node id to remove, as listed by sys/storage/raft/configuration)");
  const conf = rt.status().confState;
  const members = [...conf.voters, ...conf.learners];
  if (!members.includes(nodeId(id))) return svc.badRequest(`server_id "${id.slice(0, 64)}" is not a member of the raft configuration (members: ${members.join(', ')})`);
  if (id === rt.id) {
    const handed = await ops.transferLeadership(null);
    if (!handed.ok && handed.error.kind !== 'not-leader') {
      return svc.fail(cofferError(handed.error.kind, `cannot remove the leader ${id}: handing leadership over failed first (${handed.error.message})`));
    }
    // No longer the leader: the forwarding loop retries on the new one, which removes this node.
    return err(ops.notLeader());
  }
  const r = await ops.remove(nodeId(id));
  if (!r.ok) return r.error.kind === 'not-leader' ? r : svc.fail(r.error);
  logger.info('peer removed by operator request', { node: id, index: r.value });
  return ok(204);
}

/** Per server: when it last turned healthy (autopilot's stable_since), kept by the leader. */
const stableSince = new WeakMap<LogicalService, Map<string, number>>();

/**
 * GET sys/storage/raft/autopilot/state: Vault's shape from the leader's view of each follower
 * (match index, last contact, lag): `{healthy, failure_tolerance, leader, voters, non_voters,
 * servers:{id:{...}}}` inside `data`, as Vault's API client reads it.
 */
export async function autopilotState(svc: LogicalService): Promise<LeaderResult> {
  const { rt } = svc.deps;
  const st = rt.status();
  const nowMs = rt.now();
  const tickMs = rt.deps.timing.tickMs;
  const voters = new Set<string>(st.confState.voters);
  const peers = st.progress.filter((p) => p.id !== rt.id);
  const report = assessCluster(
    { leaderId: rt.id, leaderLastIndex: st.lastIndex, nowMs, timestamps: rt.ring },
    peers.map((p) => ({ id: p.id, isVoter: voters.has(p.id), matchIndex: p.match, lastContactAtMs: nowMs - p.ticksSinceContact * tickMs })),
    THRESHOLDS,
  );
  const since = stableSince.get(svc) ?? new Map<string, number>();
  stableSince.set(svc, since);
  const stable = (id: string, isHealthy: boolean): string => {
    if (!isHealthy) {
      since.delete(id);
      return '0001-01-01T00:00:00Z';
    }
    const at = since.get(id) ?? nowMs;
    since.set(id, at);
    return rfc3339(at);
  };
  const address = (id: string): string => rt.peers.get(nodeId(id)) ?? '';
  const servers: Record<string, unknown> = {
    [rt.id]: {
      id: rt.id, name: rt.id, address: address(rt.id), node_status: 'alive', node_type: 'voter', last_contact: '0s',
      last_term: st.term, last_index: st.lastIndex, healthy: true, stable_since: stable(rt.id, true), status: 'leader', version: '', meta: {},
    },
  };
  for (const p of report.peers) {
    const contactMs = p.lastContactMs;
    servers[p.id] = {
      id: p.id, name: p.id, address: address(p.id),
      node_status: contactMs !== undefined && contactMs <= THRESHOLDS.lastContactThresholdMs ? 'alive' : 'failed',
      node_type: p.isVoter ? 'voter' : 'non-voter',
      last_contact: contactMs === undefined ? '' : `${contactMs}ms`,
      // The leader does not learn a follower's last term; a follower that matches its log is on it.
      last_term: p.isHealthy ? st.term : 0,
      last_index: st.lastIndex - p.lagEntries,
      healthy: p.isHealthy,
      stable_since: stable(p.id, p.isHealthy),
      status: p.isVoter ? 'voter' : 'non-voter',
      version: '',
      meta: {},
    };
  }
  for (const id of [...since.keys()]) if (servers[id] === undefined) since.delete(id);
  const s = report.summary;
  return {
    ok: true,
    value: envelope({
      healthy: s.isHealthy,
      failure_tolerance: s.failureTolerance,
      optimistic_failure_tolerance: s.failureTolerance,
      leader: rt.id,
      voters: [...st.confState.voters],
      non_voters: [...st.confState.learners],
      servers,
    }),
  };
}
