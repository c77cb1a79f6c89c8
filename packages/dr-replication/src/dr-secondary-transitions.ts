/**
 * Transitions of a cluster acting as (or becoming, or ceasing to be) a DR secondary, and the DR
 * operation token bookkeeping. Same contract as dr-primary-transitions.ts: pure, an error
 * changes nothing.
 */
import type { CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import type { ActivationClaims } from './activation-token.js';
import type { DrOperationAuth } from './dr-auth.js';
import { checkDrOperationAuth } from './dr-auth.js';
import { modeError } from './dr-primary-transitions.js';
import type { DrState, LineageEntry, PrimaryLink, SecondaryState, SecondaryStreamState } from './dr-state.js';
import { checkClusterId, checkHash } from './validate.js';

type R = Result<DrState, CofferError>;

function linkFrom(claims: ActivationClaims, credential: string): Result<PrimaryLink, CofferError> {
  if (credential.length < 22) {
    return err(cofferError('invalid-request', 'the secondary credential must carry at least 128 random bits'));
  }
  return ok({
    primaryClusterId: claims.primaryClusterId,
    primaryAddresses: [...claims.primaryAddresses],
    secondaryId: claims.secondaryId,
    credential,
    ...(claims.primaryCaPem === undefined ? {} : { primaryCaPem: claims.primaryCaPem }),
  });
}

/**
 * secondary/enable, after the token was consumed on the primary (Activate). The node wipes the
 * cluster's data in the same apply (it is about to adopt the primary's), so this cluster leaves
 * its own lineage and joins the primary's: the one place where `epoch` may go down.
 * The first stream from a new link always starts with a snapshot (see stream-position.ts).
 */
export function enableSecondary(
  s: DrState,
  input: { readonly clusterId: string; readonly claims: ActivationClaims; readonly credential: string; readonly nowMs: number },
): R {
  if (s.mode !== 'disabled') {
    const hint =
      s.mode === 'secondary'
        ? 'use secondary/update-primary to follow another primary'
        : 'demote or disable the primary first';
    return modeError(s, 'enable DR secondary', hint);
  }
  const id = checkClusterId(input.clusterId, 'clusterId');
  if (!id.ok) return id;
  if (input.claims.primaryClusterId === input.clusterId) {
    return err(cofferError('invalid-request', `the activation token was issued by this cluster (${input.clusterId}): a cluster cannot be its own secondary`));
  }
  const link = linkFrom(input.claims, input.credential);
  if (!link.ok) return link;
  const next: SecondaryState = {
    mode: 'secondary',
    clusterId: input.clusterId,
    epoch: input.claims.epoch,
    lineage: [{ epoch: input.claims.epoch, primaryClusterId: input.claims.primaryClusterId, sinceMs: input.nowMs }],
    primary: link.value,
    streamState: 'idle',
    operationTokenHashes: [],
  };
  return ok(next);
}

/**
 * secondary/promote: the secondary becomes a primary at epoch + 1 (so its old primary, when it
 * hears of it, fences itself). Tokens, policies and data carry over: they are the replicated state.
 */
export function promoteSecondary(
  s: DrState,
  input: { readonly auth: DrOperationAuth | undefined; readonly nowMs: number },
): R {
  if (s.mode !== 'secondary') return modeError(s, 'promote', 'only a DR secondary can be promoted');
  const auth = checkDrOperationAuth(s, input.auth, 'promote', input.nowMs);
  if (!auth.ok) return auth;
  const epoch = s.epoch + 1;
  const entry: LineageEntry = { epoch, primaryClusterId: s.clusterId, sinceMs: input.nowMs };
  return ok({
    mode: 'primary',
    clusterId: s.clusterId,
    epoch,
    lineage: [...s.lineage, entry],
    secondaries: [],
    ...(s.primary === undefined ? {} : { formerPrimary: s.primary }),
  });
}

/** The former primary answered the promoted cluster's notice: stop telling it. Idempotent. */
export function forgetFormerPrimary(s: DrState): R {
  if (s.mode !== 'primary') return modeError(s, 'forget the former primary', 'only a promoted primary has one');
  if (s.formerPrimary === undefined) return ok(s);
  const { formerPrimary: _dropped, ...rest } = s;
  return ok(rest);
}

/**
 * secondary/update-primary: follow another primary (after its Activate succeeded), or none
 * (`claims` undefined, Vault's empty token). Also the way out for a fenced primary. A primary
 * older than what this cluster knows is refused: that is how two primaries never both win.
 */
export function updatePrimary(
  s: DrState,
  input: {
    readonly auth: DrOperationAuth | undefined;
    readonly claims: ActivationClaims | undefined;
    readonly credential: string;
    readonly nowMs: number;
  },
): R {
  if (s.mode === 'disabled') return modeError(s, 'update primary', 'enable it as a secondary with secondary/enable');
  if (s.mode === 'primary' && s.fence === undefined) {
    return modeError(s, 'update primary', 'an active primary must be demoted first (primary/demote)');
  }
  const auth = checkDrOperationAuth(s, input.auth, 'update-primary', input.nowMs);
  if (!auth.ok) return auth;
  const base = {
    mode: 'secondary' as const,
    clusterId: s.clusterId,
    streamState: 'idle' as const,
    operationTokenHashes: s.mode === 'secondary' ? s.operationTokenHashes : [],
  };
  if (input.claims === undefined) return ok({ ...base, epoch: s.epoch, lineage: s.lineage });
  const c = input.claims;
  if (c.primaryClusterId === s.clusterId) {
    return err(cofferError('invalid-request', `the activation token was issued by this cluster (${s.clusterId}): a cluster cannot follow itself`));
  }
  if (c.epoch < s.epoch) {
    return err(
      cofferError('conflict', `cluster ${c.primaryClusterId} is primary at epoch ${c.epoch}, older than epoch ${s.epoch} known here: refusing to follow an older primary; get a token from the newest primary`),
    );
  }
  const link = linkFrom(c, input.credential);
  if (!link.ok) return link;
  const last = s.lineage[s.lineage.length - 1];
  const isNewEntry = last === undefined || last.epoch !== c.epoch || last.primaryClusterId !== c.primaryClusterId;
  const lineage = isNewEntry
    ? [...s.lineage.filter((e) => e.epoch < c.epoch), { epoch: c.epoch, primaryClusterId: c.primaryClusterId, sinceMs: input.nowMs }]
    : s.lineage;
  return ok({ ...base, epoch: c.epoch, lineage, primary: link.value });
}

/** secondary/disable: becomes a standalone (writable) cluster with the data it has. */
export function disableSecondary(s: DrState, input: { readonly auth: DrOperationAuth | undefined; readonly nowMs: number }): R {
  if (s.mode !== 'secondary') return modeError(s, 'disable DR secondary', 'this cluster is not a DR secondary');
  const auth = checkDrOperationAuth(s, input.auth, 'secondary-disable', input.nowMs);
  if (!auth.ok) return auth;
  return ok({ mode: 'disabled', epoch: s.epoch, lineage: s.lineage });
}

/** The streamer's substate. Returns the same object when unchanged, so the node proposes only changes. */
export function setStreamState(s: DrState, streamState: SecondaryStreamState): R {
  if (s.mode !== 'secondary') return modeError(s, 'set the stream state', 'only a DR secondary streams');
  if (s.streamState === streamState) return ok(s);
  return ok({ ...s, streamState });
}

/** Stores a generated DR operation token (its hash) on the secondary. */
export function addOperationToken(s: DrState, input: { readonly tokenHash: string }): R {
  if (s.mode !== 'secondary') return modeError(s, 'store a DR operation token', 'DR operation tokens exist only on a DR secondary');
  const h = checkHash(input.tokenHash, 'tokenHash');
  if (!h.ok) return h;
  if (s.operationTokenHashes.includes(input.tokenHash)) return ok(s);
  return ok({ ...s, operationTokenHashes: [...s.operationTokenHashes, input.tokenHash] });
}

/** secondary/operation-token/delete: the presented token authorises deleting itself (or another). */
export function deleteOperationToken(
  s: DrState,
  input: { readonly auth: DrOperationAuth | undefined; readonly tokenHash: string; readonly nowMs: number },
): R {
  if (s.mode !== 'secondary') return modeError(s, 'delete a DR operation token', 'DR operation tokens exist only on a DR secondary');
  const auth = checkDrOperationAuth(s, input.auth, 'delete-operation-token', input.nowMs);
  if (!auth.ok) return auth;
  if (!s.operationTokenHashes.includes(input.tokenHash)) {
    return err(cofferError('not-found', 'no such DR operation token on this secondary (already deleted?)'));
  }
  return ok({ ...s, operationTokenHashes: s.operationTokenHashes.filter((h) => h !== input.tokenHash) });
}
