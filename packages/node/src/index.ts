export type {
  RaftCore,
  PersistBatch,
  LogStore,
  KvWrite,
  KvPair,
  StateStore,
  ClientRequestId,
  Command,
  ApplyOutcome,
  StateMachine,
  TransportFaults,
  Transport,
  ForwardedPropose,
  LeaderForwarder,
} from './ports.js';
export { NodeRuntime } from './runtime.js';
export type { RuntimeDeps, RuntimeTiming, SnapshotPolicy } from './runtime.js';
export { NodeOps } from './node-ops.js';
export type { ProposeOutcome, ReadOutcome } from './node-ops.js';
export { KvStateMachine, encodeKvCommand, decodeKvCommand, KV_RESULT } from './kv-state-machine.js';
export type { KvCommand } from './kv-state-machine.js';
export { DedupTable } from './dedup-table.js';
export type { DedupVerdict } from './dedup-table.js';
export { MonotonicTicker } from './ticker.js';
export { MemoryLogStore, MemoryStateStore } from './memory-twins.js';
export { MemoryNetwork, MemoryTransport } from './memory-network.js';
export { createNodeHandlers, statusResponse, fromNodeError } from './node-api-service.js';
export { NodeApiClient, GrpcLeaderForwarder } from './node-api-client.js';
export type { ClientOptions } from './node-api-client.js';
export { utf8, fromUtf8 } from './bytes.js';
