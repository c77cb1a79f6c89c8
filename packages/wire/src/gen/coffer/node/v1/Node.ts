// Original file: proto/node.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddLearnerRequest as _coffer_node_v1_AddLearnerRequest, AddLearnerRequest__Output as _coffer_node_v1_AddLearnerRequest__Output } from '../../../coffer/node/v1/AddLearnerRequest.js';
import type { LogicalRequest as _coffer_node_v1_LogicalRequest, LogicalRequest__Output as _coffer_node_v1_LogicalRequest__Output } from '../../../coffer/node/v1/LogicalRequest.js';
import type { LogicalResponse as _coffer_node_v1_LogicalResponse, LogicalResponse__Output as _coffer_node_v1_LogicalResponse__Output } from '../../../coffer/node/v1/LogicalResponse.js';
import type { MembershipResponse as _coffer_node_v1_MembershipResponse, MembershipResponse__Output as _coffer_node_v1_MembershipResponse__Output } from '../../../coffer/node/v1/MembershipResponse.js';
import type { PromoteRequest as _coffer_node_v1_PromoteRequest, PromoteRequest__Output as _coffer_node_v1_PromoteRequest__Output } from '../../../coffer/node/v1/PromoteRequest.js';
import type { ProposeRequest as _coffer_node_v1_ProposeRequest, ProposeRequest__Output as _coffer_node_v1_ProposeRequest__Output } from '../../../coffer/node/v1/ProposeRequest.js';
import type { ProposeResponse as _coffer_node_v1_ProposeResponse, ProposeResponse__Output as _coffer_node_v1_ProposeResponse__Output } from '../../../coffer/node/v1/ProposeResponse.js';
import type { ReadRequest as _coffer_node_v1_ReadRequest, ReadRequest__Output as _coffer_node_v1_ReadRequest__Output } from '../../../coffer/node/v1/ReadRequest.js';
import type { ReadResponse as _coffer_node_v1_ReadResponse, ReadResponse__Output as _coffer_node_v1_ReadResponse__Output } from '../../../coffer/node/v1/ReadResponse.js';
import type { RemovePeerRequest as _coffer_node_v1_RemovePeerRequest, RemovePeerRequest__Output as _coffer_node_v1_RemovePeerRequest__Output } from '../../../coffer/node/v1/RemovePeerRequest.js';
import type { SetFaultsRequest as _coffer_node_v1_SetFaultsRequest, SetFaultsRequest__Output as _coffer_node_v1_SetFaultsRequest__Output } from '../../../coffer/node/v1/SetFaultsRequest.js';
import type { SetFaultsResponse as _coffer_node_v1_SetFaultsResponse, SetFaultsResponse__Output as _coffer_node_v1_SetFaultsResponse__Output } from '../../../coffer/node/v1/SetFaultsResponse.js';
import type { SnapshotChunk as _coffer_node_v1_SnapshotChunk, SnapshotChunk__Output as _coffer_node_v1_SnapshotChunk__Output } from '../../../coffer/node/v1/SnapshotChunk.js';
import type { SnapshotRestoreResponse as _coffer_node_v1_SnapshotRestoreResponse, SnapshotRestoreResponse__Output as _coffer_node_v1_SnapshotRestoreResponse__Output } from '../../../coffer/node/v1/SnapshotRestoreResponse.js';
import type { SnapshotSaveRequest as _coffer_node_v1_SnapshotSaveRequest, SnapshotSaveRequest__Output as _coffer_node_v1_SnapshotSaveRequest__Output } from '../../../coffer/node/v1/SnapshotSaveRequest.js';
import type { StatusRequest as _coffer_node_v1_StatusRequest, StatusRequest__Output as _coffer_node_v1_StatusRequest__Output } from '../../../coffer/node/v1/StatusRequest.js';
import type { StatusResponse as _coffer_node_v1_StatusResponse, StatusResponse__Output as _coffer_node_v1_StatusResponse__Output } from '../../../coffer/node/v1/StatusResponse.js';
import type { TransferLeadershipRequest as _coffer_node_v1_TransferLeadershipRequest, TransferLeadershipRequest__Output as _coffer_node_v1_TransferLeadershipRequest__Output } from '../../../coffer/node/v1/TransferLeadershipRequest.js';
import type { TransferLeadershipResponse as _coffer_node_v1_TransferLeadershipResponse, TransferLeadershipResponse__Output as _coffer_node_v1_TransferLeadershipResponse__Output } from '../../../coffer/node/v1/TransferLeadershipResponse.js';

export interface NodeClient extends grpc.Client {
  AddLearner(argument: _coffer_node_v1_AddLearnerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  AddLearner(argument: _coffer_node_v1_AddLearnerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  AddLearner(argument: _coffer_node_v1_AddLearnerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  AddLearner(argument: _coffer_node_v1_AddLearnerRequest, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  addLearner(argument: _coffer_node_v1_AddLearnerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  addLearner(argument: _coffer_node_v1_AddLearnerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  addLearner(argument: _coffer_node_v1_AddLearnerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  addLearner(argument: _coffer_node_v1_AddLearnerRequest, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  
  Handle(argument: _coffer_node_v1_LogicalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_LogicalResponse__Output>): grpc.ClientUnaryCall;
  Handle(argument: _coffer_node_v1_LogicalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_LogicalResponse__Output>): grpc.ClientUnaryCall;
  Handle(argument: _coffer_node_v1_LogicalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_LogicalResponse__Output>): grpc.ClientUnaryCall;
  Handle(argument: _coffer_node_v1_LogicalRequest, callback: grpc.requestCallback<_coffer_node_v1_LogicalResponse__Output>): grpc.ClientUnaryCall;
  handle(argument: _coffer_node_v1_LogicalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_LogicalResponse__Output>): grpc.ClientUnaryCall;
  handle(argument: _coffer_node_v1_LogicalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_LogicalResponse__Output>): grpc.ClientUnaryCall;
  handle(argument: _coffer_node_v1_LogicalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_LogicalResponse__Output>): grpc.ClientUnaryCall;
  handle(argument: _coffer_node_v1_LogicalRequest, callback: grpc.requestCallback<_coffer_node_v1_LogicalResponse__Output>): grpc.ClientUnaryCall;
  
  Promote(argument: _coffer_node_v1_PromoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  Promote(argument: _coffer_node_v1_PromoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  Promote(argument: _coffer_node_v1_PromoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  Promote(argument: _coffer_node_v1_PromoteRequest, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  promote(argument: _coffer_node_v1_PromoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  promote(argument: _coffer_node_v1_PromoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  promote(argument: _coffer_node_v1_PromoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  promote(argument: _coffer_node_v1_PromoteRequest, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  
  Propose(argument: _coffer_node_v1_ProposeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_ProposeResponse__Output>): grpc.ClientUnaryCall;
  Propose(argument: _coffer_node_v1_ProposeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_ProposeResponse__Output>): grpc.ClientUnaryCall;
  Propose(argument: _coffer_node_v1_ProposeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_ProposeResponse__Output>): grpc.ClientUnaryCall;
  Propose(argument: _coffer_node_v1_ProposeRequest, callback: grpc.requestCallback<_coffer_node_v1_ProposeResponse__Output>): grpc.ClientUnaryCall;
  propose(argument: _coffer_node_v1_ProposeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_ProposeResponse__Output>): grpc.ClientUnaryCall;
  propose(argument: _coffer_node_v1_ProposeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_ProposeResponse__Output>): grpc.ClientUnaryCall;
  propose(argument: _coffer_node_v1_ProposeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_ProposeResponse__Output>): grpc.ClientUnaryCall;
  propose(argument: _coffer_node_v1_ProposeRequest, callback: grpc.requestCallback<_coffer_node_v1_ProposeResponse__Output>): grpc.ClientUnaryCall;
  
  Read(argument: _coffer_node_v1_ReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _coffer_node_v1_ReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _coffer_node_v1_ReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _coffer_node_v1_ReadRequest, callback: grpc.requestCallback<_coffer_node_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _coffer_node_v1_ReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _coffer_node_v1_ReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _coffer_node_v1_ReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _coffer_node_v1_ReadRequest, callback: grpc.requestCallback<_coffer_node_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  
  RemovePeer(argument: _coffer_node_v1_RemovePeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  RemovePeer(argument: _coffer_node_v1_RemovePeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  RemovePeer(argument: _coffer_node_v1_RemovePeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  RemovePeer(argument: _coffer_node_v1_RemovePeerRequest, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  removePeer(argument: _coffer_node_v1_RemovePeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  removePeer(argument: _coffer_node_v1_RemovePeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  removePeer(argument: _coffer_node_v1_RemovePeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  removePeer(argument: _coffer_node_v1_RemovePeerRequest, callback: grpc.requestCallback<_coffer_node_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  
  SetFaults(argument: _coffer_node_v1_SetFaultsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_SetFaultsResponse__Output>): grpc.ClientUnaryCall;
  SetFaults(argument: _coffer_node_v1_SetFaultsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_SetFaultsResponse__Output>): grpc.ClientUnaryCall;
  SetFaults(argument: _coffer_node_v1_SetFaultsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_SetFaultsResponse__Output>): grpc.ClientUnaryCall;
  SetFaults(argument: _coffer_node_v1_SetFaultsRequest, callback: grpc.requestCallback<_coffer_node_v1_SetFaultsResponse__Output>): grpc.ClientUnaryCall;
  setFaults(argument: _coffer_node_v1_SetFaultsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_SetFaultsResponse__Output>): grpc.ClientUnaryCall;
  setFaults(argument: _coffer_node_v1_SetFaultsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_SetFaultsResponse__Output>): grpc.ClientUnaryCall;
  setFaults(argument: _coffer_node_v1_SetFaultsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_SetFaultsResponse__Output>): grpc.ClientUnaryCall;
  setFaults(argument: _coffer_node_v1_SetFaultsRequest, callback: grpc.requestCallback<_coffer_node_v1_SetFaultsResponse__Output>): grpc.ClientUnaryCall;
  
  SnapshotRestore(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_SnapshotRestoreResponse__Output>): grpc.ClientWritableStream<_coffer_node_v1_SnapshotChunk>;
  SnapshotRestore(metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_SnapshotRestoreResponse__Output>): grpc.ClientWritableStream<_coffer_node_v1_SnapshotChunk>;
  SnapshotRestore(options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_SnapshotRestoreResponse__Output>): grpc.ClientWritableStream<_coffer_node_v1_SnapshotChunk>;
  SnapshotRestore(callback: grpc.requestCallback<_coffer_node_v1_SnapshotRestoreResponse__Output>): grpc.ClientWritableStream<_coffer_node_v1_SnapshotChunk>;
  snapshotRestore(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_SnapshotRestoreResponse__Output>): grpc.ClientWritableStream<_coffer_node_v1_SnapshotChunk>;
  snapshotRestore(metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_SnapshotRestoreResponse__Output>): grpc.ClientWritableStream<_coffer_node_v1_SnapshotChunk>;
  snapshotRestore(options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_SnapshotRestoreResponse__Output>): grpc.ClientWritableStream<_coffer_node_v1_SnapshotChunk>;
  snapshotRestore(callback: grpc.requestCallback<_coffer_node_v1_SnapshotRestoreResponse__Output>): grpc.ClientWritableStream<_coffer_node_v1_SnapshotChunk>;
  
  SnapshotSave(argument: _coffer_node_v1_SnapshotSaveRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_node_v1_SnapshotChunk__Output>;
  SnapshotSave(argument: _coffer_node_v1_SnapshotSaveRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_node_v1_SnapshotChunk__Output>;
  snapshotSave(argument: _coffer_node_v1_SnapshotSaveRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_node_v1_SnapshotChunk__Output>;
  snapshotSave(argument: _coffer_node_v1_SnapshotSaveRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_node_v1_SnapshotChunk__Output>;
  
  Status(argument: _coffer_node_v1_StatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _coffer_node_v1_StatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _coffer_node_v1_StatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _coffer_node_v1_StatusRequest, callback: grpc.requestCallback<_coffer_node_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _coffer_node_v1_StatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _coffer_node_v1_StatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _coffer_node_v1_StatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _coffer_node_v1_StatusRequest, callback: grpc.requestCallback<_coffer_node_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  
  TransferLeadership(argument: _coffer_node_v1_TransferLeadershipRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_TransferLeadershipResponse__Output>): grpc.ClientUnaryCall;
  TransferLeadership(argument: _coffer_node_v1_TransferLeadershipRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_TransferLeadershipResponse__Output>): grpc.ClientUnaryCall;
  TransferLeadership(argument: _coffer_node_v1_TransferLeadershipRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_TransferLeadershipResponse__Output>): grpc.ClientUnaryCall;
  TransferLeadership(argument: _coffer_node_v1_TransferLeadershipRequest, callback: grpc.requestCallback<_coffer_node_v1_TransferLeadershipResponse__Output>): grpc.ClientUnaryCall;
  transferLeadership(argument: _coffer_node_v1_TransferLeadershipRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_TransferLeadershipResponse__Output>): grpc.ClientUnaryCall;
  transferLeadership(argument: _coffer_node_v1_TransferLeadershipRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_node_v1_TransferLeadershipResponse__Output>): grpc.ClientUnaryCall;
  transferLeadership(argument: _coffer_node_v1_TransferLeadershipRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_node_v1_TransferLeadershipResponse__Output>): grpc.ClientUnaryCall;
  transferLeadership(argument: _coffer_node_v1_TransferLeadershipRequest, callback: grpc.requestCallback<_coffer_node_v1_TransferLeadershipResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface NodeHandlers extends grpc.UntypedServiceImplementation {
  AddLearner: grpc.handleUnaryCall<_coffer_node_v1_AddLearnerRequest__Output, _coffer_node_v1_MembershipResponse>;
  
  Handle: grpc.handleUnaryCall<_coffer_node_v1_LogicalRequest__Output, _coffer_node_v1_LogicalResponse>;
  
  Promote: grpc.handleUnaryCall<_coffer_node_v1_PromoteRequest__Output, _coffer_node_v1_MembershipResponse>;
  
  Propose: grpc.handleUnaryCall<_coffer_node_v1_ProposeRequest__Output, _coffer_node_v1_ProposeResponse>;
  
  Read: grpc.handleUnaryCall<_coffer_node_v1_ReadRequest__Output, _coffer_node_v1_ReadResponse>;
  
  RemovePeer: grpc.handleUnaryCall<_coffer_node_v1_RemovePeerRequest__Output, _coffer_node_v1_MembershipResponse>;
  
  SetFaults: grpc.handleUnaryCall<_coffer_node_v1_SetFaultsRequest__Output, _coffer_node_v1_SetFaultsResponse>;
  
  SnapshotRestore: grpc.handleClientStreamingCall<_coffer_node_v1_SnapshotChunk__Output, _coffer_node_v1_SnapshotRestoreResponse>;
  
  SnapshotSave: grpc.handleServerStreamingCall<_coffer_node_v1_SnapshotSaveRequest__Output, _coffer_node_v1_SnapshotChunk>;
  
  Status: grpc.handleUnaryCall<_coffer_node_v1_StatusRequest__Output, _coffer_node_v1_StatusResponse>;
  
  TransferLeadership: grpc.handleUnaryCall<_coffer_node_v1_TransferLeadershipRequest__Output, _coffer_node_v1_TransferLeadershipResponse>;
  
}

export interface NodeDefinition extends grpc.ServiceDefinition {
  AddLearner: MethodDefinition<_coffer_node_v1_AddLearnerRequest, _coffer_node_v1_MembershipResponse, _coffer_node_v1_AddLearnerRequest__Output, _coffer_node_v1_MembershipResponse__Output>
  Handle: MethodDefinition<_coffer_node_v1_LogicalRequest, _coffer_node_v1_LogicalResponse, _coffer_node_v1_LogicalRequest__Output, _coffer_node_v1_LogicalResponse__Output>
  Promote: MethodDefinition<_coffer_node_v1_PromoteRequest, _coffer_node_v1_MembershipResponse, _coffer_node_v1_PromoteRequest__Output, _coffer_node_v1_MembershipResponse__Output>
  Propose: MethodDefinition<_coffer_node_v1_ProposeRequest, _coffer_node_v1_ProposeResponse, _coffer_node_v1_ProposeRequest__Output, _coffer_node_v1_ProposeResponse__Output>
  Read: MethodDefinition<_coffer_node_v1_ReadRequest, _coffer_node_v1_ReadResponse, _coffer_node_v1_ReadRequest__Output, _coffer_node_v1_ReadResponse__Output>
  RemovePeer: MethodDefinition<_coffer_node_v1_RemovePeerRequest, _coffer_node_v1_MembershipResponse, _coffer_node_v1_RemovePeerRequest__Output, _coffer_node_v1_MembershipResponse__Output>
  SetFaults: MethodDefinition<_coffer_node_v1_SetFaultsRequest, _coffer_node_v1_SetFaultsResponse, _coffer_node_v1_SetFaultsRequest__Output, _coffer_node_v1_SetFaultsResponse__Output>
  SnapshotRestore: MethodDefinition<_coffer_node_v1_SnapshotChunk, _coffer_node_v1_SnapshotRestoreResponse, _coffer_node_v1_SnapshotChunk__Output, _coffer_node_v1_SnapshotRestoreResponse__Output>
  SnapshotSave: MethodDefinition<_coffer_node_v1_SnapshotSaveRequest, _coffer_node_v1_SnapshotChunk, _coffer_node_v1_SnapshotSaveRequest__Output, _coffer_node_v1_SnapshotChunk__Output>
  Status: MethodDefinition<_coffer_node_v1_StatusRequest, _coffer_node_v1_StatusResponse, _coffer_node_v1_StatusRequest__Output, _coffer_node_v1_StatusResponse__Output>
  TransferLeadership: MethodDefinition<_coffer_node_v1_TransferLeadershipRequest, _coffer_node_v1_TransferLeadershipResponse, _coffer_node_v1_TransferLeadershipRequest__Output, _coffer_node_v1_TransferLeadershipResponse__Output>
}
