/**
 * One-shot calls from a secondary (or a promoted cluster) to a primary: Activate (secondary/enable
 * and update-primary consume their token with it) and NotifyNewerPrimary (a promoted cluster fences
 * its old primary). Each tries the primary's addresses in order and follows one not-leader hint
 * per address; every call has a deadline.
 */
import * as grpc from '@grpc/grpc-js';
import type { CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import { parseUint64 } from '@coffer/transport';
import { loadProtos } from '@coffer/wire';
import type { DrPrimaryClient } from '@coffer/wire';
import type { ActivationClaims } from './activation-token.js';
import { DR_LEADER_ADDRESS_KEY, callerMetadata } from './dr-metadata.js';
import type { DrTlsOptions } from './tls.js';
import { drChannelCredentials } from './tls.js';

export interface CallOptions {
  readonly tls?: DrTlsOptions;
  /** Per attempt (default 5000 ms). */
  readonly deadlineMs?: number;
}

function makeClient(address: string, tls: DrTlsOptions | undefined): DrPrimaryClient {
  return new (loadProtos().coffer.dr.v1.DrPrimary)(address, drChannelCredentials(tls));
}

function toError(e: grpc.ServiceError, address: string): CofferError {
  switch (e.code) {
    case grpc.status.PERMISSION_DENIED:
    case grpc.status.UNAUTHENTICATED:
      return cofferError('permission-denied', e.details);
    case grpc.status.FAILED_PRECONDITION:
    case grpc.status.INVALID_ARGUMENT:
      return cofferError('invalid-request', e.details);
    case grpc.status.DEADLINE_EXCEEDED:
      return cofferError('timeout', `the DR primary at ${address} did not answer in time`);
    default:
      return cofferError('unavailable', `cannot reach the DR primary at ${address}: ${e.details}`);
  }
}

/** Runs `call` against the primary's leader: addresses in order, following one hint each. */
async function onLeader<T>(
  addresses: readonly string[],
  options: CallOptions,
  call: (client: DrPrimaryClient, deadline: Date) => Promise<T>,
): Promise<Result<T, CofferError>> {
  let last: CofferError = cofferError('unavailable', 'the token names no primary address');
  for (const first of addresses) {
    let address: string | undefined = first;
    for (let hop = 0; hop < 2 && address !== undefined; hop++) {
      const client = makeClient(address, options.tls);
      try {
        return ok(await call(client, new Date(Date.now() + (options.deadlineMs ?? 5_000))));
      } catch (e: unknown) {
        const se = e as grpc.ServiceError;
        if (se.code === grpc.status.UNAVAILABLE && typeof se.details === 'string' && se.details.startsWith('not-leader')) {
          const [hint] = se.metadata.get(DR_LEADER_ADDRESS_KEY);
          last = cofferError('unavailable', se.details);
          address = typeof hint === 'string' && hint !== address ? hint : undefined;
          continue;
        }
        last = toError(se, address);
        // A refusal is an answer from the primary: another address would say the same.
        if (last.kind === 'permission-denied' || last.kind === 'invalid-request') return err(last);
        address = undefined;
      } finally {
        client.close();
      }
    }
  }
  return err(last);
}

/** Consumes the activation token at the primary; `credential` is the secret this secondary chose. */
export async function activateAtPrimary(
  claims: ActivationClaims,
  credentialHash: string,
  options: CallOptions = {},
): Promise<Result<{ readonly epoch: number; readonly primaryClusterId: string }, CofferError>> {
  const md = callerMetadata({ primaryClusterId: claims.primaryClusterId, secondaryId: claims.secondaryId, credential: claims.secret, epoch: claims.epoch });
  const r = await onLeader(claims.primaryAddresses, options, (client, deadline) =>
    new Promise<{ epoch: string; primary_cluster_id: string }>((resolve, reject) => {
      client.Activate({ credential_hash: credentialHash }, md, { deadline }, (e, res) => (e !== null || res === undefined ? reject(e) : resolve(res)));
    }),
  );
  if (!r.ok) return r;
  const epoch = parseUint64(r.value.epoch, 'epoch');
  if (!epoch.ok) return epoch;
  return ok({ epoch: epoch.value, primaryClusterId: r.value.primary_cluster_id });
}

/** Tells the old primary that `epoch` (this promoted cluster) supersedes it. Best effort. */
export async function notifyOldPrimary(
  input: {
    readonly oldPrimaryClusterId: string;
    readonly oldPrimaryAddresses: readonly string[];
    readonly secondaryId: string;
    readonly credential: string;
    readonly newEpoch: number;
    readonly newPrimaryClusterId: string;
    readonly newPrimaryAddresses: readonly string[];
  },
  options: CallOptions = {},
): Promise<Result<{ readonly fenced: boolean }, CofferError>> {
  const md = callerMetadata({ primaryClusterId: input.oldPrimaryClusterId, secondaryId: input.secondaryId, credential: input.credential, epoch: input.newEpoch });
  return onLeader(input.oldPrimaryAddresses, options, (client, deadline) =>
    new Promise<{ fenced: boolean }>((resolve, reject) => {
      client.NotifyNewerPrimary(
        { epoch: String(input.newEpoch), new_primary_cluster_id: input.newPrimaryClusterId, new_primary_addresses: [...input.newPrimaryAddresses] },
        md,
        { deadline },
        (e, res) => (e !== null || res === undefined ? reject(e) : resolve({ fenced: res.fenced })),
      );
    }),
  );
}
