/**
 * The identity a DR call carries (see proto/dr.proto) and the server's check of it. The
 * credential is a secret: it is hashed at once and never logged or echoed.
 */
import * as grpc from '@grpc/grpc-js';
import type { Result } from '@coffer/base';
import { err, ok } from '@coffer/base';
import { parseUint64 } from '@coffer/transport';

export const DR_PRIMARY_CLUSTER_ID_KEY = 'coffer-dr-primary-cluster-id';
export const DR_SECONDARY_ID_KEY = 'coffer-dr-secondary-id';
export const DR_CREDENTIAL_KEY = 'coffer-dr-credential';
export const DR_EPOCH_KEY = 'coffer-dr-epoch';
/** Trailer of a not-leader refusal: the DR address of the primary's leader, when known. */
export const DR_LEADER_ADDRESS_KEY = 'coffer-dr-leader-address';

export interface DrCaller {
  readonly primaryClusterId: string;
  readonly secondaryId: string;
  readonly credential: string;
  readonly epoch: number;
}

/** A refusal, as the gRPC status to answer with. */
export interface DrRefusal {
  readonly code: grpc.status;
  readonly details: string;
  readonly metadata?: grpc.Metadata;
}

export function callerMetadata(c: DrCaller): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set(DR_PRIMARY_CLUSTER_ID_KEY, c.primaryClusterId);
  md.set(DR_SECONDARY_ID_KEY, c.secondaryId);
  md.set(DR_CREDENTIAL_KEY, c.credential);
  md.set(DR_EPOCH_KEY, String(c.epoch));
  return md;
}

function single(md: grpc.Metadata, key: string): string | undefined {
  const [v] = md.get(key);
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function readCaller(md: grpc.Metadata): Result<DrCaller, DrRefusal> {
  const primaryClusterId = single(md, DR_PRIMARY_CLUSTER_ID_KEY);
  const secondaryId = single(md, DR_SECONDARY_ID_KEY);
  const credential = single(md, DR_CREDENTIAL_KEY);
  const epochText = single(md, DR_EPOCH_KEY);
  if (primaryClusterId === undefined || secondaryId === undefined || credential === undefined || epochText === undefined) {
    return err({
      code: grpc.status.UNAUTHENTICATED,
      details: `missing ${DR_PRIMARY_CLUSTER_ID_KEY}, ${DR_SECONDARY_ID_KEY}, ${DR_CREDENTIAL_KEY} or ${DR_EPOCH_KEY} metadata: the caller is not a coffer DR secondary`,
    });
  }
  const epoch = parseUint64(epochText, DR_EPOCH_KEY);
  if (!epoch.ok) return err({ code: grpc.status.INVALID_ARGUMENT, details: epoch.error.message });
  return ok({ primaryClusterId, secondaryId, credential, epoch: epoch.value });
}

export function notLeaderRefusal(leaderDrAddress: string | undefined): DrRefusal {
  const metadata = new grpc.Metadata();
  if (leaderDrAddress !== undefined) metadata.set(DR_LEADER_ADDRESS_KEY, leaderDrAddress);
  return {
    code: grpc.status.UNAVAILABLE,
    details: `not-leader: this node is not the DR primary's leader${leaderDrAddress === undefined ? ' (leader unknown)' : `; the leader is at ${leaderDrAddress}`}`,
    metadata,
  };
}
