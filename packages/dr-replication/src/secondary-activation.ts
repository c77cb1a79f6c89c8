/**
 * The secondary's half of secondary/enable and update-primary, before the node proposes the DR
 * command: check the token locally (malformed, expired, wrong id: clear errors without a network
 * call), choose a fresh credential, and consume the token at the primary (Activate). The node
 * then proposes `enable-secondary` (and wipes its data in the same apply) or `update-primary`
 * with the returned claims and credential. The token's secret is not kept (it is spent).
 */
import type { CofferError, Result } from '@coffer/base';
import { ok } from '@coffer/base';
import type { ActivationClaims } from './activation-token.js';
import { verifyActivationToken } from './activation-token.js';
import type { RandomBytes } from './encoding.js';
import { hashSecret, toBase64Url } from './encoding.js';
import type { CallOptions } from './primary-client.js';
import { activateAtPrimary } from './primary-client.js';

export interface Activated {
  /** The token's claims, with the spent secret blanked. */
  readonly claims: ActivationClaims;
  /** The new secondary credential (a secret: goes into the DR record behind the barrier). */
  readonly credential: string;
  /** The primary's epoch at activation. */
  readonly epoch: number;
}

export async function activateWithToken(
  token: string,
  input: { readonly nowMs: number; readonly secondaryId?: string; readonly random: RandomBytes } & CallOptions,
): Promise<Result<Activated, CofferError>> {
  const verified = verifyActivationToken(token, input.secondaryId === undefined ? { nowMs: input.nowMs } : { nowMs: input.nowMs, secondaryId: input.secondaryId });
  if (!verified.ok) return verified;
  const credential = toBase64Url(input.random(32));
  const options: CallOptions = {
    ...(input.tls === undefined ? {} : { tls: input.tls }),
    ...(input.deadlineMs === undefined ? {} : { deadlineMs: input.deadlineMs }),
  };
  const activated = await activateAtPrimary(verified.value, hashSecret(credential), options);
  if (!activated.ok) return activated;
  return ok({ claims: { ...verified.value, secret: '', epoch: activated.value.epoch }, credential, epoch: activated.value.epoch });
}
