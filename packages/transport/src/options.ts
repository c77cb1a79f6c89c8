/** RaftTransport's options, their defaults, and the counters it keeps. */
import type { Logger, NodeId, Rng } from '@coffer/base';

export interface TlsOptions {
  /** PEM of the cluster CA: peers' certificates must chain to it (both directions). */
  readonly caPem: string | Uint8Array;
  /** This node's certificate (PEM), used as server and as client certificate. */
  readonly certPem: string | Uint8Array;
  readonly keyPem: string | Uint8Array;
}

export type PeerAddresses = ReadonlyMap<NodeId, string> | Readonly<Record<string, string>>;

export interface RaftTransportOptions {
  readonly nodeId: NodeId;
  readonly clusterId: string;
  /** host:port to listen on; `127.0.0.1:0` picks an ephemeral port (see start()). */
  readonly listenAddress: string;
  /** Every other member's address. Entries for this node's own id are ignored. */
  readonly peers: PeerAddresses;
  /** Mutual TLS when set; plaintext otherwise. */
  readonly tls?: TlsOptions;
  /** Largest snapshot this node accepts (bytes). Default 256 MiB. */
  readonly maxSnapshotBytes?: number;
  /** Size of one InstallSnapshot chunk (bytes). Default 1 MiB. */
  readonly snapshotChunkBytes?: number;
  readonly logger?: Logger;
  /** Randomness for reconnect jitter and fault drops. Default Math.random. */
  readonly rng?: Rng;
  /** Clock for log rate-limiting. Default Date.now. */
  readonly nowMs?: () => number;
  /** Messages waiting per peer for the stream; more are dropped (raft retransmits). Default 4096. */
  readonly maxQueuedMessages?: number;
  /** Upper bounds for one MessageBatch. Defaults 512 messages, 1 MiB of entry data. */
  readonly maxBatchMessages?: number;
  readonly maxBatchBytes?: number;
  /** Unacknowledged batches per stream before the sender waits. Default 32. */
  readonly maxInflightBatches?: number;
  /** A stream whose oldest batch stays unacknowledged this long is treated as broken. Default 10 s. */
  readonly ackTimeoutMs?: number;
  /** Reconnect backoff bounds. Defaults 50 ms and 2 s. */
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
  /** Deadline of one InstallSnapshot call. Default 120 s. */
  readonly snapshotTimeoutMs?: number;
  /** gRPC receive limit for one message (a batch or a chunk). Default 64 MiB. */
  readonly maxMessageBytes?: number;
  /** Interval for repeated identical warnings. Default 10 s. */
  readonly logIntervalMs?: number;
  /** Enables setFaults()/clearFaults(). Tests only: never set it in a production config. */
  readonly unsafeFaultInjection?: boolean;
}

export interface ResolvedTransportOptions {
  readonly maxSnapshotBytes: number;
  readonly snapshotChunkBytes: number;
  readonly maxQueuedMessages: number;
  readonly maxBatchMessages: number;
  readonly maxBatchBytes: number;
  readonly maxInflightBatches: number;
  readonly ackTimeoutMs: number;
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  readonly snapshotTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly logIntervalMs: number;
}

export function resolveOptions(o: RaftTransportOptions): ResolvedTransportOptions {
  const r: ResolvedTransportOptions = {
    maxSnapshotBytes: o.maxSnapshotBytes ?? 256 * 1024 * 1024,
    snapshotChunkBytes: o.snapshotChunkBytes ?? 1024 * 1024,
    maxQueuedMessages: o.maxQueuedMessages ?? 4096,
    maxBatchMessages: o.maxBatchMessages ?? 512,
    maxBatchBytes: o.maxBatchBytes ?? 1024 * 1024,
    maxInflightBatches: o.maxInflightBatches ?? 32,
    ackTimeoutMs: o.ackTimeoutMs ?? 10_000,
    reconnectInitialMs: o.reconnectInitialMs ?? 50,
    reconnectMaxMs: o.reconnectMaxMs ?? 2_000,
    snapshotTimeoutMs: o.snapshotTimeoutMs ?? 120_000,
    maxMessageBytes: o.maxMessageBytes ?? 64 * 1024 * 1024,
    logIntervalMs: o.logIntervalMs ?? 10_000,
  };
  for (const [k, v] of Object.entries(r)) {
    if (!(Number.isSafeInteger(v) && v > 0)) throw new RangeError(`RaftTransport option ${k} must be a positive integer, got ${v}`);
  }
  if (r.snapshotChunkBytes + 64 * 1024 > r.maxMessageBytes) {
    throw new RangeError('snapshotChunkBytes must leave 64 KiB of headroom below maxMessageBytes');
  }
  if (r.reconnectInitialMs > r.reconnectMaxMs) throw new RangeError('reconnectInitialMs must be <= reconnectMaxMs');
  return r;
}

/** Per-peer counters. Drops are counted by cause; raft retransmits all of them. */
export interface PeerCounters {
  sentMessages: number;
  sentBatches: number;
  droppedQueueFull: number;
  droppedPeerDown: number;
  droppedFault: number;
  snapshotsSent: number;
  snapshotsFailed: number;
  /** Snapshots not sent because one to the same peer was still in flight. */
  snapshotsSkipped: number;
  streamsOpened: number;
  streamsBroken: number;
  receivedMessages: number;
  rejectedMessages: number;
  droppedInboundFault: number;
}

export const newCounters = (): PeerCounters => ({
  sentMessages: 0,
  sentBatches: 0,
  droppedQueueFull: 0,
  droppedPeerDown: 0,
  droppedFault: 0,
  snapshotsSent: 0,
  snapshotsFailed: 0,
  snapshotsSkipped: 0,
  streamsOpened: 0,
  streamsBroken: 0,
  receivedMessages: 0,
  rejectedMessages: 0,
  droppedInboundFault: 0,
});
