/**
 * POST sys/storage/raft/join on a fresh node (started without --bootstrap, empty data dir, the
 * cluster's --cluster-id): it asks the cluster's leader to add it as a learner, waits until it has
 * applied the log up to its own addition (bounded), then asks the leader to promote it to voter
 * (the raft core runs with autoPromoteLearners off, so promotion is explicit). Answers Vault's
 * `{"joined": true}`.
 *
 * `leader_api_addr` names any member, as either
 *   - its node API / cluster address `host:port` (what --cluster-address says), or
 *   - its HTTP API URL `http(s)://host:port` (an unsealed member: its sys/leader gives the
 *     leader's cluster address).
 * A member that is not the leader is asked for its leader hint, followed at most MAX_HOPS times.
 *
 * Like Vault's, the call is unauthenticated: it can only make THIS fresh node join. The cluster
 * side is protected by the node API's transport (mTLS in production): the joiner reaches the
 * leader with this node's own cluster credentials. The joiner replicates ciphertext only and is
 * unsealed afterwards with the cluster's keys, as any member.
 */
import { cofferError, err, nodeId, ok, type CofferError, type NodeId, type Result } from '@coffer/base';
import type { StatusResponse__Output } from '@coffer/wire';
import type { LogicalService } from './logical-service.js';
import type { NodeApiClient } from './node-api-client.js';
import type { HandleRequest, HandleResponse } from './ports.js';
import { errorResponse, fromCofferError } from './sys-local.js';

const MAX_HOPS = 3;
const CALL_TIMEOUT_MS = 5000;
/** A membership change waits for its entry to apply on the leader (two entries for AddLearner). */
const MEMBERSHIP_TIMEOUT_MS = 10_000;
/** How long the learner may take to catch up before it is promoted (a large state takes a while). */
const CATCH_UP_TIMEOUT_MS = 30_000;
const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export async function raftJoin(svc: LogicalService, req: HandleRequest): Promise<HandleResponse> {
  const { rt } = svc.deps;
  const b = typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  const target = b['leader_api_addr'];
  if (typeof target !== 'string' || target === '') {
    return errorResponse(400, "missing required input 'leader_api_addr': a member's cluster address (host:port) or its API URL (http://host:port)");
  }
  const isNonVoter = b['non_voter'] === true;
  const conf = rt.status().confState;
  // A join whose answer was lost after the learner was added (a client retry) resumes at promotion.
  const isResuming = conf.learners.includes(rt.id) && !conf.voters.includes(rt.id);
  if (!isResuming && (conf.voters.length > 0 || conf.learners.length > 0 || rt.appliedNow() > 0)) {
    return errorResponse(400, `this node is already a member of a cluster (${conf.voters.length} voters, ${conf.learners.length} learners): join needs a node started without --bootstrap on an empty data dir`);
  }
  const clientFor = rt.deps.forwarder.nodeClient?.bind(rt.deps.forwarder);
  if (clientFor === undefined) return fromCofferError(cofferError('unavailable', 'this node cannot reach other members (no node API client)'));
  const start = await clusterAddressOf(target);
  if (!start.ok) return fromCofferError(start.error);

  let addedIndex: number = rt.appliedNow();
  if (!isResuming) {
    const added = await addAsLearner(svc, clientFor, start.value);
    if (!added.ok) return fromCofferError(added.error);
    addedIndex = added.value;
  }
  if (isNonVoter) return { status: 200, body: { joined: true } };

  // A voter that cannot yet serve its log would only weaken the quorum: catch up first.
  const caughtUp = await rt.applied.waitFor(addedIndex, rt.appliedNow(), CATCH_UP_TIMEOUT_MS);
  if (!caughtUp) {
    return { status: 200, body: { joined: true, warnings: [`joined as a non-voter, but did not catch up within ${CATCH_UP_TIMEOUT_MS} ms: it was not promoted to voter; call join again to retry`] } };
  }
  let promoted: Result<number> = err(cofferError('no-leader', 'not tried'));
  for (let attempt = 0; attempt < 2; attempt++) {
    const known = rt.leaderNow();
    const now = await findLeader(clientFor, (known === null ? undefined : rt.peers.get(known)) ?? start.value);
    if (!now.ok) return fromCofferError(now.error);
    promoted = await clientFor(now.value.address).membership('Promote', rt.id, '', MEMBERSHIP_TIMEOUT_MS);
    if (promoted.ok || promoted.error.kind !== 'not-leader') break;
  }
  if (!promoted.ok) return fromCofferError(withContext(promoted.error, 'joined as a non-voter, but the promotion to voter failed'));
  svc.deps.logger.info('promoted to voter', { index: promoted.value });
  return { status: 200, body: { joined: true } };
}

/** Learns the members' addresses from the leader, then asks it to add this node as a learner. */
async function addAsLearner(svc: LogicalService, clientFor: (address: string) => NodeApiClient, start: string): Promise<Result<number>> {
  const { rt } = svc.deps;
  let leader = await findLeader(clientFor, start);
  if (!leader.ok) return leader;
  const addresses = new Map<NodeId, string>([[nodeId(leader.value.status.id), leader.value.address]]);
  for (const p of leader.value.status.peers) if (p.address !== '') addresses.set(nodeId(p.id), p.address);
  rt.adoptPeerAddresses(addresses);
  // Once more on a new leader if the leader changed in between.
  let added: Result<number> = err(cofferError('no-leader', 'not tried'));
  for (let attempt = 0; attempt < 2; attempt++) {
    added = await clientFor(leader.value.address).membership('AddLearner', rt.id, rt.deps.selfAddress, MEMBERSHIP_TIMEOUT_MS);
    if (added.ok || added.error.kind !== 'not-leader') break;
    leader = await findLeader(clientFor, leader.value.address);
    if (!leader.ok) return leader;
  }
  if (!added.ok) return err(withContext(added.error, 'the leader did not add this node'));
  svc.deps.logger.info('joined as a learner', { leader: leader.value.status.id, index: added.value });
  return added;
}

function withContext(e: CofferError, what: string): CofferError {
  return cofferError(e.kind, `${what}: ${e.message}`);
}

/** host:port as is; an http(s) URL through its sys/leader (leader_cluster_address). */
async function clusterAddressOf(target: string): Promise<Result<string>> {
  if (!/^https?:\/\//i.test(target)) {
    return HOST_PORT.test(target) ? ok(target) : err(cofferError('invalid-request', `leader_api_addr "${target.slice(0, 128)}" is neither host:port nor an http(s):// URL`));
  }
  let url: URL;
  try {
    url = new URL('/v1/sys/leader', target);
  } catch {
    return err(cofferError('invalid-request', `leader_api_addr "${target.slice(0, 128)}" is not a valid URL`));
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    const body = (await res.json().catch(() => undefined)) as { leader_cluster_address?: unknown } | undefined;
    const address = body?.leader_cluster_address;
    if (res.status !== 200 || typeof address !== 'string' || address === '') {
      return err(cofferError('unavailable', `${url.origin} answered ${res.status} without a leader address (is it unsealed?); give a member's cluster address host:port instead`));
    }
    return ok(address);
  } catch {
    return err(cofferError('unavailable', `${url.origin} cannot be reached`));
  }
}

/** Follows leader hints from `start` (bounded) to the node that says it leads. */
async function findLeader(clientFor: (address: string) => NodeApiClient, start: string): Promise<Result<{ address: string; status: StatusResponse__Output }>> {
  let address = start;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const st = await clientFor(address).status(CALL_TIMEOUT_MS);
    if (!st.ok) return err(cofferError('unavailable', `member ${address} cannot be reached: ${st.error.message}`));
    if (st.value.role === 'leader') return ok({ address, status: st.value });
    if (st.value.leader_address === '') return err(cofferError('no-leader', `member ${address} knows no leader yet; retry shortly`));
    address = st.value.leader_address;
  }
  return err(cofferError('no-leader', `no leader reached after following ${MAX_HOPS} leader hints; retry shortly`));
}
