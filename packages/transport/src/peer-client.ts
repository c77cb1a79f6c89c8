/** Peer addresses and the gRPC client (one channel) for one peer. */
import type { NodeId } from '@coffer/base';
import { nodeId } from '@coffer/base';
import type { RaftPeerClient } from '@coffer/wire';
import { loadProtos } from '@coffer/wire';
import type { PeerAddresses, ResolvedTransportOptions, TlsOptions } from './options.js';
import { channelCredentials } from './tls.js';

export function toAddressMap(peers: PeerAddresses): Map<NodeId, string> {
  const entries = peers instanceof Map ? [...peers.entries()] : Object.entries(peers);
  return new Map(entries.map(([id, addr]) => [nodeId(id), addr]));
}

export function createPeerClient(address: string, tls: TlsOptions | undefined, opts: ResolvedTransportOptions): RaftPeerClient {
  const RaftPeer = loadProtos().coffer.raft.v1.RaftPeer;
  return new RaftPeer(address, channelCredentials(tls), {
    'grpc.max_receive_message_length': opts.maxMessageBytes,
    // The channel's own reconnect backoff, bounded like the stream's (see PeerLink).
    'grpc.initial_reconnect_backoff_ms': opts.reconnectInitialMs,
    'grpc.max_reconnect_backoff_ms': opts.reconnectMaxMs,
    // A channel of its own per transport: closing one transport never touches another's.
    'grpc.use_local_subchannel_pool': 1,
  });
}
