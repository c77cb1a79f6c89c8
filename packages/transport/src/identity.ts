/**
 * Who is calling. Every call carries the sender's cluster id and node id, and the node id it meant
 * to reach, in gRPC metadata. The server checks them before reading a single message, so a node of
 * another cluster (a copy-pasted address list) or a node that is not a member is refused with a
 * status that says exactly what is wrong.
 */
import * as grpc from '@grpc/grpc-js';
import type { NodeId, Result } from '@coffer/base';
import { err, nodeId, ok } from '@coffer/base';

export const CLUSTER_ID_KEY = 'coffer-cluster-id';
export const NODE_ID_KEY = 'coffer-node-id';
export const TARGET_ID_KEY = 'coffer-target-id';

export interface Identity {
  readonly clusterId: string;
  readonly nodeId: NodeId;
}

/** A refusal, as the gRPC status the server answers with. */
export interface Refusal {
  readonly code: grpc.status;
  readonly details: string;
}

export function identityMetadata(self: Identity, target: NodeId): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set(CLUSTER_ID_KEY, self.clusterId);
  md.set(NODE_ID_KEY, self.nodeId);
  md.set(TARGET_ID_KEY, target);
  return md;
}

function single(md: grpc.Metadata, key: string): string | undefined {
  const [v] = md.get(key);
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The sender's node id when it may talk to this node, or the refusal to answer with. */
export function checkIdentity(
  md: grpc.Metadata,
  self: Identity,
  isMember: (id: NodeId) => boolean,
): Result<NodeId, Refusal> {
  const cluster = single(md, CLUSTER_ID_KEY);
  const sender = single(md, NODE_ID_KEY);
  const target = single(md, TARGET_ID_KEY);
  if (cluster === undefined || sender === undefined || target === undefined) {
    return err({
      code: grpc.status.UNAUTHENTICATED,
      details: `missing ${CLUSTER_ID_KEY}, ${NODE_ID_KEY} or ${TARGET_ID_KEY} metadata: the caller is not a coffer node`,
    });
  }
  if (cluster !== self.clusterId) {
    return err({
      code: grpc.status.FAILED_PRECONDITION,
      details: `cluster id mismatch: node ${self.nodeId} is in cluster ${self.clusterId}, peer ${sender} is in cluster ${cluster}`,
    });
  }
  if (target !== self.nodeId) {
    return err({
      code: grpc.status.FAILED_PRECONDITION,
      details: `this is node ${self.nodeId}, not ${target}: peer ${sender} has a wrong address for ${target}`,
    });
  }
  const id = nodeId(sender);
  if (!isMember(id)) {
    return err({
      code: grpc.status.PERMISSION_DENIED,
      details: `peer ${sender} is not a member of cluster ${self.clusterId} (as known to node ${self.nodeId})`,
    });
  }
  return ok(id);
}

/**
 * With mutual TLS, the node id a peer claims must be its certificate's CN or one of its DNS
 * subject alternative names: a valid cluster certificate is not a licence to speak for another
 * node. `cert` is the peer certificate from the call's auth context (undefined without TLS).
 */
export function checkCertificateName(
  cert: { readonly subject?: { readonly CN?: string | string[] }; readonly subjectaltname?: string } | undefined,
  sender: NodeId,
): Result<void, Refusal> {
  const cn = cert?.subject?.CN;
  const names = [
    ...(Array.isArray(cn) ? cn : cn === undefined ? [] : [cn]),
    ...(cert?.subjectaltname ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.startsWith('DNS:'))
      .map((s) => s.slice(4)),
  ];
  if (names.includes(sender)) return ok(undefined);
  return err({
    code: grpc.status.PERMISSION_DENIED,
    details: `peer claims to be ${sender} but its TLS certificate names ${names.length > 0 ? names.join(', ') : 'nothing'}`,
  });
}

/** Codes that mean "the peer refused us" (configuration errors), as opposed to network trouble. */
export function isRefusal(code: grpc.status): boolean {
  return (
    code === grpc.status.FAILED_PRECONDITION ||
    code === grpc.status.PERMISSION_DENIED ||
    code === grpc.status.UNAUTHENTICATED
  );
}
