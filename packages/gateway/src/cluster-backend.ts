/**
 * The production wiring of the backend: a ClusterRouter over gRPC NodeHandleClients. Embedded in
 * a node, `nodes` is that node's own cluster address (it forwards to the leader itself);
 * stand-alone, it is every node of the cluster.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@coffer/base';
import { ClusterRouter, type ClusterRouterOptions } from './cluster-router.js';
import { NodeHandleClient } from './node-handle-client.js';

export interface ClusterBackendOptions extends Omit<ClusterRouterOptions, 'connect'> {
  /** Channel credentials for the node API (default insecure: loopback or a trusted network only). */
  readonly credentials?: grpc.ChannelCredentials;
  readonly logger?: Logger;
}

export function createClusterBackend(o: ClusterBackendOptions): ClusterRouter {
  const { credentials, ...rest } = o;
  return new ClusterRouter({ ...rest, connect: (address) => new NodeHandleClient(address, credentials) });
}

/** "host:port,host:port" -> addresses; throws on an empty list or a part without a port. */
export function parseNodeList(s: string): string[] {
  const parts = s.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw new Error('--nodes needs at least one host:port');
  for (const p of parts) if (!/^[^\s:]+:\d{1,5}$/.test(p) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(p)) throw new Error(`--nodes: "${p}" is not host:port`);
  return parts;
}
