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
  LogicalOperation,
  HandleRequest,
  HandleResponse,
} from './ports.js';
export { NodeRuntime } from './runtime.js';
export { LeaderMaintenance, DEFAULT_MAINTENANCE } from './leader-maintenance.js';
export type { MaintenanceOptions } from './leader-maintenance.js';
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
export { createNodeHandlers, handleTraced, statusResponse, fromNodeError } from './node-api-service.js';
export type { NodeHandlerOptions } from './node-api-service.js';
export { SecretsStateMachine, txnPayload, rawKvPayload, restorePayload, encodeOutcome, decodeOutcome, KIND_TXN, KIND_RAW_KV, KIND_RESTORE, MAX_RESTORE_BYTES } from './secrets-state-machine.js';
export type { CoreWriteListener } from './secrets-state-machine.js';
export { RaftEntrySource } from './dr-entry-source.js';
export { RaftEntrySink } from './dr-entry-sink.js';
export { RaftDrPrimaryNode, sealedClusterId } from './dr-primary-node.js';
export type { RaftDrPrimaryNodeDeps } from './dr-primary-node.js';
export { DrProposer } from './dr-propose.js';
export { DrController } from './dr-controller.js';
export type { DrControllerDeps } from './dr-controller.js';
export { DR_BATCH_TOKEN_PREFIX } from './sys-dr.js';
export { KIND_DR, KIND_DR_BATCH, KIND_DR_SNAPSHOT, drCommandPayload } from './dr-local-state.js';
export { LogicalService, SEQ_STRIDE } from './logical-service.js';
export type { LogicalServiceDeps, LeaderResult } from './logical-service.js';
export { sealStatusBody, VERSION } from './sys-local.js';
export { decodeHandleRequest, encodeHandleRequest, encodeHandleResponse, decodeHandleResponse } from './handle-codec.js';
export { NodeApiClient, GrpcLeaderForwarder } from './node-api-client.js';
export { encodeSnapshotArchive, decodeSnapshotArchive, SNAPSHOT_FORMAT_VERSION, SNAPSHOT_CONTENT_TYPE } from './snapshot-archive.js';
export type { SnapshotHeader, SnapshotArchive } from './snapshot-archive.js';
export type { ClientOptions, ForwarderOptions } from './node-api-client.js';
export { utf8, fromUtf8 } from './bytes.js';
