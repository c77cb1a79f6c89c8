// Original file: proto/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { InstallSnapshotResponse as _coffer_raft_v1_InstallSnapshotResponse, InstallSnapshotResponse__Output as _coffer_raft_v1_InstallSnapshotResponse__Output } from '../../../coffer/raft/v1/InstallSnapshotResponse.js';
import type { MessageBatch as _coffer_raft_v1_MessageBatch, MessageBatch__Output as _coffer_raft_v1_MessageBatch__Output } from '../../../coffer/raft/v1/MessageBatch.js';
import type { SnapshotChunk as _coffer_raft_v1_SnapshotChunk, SnapshotChunk__Output as _coffer_raft_v1_SnapshotChunk__Output } from '../../../coffer/raft/v1/SnapshotChunk.js';
import type { StreamAck as _coffer_raft_v1_StreamAck, StreamAck__Output as _coffer_raft_v1_StreamAck__Output } from '../../../coffer/raft/v1/StreamAck.js';

export interface RaftPeerClient extends grpc.Client {
  InstallSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_raft_v1_InstallSnapshotResponse__Output>): grpc.ClientWritableStream<_coffer_raft_v1_SnapshotChunk>;
  InstallSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_raft_v1_InstallSnapshotResponse__Output>): grpc.ClientWritableStream<_coffer_raft_v1_SnapshotChunk>;
  InstallSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_raft_v1_InstallSnapshotResponse__Output>): grpc.ClientWritableStream<_coffer_raft_v1_SnapshotChunk>;
  InstallSnapshot(callback: grpc.requestCallback<_coffer_raft_v1_InstallSnapshotResponse__Output>): grpc.ClientWritableStream<_coffer_raft_v1_SnapshotChunk>;
  installSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_raft_v1_InstallSnapshotResponse__Output>): grpc.ClientWritableStream<_coffer_raft_v1_SnapshotChunk>;
  installSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_raft_v1_InstallSnapshotResponse__Output>): grpc.ClientWritableStream<_coffer_raft_v1_SnapshotChunk>;
  installSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_raft_v1_InstallSnapshotResponse__Output>): grpc.ClientWritableStream<_coffer_raft_v1_SnapshotChunk>;
  installSnapshot(callback: grpc.requestCallback<_coffer_raft_v1_InstallSnapshotResponse__Output>): grpc.ClientWritableStream<_coffer_raft_v1_SnapshotChunk>;
  
  Stream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_coffer_raft_v1_MessageBatch, _coffer_raft_v1_StreamAck__Output>;
  Stream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_coffer_raft_v1_MessageBatch, _coffer_raft_v1_StreamAck__Output>;
  stream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_coffer_raft_v1_MessageBatch, _coffer_raft_v1_StreamAck__Output>;
  stream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_coffer_raft_v1_MessageBatch, _coffer_raft_v1_StreamAck__Output>;
  
}

export interface RaftPeerHandlers extends grpc.UntypedServiceImplementation {
  InstallSnapshot: grpc.handleClientStreamingCall<_coffer_raft_v1_SnapshotChunk__Output, _coffer_raft_v1_InstallSnapshotResponse>;
  
  Stream: grpc.handleBidiStreamingCall<_coffer_raft_v1_MessageBatch__Output, _coffer_raft_v1_StreamAck>;
  
}

export interface RaftPeerDefinition extends grpc.ServiceDefinition {
  InstallSnapshot: MethodDefinition<_coffer_raft_v1_SnapshotChunk, _coffer_raft_v1_InstallSnapshotResponse, _coffer_raft_v1_SnapshotChunk__Output, _coffer_raft_v1_InstallSnapshotResponse__Output>
  Stream: MethodDefinition<_coffer_raft_v1_MessageBatch, _coffer_raft_v1_StreamAck, _coffer_raft_v1_MessageBatch__Output, _coffer_raft_v1_StreamAck__Output>
}
