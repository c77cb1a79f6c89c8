/**
 * @coffer/dr-replication: DR primary/secondary replication between two clusters. See README.md
 * for how the pieces fit and what the node must provide.
 */
// The replicated DR record and its transitions (pure).
export type {
  DrMode,
  SecondaryStreamState,
  LineageEntry,
  KnownSecondaryState,
  KnownSecondary,
  PrimaryLink,
  Fence,
  DisabledState,
  PrimaryState,
  SecondaryState,
  DrState,
} from './dr-state.js';
export { INITIAL_DR_STATE, isWritable, servesClients, writeRefusal, currentPrimary, servingPrimaryView } from './dr-state.js';
export {
  DEFAULT_SECONDARY_TOKEN_TTL_MS,
  enablePrimary,
  issueSecondaryToken,
  revokeSecondary,
  activateSecondary,
  checkSecondaryCredential,
  demotePrimary,
  disablePrimary,
  fencePrimary,
} from './dr-primary-transitions.js';
export {
  enableSecondary,
  promoteSecondary,
  updatePrimary,
  disableSecondary,
  forgetFormerPrimary,
  setStreamState,
  addOperationToken,
  deleteOperationToken,
} from './dr-secondary-transitions.js';
export type { DrCommand } from './dr-command.js';
export { applyDrCommand } from './dr-command.js';
export type { DrGuardedOperation, DrBatchTokenRecord, DrOperationAuth } from './dr-auth.js';
export { DR_GUARDED_OPERATIONS, checkDrBatchToken, checkDrOperationAuth } from './dr-auth.js';
export type { StreamPosition, StreamStart, BatchPlan } from './stream-position.js';
export { streamStart, planBatch } from './stream-position.js';

// Tokens.
export type { RandomBytes } from './encoding.js';
export { hashSecret } from './encoding.js';
export type { ActivationClaims, MintInput, MintedToken, VerifyExpectations } from './activation-token.js';
export { mintActivationToken, decodeActivationToken, verifyActivationToken } from './activation-token.js';
export type { VerifyShares, GenerationStatus, Completed } from './operation-token.js';
export { OperationTokenGenerator, OPERATION_TOKEN_OTP_LENGTH, encodeWithOtp, decodeOperationToken } from './operation-token.js';
export { MAX_DR_BATCH_TOKEN_TTL_MS, mintDrBatchToken } from './batch-token.js';

// Streaming over gRPC (proto/dr.proto).
export type { DrEntryRecord, DrSnapshot, EntrySource, Leadership, DrPrimaryNode, EntrySink } from './ports.js';
export type { DrPrimaryServerOptions, SecondaryConnection } from './primary-server.js';
export { DrPrimaryServer, drPrimaryServiceDefinition, listenDrPrimary } from './primary-server.js';
export type { DrConnectionState, DrStreamerOptions, DrStreamerStatus } from './streamer.js';
export type { DrTlsOptions } from './tls.js';
export { drServerCredentials, drChannelCredentials } from './tls.js';
export { DrStreamer } from './streamer.js';
export type { CallOptions } from './primary-client.js';
export { activateAtPrimary, notifyOldPrimary } from './primary-client.js';
export {
  DR_PRIMARY_CLUSTER_ID_KEY,
  DR_SECONDARY_ID_KEY,
  DR_CREDENTIAL_KEY,
  DR_EPOCH_KEY,
  DR_LEADER_ADDRESS_KEY,
} from './dr-metadata.js';

// Status.
export type { DrStatus, DrPrimaryStatus, DrSecondaryStatus, DrSecondaryEntry, DrStatusInput } from './status.js';
export { buildDrStatus, buildReplicationStatus, drStatusGauges } from './status.js';

// In-memory twins of the ports (tests, here and in the node).
export { MemoryEntrySource, MemoryDrPrimaryNode, MemoryEntrySink, ManualClock, systemClock, waitFor, encodeIndexes } from './testing.js';
export type { Activated } from './secondary-activation.js';
export { activateWithToken } from './secondary-activation.js';
