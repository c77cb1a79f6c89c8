/**
 * @coffer/wire: the types generated from proto/*.proto (src/gen/, by scripts/gen-proto.sh; never
 * hand-edited) and the loader for the .proto files. For each message `X` there is `X` (what you
 * write: optional fields, numbers or strings for uint64) and `X__Output` (what you read: every
 * field present, uint64 as a decimal string, bytes as a Buffer, oneof case name in a field).
 */
export { loadProtos, loadPackageDefinition, protoDir, PROTO_LOADER_OPTIONS } from './load-protos.js';
export type { CofferProtoGrpcType } from './load-protos.js';

// coffer.raft.v1: node-to-node raft traffic (proto/raft.proto).
export type { ProtoGrpcType as RaftProtoGrpcType } from './gen/raft.js';
export type { RaftPeerClient, RaftPeerHandlers, RaftPeerDefinition } from './gen/coffer/raft/v1/RaftPeer.js';
export type { EntryType, EntryType__Output } from './gen/coffer/raft/v1/EntryType.js';
export type { Append, Append__Output } from './gen/coffer/raft/v1/Append.js';
export type { AppendResponse, AppendResponse__Output } from './gen/coffer/raft/v1/AppendResponse.js';
export type { ConfState, ConfState__Output } from './gen/coffer/raft/v1/ConfState.js';
export type { Entry, Entry__Output } from './gen/coffer/raft/v1/Entry.js';
export type { Heartbeat, Heartbeat__Output } from './gen/coffer/raft/v1/Heartbeat.js';
export type { HeartbeatResponse, HeartbeatResponse__Output } from './gen/coffer/raft/v1/HeartbeatResponse.js';
export type { InstallSnapshotResponse, InstallSnapshotResponse__Output } from './gen/coffer/raft/v1/InstallSnapshotResponse.js';
export type { MessageBatch, MessageBatch__Output } from './gen/coffer/raft/v1/MessageBatch.js';
export type { RaftMessage, RaftMessage__Output } from './gen/coffer/raft/v1/RaftMessage.js';
export type { ReadIndex, ReadIndex__Output } from './gen/coffer/raft/v1/ReadIndex.js';
export type { ReadIndexResponse, ReadIndexResponse__Output } from './gen/coffer/raft/v1/ReadIndexResponse.js';
export type { SnapshotChunk, SnapshotChunk__Output } from './gen/coffer/raft/v1/SnapshotChunk.js';
export type { SnapshotMeta, SnapshotMeta__Output } from './gen/coffer/raft/v1/SnapshotMeta.js';
export type { StreamAck, StreamAck__Output } from './gen/coffer/raft/v1/StreamAck.js';
export type { TimeoutNow, TimeoutNow__Output } from './gen/coffer/raft/v1/TimeoutNow.js';
export type { Vote, Vote__Output } from './gen/coffer/raft/v1/Vote.js';
export type { VoteResponse, VoteResponse__Output } from './gen/coffer/raft/v1/VoteResponse.js';

// coffer.node.v1: the client-facing node API (proto/node.proto). Names that clash with
// coffer.raft.v1 carry a `Node` prefix.
export type { ProtoGrpcType as NodeProtoGrpcType } from './gen/node.js';
export type { NodeClient, NodeHandlers, NodeDefinition } from './gen/coffer/node/v1/Node.js';
export type { AddLearnerRequest, AddLearnerRequest__Output } from './gen/coffer/node/v1/AddLearnerRequest.js';
export type { ClientRequestId, ClientRequestId__Output } from './gen/coffer/node/v1/ClientRequestId.js';
export type { LogicalRequest as NodeLogicalRequest, LogicalRequest__Output as NodeLogicalRequest__Output } from './gen/coffer/node/v1/LogicalRequest.js';
export type { LogicalResponse as NodeLogicalResponse, LogicalResponse__Output as NodeLogicalResponse__Output } from './gen/coffer/node/v1/LogicalResponse.js';
export type { MembershipResponse, MembershipResponse__Output } from './gen/coffer/node/v1/MembershipResponse.js';
export type { NodeError, NodeError__Output } from './gen/coffer/node/v1/NodeError.js';
export type { PeerStatus, PeerStatus__Output } from './gen/coffer/node/v1/PeerStatus.js';
export type { PromoteRequest, PromoteRequest__Output } from './gen/coffer/node/v1/PromoteRequest.js';
export type { ProposeRequest, ProposeRequest__Output } from './gen/coffer/node/v1/ProposeRequest.js';
export type { ProposeResponse, ProposeResponse__Output } from './gen/coffer/node/v1/ProposeResponse.js';
export type { ReadRequest, ReadRequest__Output } from './gen/coffer/node/v1/ReadRequest.js';
export type { ReadResponse, ReadResponse__Output } from './gen/coffer/node/v1/ReadResponse.js';
export type { RemovePeerRequest, RemovePeerRequest__Output } from './gen/coffer/node/v1/RemovePeerRequest.js';
export type { SetFaultsRequest, SetFaultsRequest__Output } from './gen/coffer/node/v1/SetFaultsRequest.js';
export type { SetFaultsResponse, SetFaultsResponse__Output } from './gen/coffer/node/v1/SetFaultsResponse.js';
export type { SnapshotChunk as NodeSnapshotChunk, SnapshotChunk__Output as NodeSnapshotChunk__Output } from './gen/coffer/node/v1/SnapshotChunk.js';
export type { SnapshotRestoreResponse, SnapshotRestoreResponse__Output } from './gen/coffer/node/v1/SnapshotRestoreResponse.js';
export type { SnapshotSaveRequest, SnapshotSaveRequest__Output } from './gen/coffer/node/v1/SnapshotSaveRequest.js';
export type { StatusRequest, StatusRequest__Output } from './gen/coffer/node/v1/StatusRequest.js';
export type { StatusResponse, StatusResponse__Output } from './gen/coffer/node/v1/StatusResponse.js';
export type { TransferLeadershipRequest, TransferLeadershipRequest__Output } from './gen/coffer/node/v1/TransferLeadershipRequest.js';
export type { TransferLeadershipResponse, TransferLeadershipResponse__Output } from './gen/coffer/node/v1/TransferLeadershipResponse.js';

// coffer.dr.v1: DR replication between clusters (proto/dr.proto). Names that clash with other
// packages carry a `Dr` prefix.
export type { ProtoGrpcType as DrProtoGrpcType } from './gen/dr.js';
export type { DrPrimaryClient, DrPrimaryHandlers, DrPrimaryDefinition } from './gen/coffer/dr/v1/DrPrimary.js';
export type { ActivateRequest as DrActivateRequest, ActivateRequest__Output as DrActivateRequest__Output } from './gen/coffer/dr/v1/ActivateRequest.js';
export type { ActivateResponse as DrActivateResponse, ActivateResponse__Output as DrActivateResponse__Output } from './gen/coffer/dr/v1/ActivateResponse.js';
export type { DrEntry, DrEntry__Output } from './gen/coffer/dr/v1/DrEntry.js';
export type { DrEntryType, DrEntryType__Output } from './gen/coffer/dr/v1/DrEntryType.js';
export type { EntryBatch as DrEntryBatch, EntryBatch__Output as DrEntryBatch__Output } from './gen/coffer/dr/v1/EntryBatch.js';
export type { NewerPrimaryNotice as DrNewerPrimaryNotice, NewerPrimaryNotice__Output as DrNewerPrimaryNotice__Output } from './gen/coffer/dr/v1/NewerPrimaryNotice.js';
export type { NewerPrimaryAck as DrNewerPrimaryAck, NewerPrimaryAck__Output as DrNewerPrimaryAck__Output } from './gen/coffer/dr/v1/NewerPrimaryAck.js';
export type { SnapshotChunk as DrSnapshotChunk, SnapshotChunk__Output as DrSnapshotChunk__Output } from './gen/coffer/dr/v1/SnapshotChunk.js';
export type { SnapshotRequest as DrSnapshotRequest, SnapshotRequest__Output as DrSnapshotRequest__Output } from './gen/coffer/dr/v1/SnapshotRequest.js';
export type { StreamRequest as DrStreamRequest, StreamRequest__Output as DrStreamRequest__Output } from './gen/coffer/dr/v1/StreamRequest.js';
