/**
 * Every DR record change as data: what the node proposes through raft and applies on every node
 * with `applyDrCommand`. Times and authorisations are in the command (decided by the proposer), so
 * applying is deterministic: every node reaches the same record.
 */
import type { CofferError, Result } from '@coffer/base';
import type { ActivationClaims } from './activation-token.js';
import type { DrOperationAuth } from './dr-auth.js';
import {
  activateSecondary,
  demotePrimary,
  disablePrimary,
  enablePrimary,
  fencePrimary,
  issueSecondaryToken,
  revokeSecondary,
} from './dr-primary-transitions.js';
import {
  addOperationToken,
  deleteOperationToken,
  disableSecondary,
  enableSecondary,
  forgetFormerPrimary,
  promoteSecondary,
  setStreamState,
  updatePrimary,
} from './dr-secondary-transitions.js';
import type { DrState, SecondaryStreamState } from './dr-state.js';

export type DrCommand =
  | { readonly kind: 'enable-primary'; readonly clusterId: string; readonly nowMs: number }
  | { readonly kind: 'issue-secondary-token'; readonly secondaryId: string; readonly secretHash: string; readonly nowMs: number; readonly ttlMs: number }
  | { readonly kind: 'revoke-secondary'; readonly secondaryId: string; readonly nowMs: number }
  | { readonly kind: 'activate-secondary'; readonly secondaryId: string; readonly secretHash: string; readonly credentialHash: string; readonly nowMs: number }
  | { readonly kind: 'demote' }
  | { readonly kind: 'disable-primary' }
  | { readonly kind: 'fence'; readonly newerEpoch: number; readonly newerPrimaryClusterId: string; readonly newerPrimaryAddresses: readonly string[]; readonly nowMs: number }
  | { readonly kind: 'enable-secondary'; readonly clusterId: string; readonly claims: ActivationClaims; readonly credential: string; readonly nowMs: number }
  | { readonly kind: 'promote'; readonly auth: DrOperationAuth | undefined; readonly nowMs: number }
  | { readonly kind: 'update-primary'; readonly auth: DrOperationAuth | undefined; readonly claims: ActivationClaims | undefined; readonly credential: string; readonly nowMs: number }
  | { readonly kind: 'disable-secondary'; readonly auth: DrOperationAuth | undefined; readonly nowMs: number }
  | { readonly kind: 'forget-former-primary' }
  | { readonly kind: 'set-stream-state'; readonly streamState: SecondaryStreamState }
  | { readonly kind: 'add-operation-token'; readonly tokenHash: string }
  | { readonly kind: 'delete-operation-token'; readonly auth: DrOperationAuth | undefined; readonly tokenHash: string; readonly nowMs: number };

export function applyDrCommand(s: DrState, c: DrCommand): Result<DrState, CofferError> {
  switch (c.kind) {
    case 'enable-primary':
      return enablePrimary(s, c);
    case 'issue-secondary-token':
      return issueSecondaryToken(s, c);
    case 'revoke-secondary':
      return revokeSecondary(s, c);
    case 'activate-secondary':
      return activateSecondary(s, c);
    case 'demote':
      return demotePrimary(s);
    case 'disable-primary':
      return disablePrimary(s);
    case 'fence':
      return fencePrimary(s, c);
    case 'enable-secondary':
      return enableSecondary(s, c);
    case 'promote':
      return promoteSecondary(s, c);
    case 'update-primary':
      return updatePrimary(s, c);
    case 'disable-secondary':
      return disableSecondary(s, c);
    case 'forget-former-primary':
      return forgetFormerPrimary(s);
    case 'set-stream-state':
      return setStreamState(s, c.streamState);
    case 'add-operation-token':
      return addOperationToken(s, c);
    case 'delete-operation-token':
      return deleteOperationToken(s, c);
  }
}
