/**
 * Transitions of a cluster acting as (or becoming, or ceasing to be) a DR primary. Each takes
 * the current record and returns the next one, or an error value that says what is wrong and what
 * to do; an error changes nothing. Time arrives as `nowMs` (the leader's clock when it proposes).
 */
import type { CofferError, Err, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import type { DrState, KnownSecondary, PrimaryState, SecondaryState } from './dr-state.js';
import { checkClusterId, checkHash, checkMs, checkSecondaryId } from './validate.js';

/** Vault's default activation token TTL. */
export const DEFAULT_SECONDARY_TOKEN_TTL_MS = 30 * 60_000;

type R = Result<DrState, CofferError>;

export function modeError(s: DrState, action: string, need: string): Err<CofferError> {
  const fenced = s.mode === 'primary' && s.fence !== undefined ? ' (fenced)' : '';
  return err(cofferError('invalid-request', `cannot ${action}: this cluster is ${describeMode(s)}${fenced}; ${need}`));
}

function describeMode(s: DrState): string {
  switch (s.mode) {
    case 'disabled':
      return 'not in DR replication';
    case 'primary':
      return 'a DR primary';
    case 'secondary':
      return s.primary === undefined ? 'a DR secondary with no primary' : 'a DR secondary';
  }
}

/** primary/enable: a standalone cluster becomes a DR primary at a new epoch. */
export function enablePrimary(s: DrState, input: { readonly clusterId: string; readonly nowMs: number }): R {
  if (s.mode !== 'disabled') {
    return modeError(s, 'enable DR primary', 'only a cluster with DR replication disabled can become a primary (promote a secondary instead)');
  }
  const id = checkClusterId(input.clusterId, 'clusterId');
  if (!id.ok) return id;
  const now = checkMs(input.nowMs, 'nowMs');
  if (!now.ok) return now;
  const epoch = s.epoch + 1;
  return ok({
    mode: 'primary',
    clusterId: input.clusterId,
    epoch,
    lineage: [...s.lineage, { epoch, primaryClusterId: input.clusterId, sinceMs: input.nowMs }],
    secondaries: [],
  });
}

function requireActivePrimary(s: DrState, action: string): Result<PrimaryState, CofferError> {
  if (s.mode !== 'primary') return modeError(s, action, 'run it on the DR primary');
  if (s.fence !== undefined) {
    return modeError(s, action, `cluster ${s.fence.newerPrimaryClusterId} is the newer primary (epoch ${s.fence.newerEpoch}); run update-primary here first`);
  }
  return ok(s);
}

/** primary/secondary-token: records a pending activation for `secondaryId` (hash of the token's secret). */
export function issueSecondaryToken(
  s: DrState,
  input: { readonly secondaryId: string; readonly secretHash: string; readonly nowMs: number; readonly ttlMs: number },
): R {
  const p = requireActivePrimary(s, 'create a secondary activation token');
  if (!p.ok) return p;
  const checks = [
    checkSecondaryId(input.secondaryId),
    checkHash(input.secretHash, 'secretHash'),
    checkMs(input.nowMs, 'nowMs'),
  ];
  for (const c of checks) if (!c.ok) return c;
  if (!Number.isSafeInteger(input.ttlMs) || input.ttlMs <= 0) {
    return err(cofferError('invalid-request', `ttl must be a positive duration, got ${String(input.ttlMs)} ms`));
  }
  const existing = p.value.secondaries.find((x) => x.id === input.secondaryId);
  if (existing !== undefined && existing.state === 'active') {
    return err(
      cofferError('conflict', `secondary "${input.secondaryId}" is already active: revoke it first (primary/revoke-secondary) to issue a new token`),
    );
  }
  // A pending (unused) or revoked entry is replaced: the newest token is the only valid one.
  const entry: KnownSecondary = {
    id: input.secondaryId,
    state: 'token-issued',
    activationSecretHash: input.secretHash,
    issuedAtMs: input.nowMs,
    tokenExpiresAtMs: input.nowMs + input.ttlMs,
  };
  return ok({ ...p.value, secondaries: [...p.value.secondaries.filter((x) => x.id !== input.secondaryId), entry] });
}

/** primary/revoke-secondary: the secondary's token or credential stops working at once. */
export function revokeSecondary(s: DrState, input: { readonly secondaryId: string; readonly nowMs: number }): R {
  if (s.mode !== 'primary') return modeError(s, 'revoke a secondary', 'run it on the DR primary');
  const found = s.secondaries.find((x) => x.id === input.secondaryId);
  if (found === undefined) {
    return err(cofferError('not-found', `no secondary "${input.secondaryId}" is known to this primary`));
  }
  if (found.state === 'revoked') return ok(s); // idempotent: a retried revoke changes nothing
  const revoked: KnownSecondary = { ...found, state: 'revoked', revokedAtMs: input.nowMs };
  return ok({ ...s, secondaries: s.secondaries.map((x) => (x.id === input.secondaryId ? revoked : x)) });
}

/**
 * Consumes an activation token on the primary (the Activate RPC). Each failure is distinct:
 * unknown id, secret of another secondary, revoked, already used, expired.
 */
export function activateSecondary(
  s: DrState,
  input: { readonly secondaryId: string; readonly secretHash: string; readonly credentialHash: string; readonly nowMs: number },
): R {
  const p = requireActivePrimary(s, 'activate a secondary');
  if (!p.ok) return p;
  const hash = checkHash(input.credentialHash, 'credentialHash');
  if (!hash.ok) return hash;
  const found = p.value.secondaries.find((x) => x.id === input.secondaryId);
  if (found === undefined || found.activationSecretHash !== input.secretHash) {
    const other = p.value.secondaries.find((x) => x.activationSecretHash === input.secretHash);
    if (other !== undefined) {
      return err(cofferError('permission-denied', `wrong secondary id: this activation token was issued for "${other.id}", not "${input.secondaryId}"`));
    }
    return err(
      cofferError('permission-denied', `activation token not recognised by this primary for secondary "${input.secondaryId}": it was replaced or never issued; create a new one with primary/secondary-token`),
    );
  }
  if (found.state === 'revoked') {
    return err(cofferError('permission-denied', `secondary "${found.id}" was revoked on the primary; create a new activation token`));
  }
  if (found.state === 'active') {
    return err(cofferError('permission-denied', `activation token for "${found.id}" was already used (tokens are single-use); create a new one after revoking the secondary`));
  }
  if (input.nowMs >= found.tokenExpiresAtMs) {
    return err(
      cofferError('permission-denied', `activation token for "${found.id}" expired at ${new Date(found.tokenExpiresAtMs).toISOString()}; create a new one`),
    );
  }
  const active: KnownSecondary = { ...found, state: 'active', credentialHash: input.credentialHash, activatedAtMs: input.nowMs };
  return ok({ ...p.value, secondaries: p.value.secondaries.map((x) => (x.id === found.id ? active : x)) });
}

/** Query for the stream's auth check: the active secondary whose credential hash matches. */
export function checkSecondaryCredential(
  s: DrState,
  input: { readonly secondaryId: string; readonly credentialHash: string },
): Result<KnownSecondary, CofferError> {
  const p = requireActivePrimary(s, 'stream to a secondary');
  if (!p.ok) return p;
  const found = p.value.secondaries.find((x) => x.id === input.secondaryId);
  if (found === undefined) {
    return err(cofferError('permission-denied', `secondary "${input.secondaryId}" is not known to this primary; activate it with a secondary-token`));
  }
  if (found.state === 'revoked') {
    return err(cofferError('permission-denied', `secondary "${found.id}" was revoked on the primary; it must be re-enabled with a new activation token`));
  }
  if (found.state !== 'active' || found.credentialHash !== input.credentialHash) {
    return err(cofferError('permission-denied', `wrong credential for secondary "${found.id}": re-enable it with a new activation token`));
  }
  return ok(found);
}

/** primary/demote: becomes a secondary with no primary; keeps its data, epoch and lineage. */
export function demotePrimary(s: DrState): R {
  if (s.mode !== 'primary') return modeError(s, 'demote', 'only a DR primary can be demoted');
  const draining = s.fence === undefined ? s.secondaries.filter((x) => x.state === 'active') : [];
  const next: SecondaryState = {
    mode: 'secondary',
    clusterId: s.clusterId,
    epoch: s.epoch,
    lineage: s.lineage,
    streamState: 'idle',
    operationTokenHashes: [],
    ...(draining.length === 0 ? {} : { drainingTo: draining }),
  };
  return ok(next);
}

/** primary/disable: back to a standalone cluster. Its secondaries must be re-enabled after a re-enable. */
export function disablePrimary(s: DrState): R {
  if (s.mode !== 'primary') return modeError(s, 'disable DR primary', 'this cluster is not a DR primary');
  return ok({ mode: 'disabled', epoch: s.epoch, lineage: s.lineage });
}

/**
 * A primary learns that a newer primary exists (a secondary connected with a higher epoch, or the
 * promoted cluster notified it). Idempotent; a notice that is not newer is refused.
 */
export function fencePrimary(
  s: DrState,
  input: { readonly newerEpoch: number; readonly newerPrimaryClusterId: string; readonly newerPrimaryAddresses: readonly string[]; readonly nowMs: number },
): R {
  if (s.mode !== 'primary') return modeError(s, 'fence', 'only a DR primary is fenced');
  if (input.newerEpoch <= s.epoch) {
    return err(cofferError('invalid-request', `epoch ${input.newerEpoch} is not newer than this primary's epoch ${s.epoch}: not fencing`));
  }
  if (s.fence !== undefined && s.fence.newerEpoch >= input.newerEpoch) return ok(s);
  return ok({
    ...s,
    fence: {
      newerEpoch: input.newerEpoch,
      newerPrimaryClusterId: input.newerPrimaryClusterId,
      newerPrimaryAddresses: [...input.newerPrimaryAddresses],
      fencedAtMs: input.nowMs,
    },
  });
}
