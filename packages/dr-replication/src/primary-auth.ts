/**
 * The primary's check of a DR call, in order: identity metadata, cluster id, this cluster is an
 * unfenced primary, the secondary's credential (or, for Activate, the token's secret), a newer
 * epoch (which fences this primary), then leadership. The not-leader hint is only given to a
 * caller that proved who it is.
 */
import * as grpc from '@grpc/grpc-js';
import type { CofferError, Result } from '@coffer/base';
import { err, ok } from '@coffer/base';
import { checkSecondaryCredential } from './dr-primary-transitions.js';
import { servingPrimaryView, type DrState, type KnownSecondary } from './dr-state.js';
import type { DrCaller, DrRefusal } from './dr-metadata.js';
import { notLeaderRefusal, readCaller } from './dr-metadata.js';
import { hashSecret } from './encoding.js';
import type { DrPrimaryNode } from './ports.js';

export function refusalFromError(e: CofferError): DrRefusal {
  const code =
    e.kind === 'permission-denied'
      ? grpc.status.PERMISSION_DENIED
      : e.kind === 'invalid-request' || e.kind === 'conflict'
        ? grpc.status.FAILED_PRECONDITION
        : e.kind === 'not-leader' || e.kind === 'no-leader' || e.kind === 'unavailable' || e.kind === 'timeout'
          ? grpc.status.UNAVAILABLE
          : grpc.status.INTERNAL;
  return { code, details: e.message };
}

function describe(s: DrState): string {
  if (s.mode === 'primary') return `a DR primary fenced by cluster ${s.fence?.newerPrimaryClusterId ?? '?'} at epoch ${s.fence?.newerEpoch ?? '?'}`;
  if (s.mode === 'secondary') return s.primary === undefined ? 'a demoted DR primary, following no primary' : 'a DR secondary';
  return 'not in DR replication';
}

/** Identity, cluster id and mode (shared by every call). */
export function checkCallerAndMode(node: DrPrimaryNode, md: grpc.Metadata): Result<{ caller: DrCaller; state: DrState & { mode: 'primary' } }, DrRefusal> {
  const caller = readCaller(md);
  if (!caller.ok) return caller;
  const clusterId = node.clusterId();
  if (caller.value.primaryClusterId !== clusterId) {
    return err({
      code: grpc.status.FAILED_PRECONDITION,
      details: `cluster id mismatch: secondary ${caller.value.secondaryId} expects primary cluster ${caller.value.primaryClusterId}, this is cluster ${clusterId}`,
    });
  }
  const state = servingPrimaryView(node.drState());
  if (state === undefined) {
    return err({
      code: grpc.status.FAILED_PRECONDITION,
      details: `cluster ${clusterId} is not an active DR primary (it is ${describe(node.drState())}): point the secondary at the current primary with update-primary`,
    });
  }
  return ok({ caller: caller.value, state });
}

export function checkLeader(node: DrPrimaryNode): Result<void, DrRefusal> {
  const l = node.leadership();
  return l.kind === 'leader' ? ok(undefined) : err(notLeaderRefusal(l.leaderDrAddress));
}

/**
 * A stream or snapshot call: the caller must be an active secondary with the right credential.
 * A caller at a newer epoch proves a newer primary exists: this primary fences itself.
 */
export async function authorizeSecondary(
  node: DrPrimaryNode,
  md: grpc.Metadata,
  nowMs: number,
): Promise<Result<{ caller: DrCaller; secondary: KnownSecondary }, DrRefusal>> {
  const base = checkCallerAndMode(node, md);
  if (!base.ok) return base;
  const { caller, state } = base.value;
  const known = checkSecondaryCredential(state, { secondaryId: caller.secondaryId, credentialHash: hashSecret(caller.credential) });
  if (!known.ok) return err(refusalFromError(known.error));
  if (caller.epoch > state.epoch) {
    await node.propose({ kind: 'fence', newerEpoch: caller.epoch, newerPrimaryClusterId: '(unknown: reported by a secondary)', newerPrimaryAddresses: [], nowMs });
    return err({
      code: grpc.status.FAILED_PRECONDITION,
      details: `secondary ${caller.secondaryId} knows epoch ${caller.epoch}, newer than this primary's ${state.epoch}: this primary is superseded and now refuses writes`,
    });
  }
  const leader = checkLeader(node);
  if (!leader.ok) return leader;
  return ok({ caller, secondary: known.value });
}

/** Re-checked between batches of a long stream: a revocation or fence ends it. */
export function stillAuthorized(node: DrPrimaryNode, caller: DrCaller): Result<void, DrRefusal> {
  const state = servingPrimaryView(node.drState());
  if (state === undefined) {
    return err({ code: grpc.status.FAILED_PRECONDITION, details: `cluster ${node.clusterId()} stopped being an active DR primary (it is ${describe(node.drState())})` });
  }
  const known = checkSecondaryCredential(state, { secondaryId: caller.secondaryId, credentialHash: hashSecret(caller.credential) });
  if (!known.ok) return err(refusalFromError(known.error));
  return checkLeader(node);
}
