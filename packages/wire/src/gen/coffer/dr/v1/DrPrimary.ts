// Original file: proto/dr.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ActivateRequest as _coffer_dr_v1_ActivateRequest, ActivateRequest__Output as _coffer_dr_v1_ActivateRequest__Output } from '../../../coffer/dr/v1/ActivateRequest.js';
import type { ActivateResponse as _coffer_dr_v1_ActivateResponse, ActivateResponse__Output as _coffer_dr_v1_ActivateResponse__Output } from '../../../coffer/dr/v1/ActivateResponse.js';
import type { EntryBatch as _coffer_dr_v1_EntryBatch, EntryBatch__Output as _coffer_dr_v1_EntryBatch__Output } from '../../../coffer/dr/v1/EntryBatch.js';
import type { NewerPrimaryAck as _coffer_dr_v1_NewerPrimaryAck, NewerPrimaryAck__Output as _coffer_dr_v1_NewerPrimaryAck__Output } from '../../../coffer/dr/v1/NewerPrimaryAck.js';
import type { NewerPrimaryNotice as _coffer_dr_v1_NewerPrimaryNotice, NewerPrimaryNotice__Output as _coffer_dr_v1_NewerPrimaryNotice__Output } from '../../../coffer/dr/v1/NewerPrimaryNotice.js';
import type { SnapshotChunk as _coffer_dr_v1_SnapshotChunk, SnapshotChunk__Output as _coffer_dr_v1_SnapshotChunk__Output } from '../../../coffer/dr/v1/SnapshotChunk.js';
import type { SnapshotRequest as _coffer_dr_v1_SnapshotRequest, SnapshotRequest__Output as _coffer_dr_v1_SnapshotRequest__Output } from '../../../coffer/dr/v1/SnapshotRequest.js';
import type { StreamRequest as _coffer_dr_v1_StreamRequest, StreamRequest__Output as _coffer_dr_v1_StreamRequest__Output } from '../../../coffer/dr/v1/StreamRequest.js';

export interface DrPrimaryClient extends grpc.Client {
  Activate(argument: _coffer_dr_v1_ActivateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_dr_v1_ActivateResponse__Output>): grpc.ClientUnaryCall;
  Activate(argument: _coffer_dr_v1_ActivateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_dr_v1_ActivateResponse__Output>): grpc.ClientUnaryCall;
  Activate(argument: _coffer_dr_v1_ActivateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_dr_v1_ActivateResponse__Output>): grpc.ClientUnaryCall;
  Activate(argument: _coffer_dr_v1_ActivateRequest, callback: grpc.requestCallback<_coffer_dr_v1_ActivateResponse__Output>): grpc.ClientUnaryCall;
  activate(argument: _coffer_dr_v1_ActivateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_dr_v1_ActivateResponse__Output>): grpc.ClientUnaryCall;
  activate(argument: _coffer_dr_v1_ActivateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_dr_v1_ActivateResponse__Output>): grpc.ClientUnaryCall;
  activate(argument: _coffer_dr_v1_ActivateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_dr_v1_ActivateResponse__Output>): grpc.ClientUnaryCall;
  activate(argument: _coffer_dr_v1_ActivateRequest, callback: grpc.requestCallback<_coffer_dr_v1_ActivateResponse__Output>): grpc.ClientUnaryCall;
  
  FetchSnapshot(argument: _coffer_dr_v1_SnapshotRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_dr_v1_SnapshotChunk__Output>;
  FetchSnapshot(argument: _coffer_dr_v1_SnapshotRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_dr_v1_SnapshotChunk__Output>;
  fetchSnapshot(argument: _coffer_dr_v1_SnapshotRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_dr_v1_SnapshotChunk__Output>;
  fetchSnapshot(argument: _coffer_dr_v1_SnapshotRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_dr_v1_SnapshotChunk__Output>;
  
  NotifyNewerPrimary(argument: _coffer_dr_v1_NewerPrimaryNotice, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_dr_v1_NewerPrimaryAck__Output>): grpc.ClientUnaryCall;
  NotifyNewerPrimary(argument: _coffer_dr_v1_NewerPrimaryNotice, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_dr_v1_NewerPrimaryAck__Output>): grpc.ClientUnaryCall;
  NotifyNewerPrimary(argument: _coffer_dr_v1_NewerPrimaryNotice, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_dr_v1_NewerPrimaryAck__Output>): grpc.ClientUnaryCall;
  NotifyNewerPrimary(argument: _coffer_dr_v1_NewerPrimaryNotice, callback: grpc.requestCallback<_coffer_dr_v1_NewerPrimaryAck__Output>): grpc.ClientUnaryCall;
  notifyNewerPrimary(argument: _coffer_dr_v1_NewerPrimaryNotice, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_dr_v1_NewerPrimaryAck__Output>): grpc.ClientUnaryCall;
  notifyNewerPrimary(argument: _coffer_dr_v1_NewerPrimaryNotice, metadata: grpc.Metadata, callback: grpc.requestCallback<_coffer_dr_v1_NewerPrimaryAck__Output>): grpc.ClientUnaryCall;
  notifyNewerPrimary(argument: _coffer_dr_v1_NewerPrimaryNotice, options: grpc.CallOptions, callback: grpc.requestCallback<_coffer_dr_v1_NewerPrimaryAck__Output>): grpc.ClientUnaryCall;
  notifyNewerPrimary(argument: _coffer_dr_v1_NewerPrimaryNotice, callback: grpc.requestCallback<_coffer_dr_v1_NewerPrimaryAck__Output>): grpc.ClientUnaryCall;
  
  StreamEntries(argument: _coffer_dr_v1_StreamRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_dr_v1_EntryBatch__Output>;
  StreamEntries(argument: _coffer_dr_v1_StreamRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_dr_v1_EntryBatch__Output>;
  streamEntries(argument: _coffer_dr_v1_StreamRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_dr_v1_EntryBatch__Output>;
  streamEntries(argument: _coffer_dr_v1_StreamRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_coffer_dr_v1_EntryBatch__Output>;
  
}

export interface DrPrimaryHandlers extends grpc.UntypedServiceImplementation {
  Activate: grpc.handleUnaryCall<_coffer_dr_v1_ActivateRequest__Output, _coffer_dr_v1_ActivateResponse>;
  
  FetchSnapshot: grpc.handleServerStreamingCall<_coffer_dr_v1_SnapshotRequest__Output, _coffer_dr_v1_SnapshotChunk>;
  
  NotifyNewerPrimary: grpc.handleUnaryCall<_coffer_dr_v1_NewerPrimaryNotice__Output, _coffer_dr_v1_NewerPrimaryAck>;
  
  StreamEntries: grpc.handleServerStreamingCall<_coffer_dr_v1_StreamRequest__Output, _coffer_dr_v1_EntryBatch>;
  
}

export interface DrPrimaryDefinition extends grpc.ServiceDefinition {
  Activate: MethodDefinition<_coffer_dr_v1_ActivateRequest, _coffer_dr_v1_ActivateResponse, _coffer_dr_v1_ActivateRequest__Output, _coffer_dr_v1_ActivateResponse__Output>
  FetchSnapshot: MethodDefinition<_coffer_dr_v1_SnapshotRequest, _coffer_dr_v1_SnapshotChunk, _coffer_dr_v1_SnapshotRequest__Output, _coffer_dr_v1_SnapshotChunk__Output>
  NotifyNewerPrimary: MethodDefinition<_coffer_dr_v1_NewerPrimaryNotice, _coffer_dr_v1_NewerPrimaryAck, _coffer_dr_v1_NewerPrimaryNotice__Output, _coffer_dr_v1_NewerPrimaryAck__Output>
  StreamEntries: MethodDefinition<_coffer_dr_v1_StreamRequest, _coffer_dr_v1_EntryBatch, _coffer_dr_v1_StreamRequest__Output, _coffer_dr_v1_EntryBatch__Output>
}
