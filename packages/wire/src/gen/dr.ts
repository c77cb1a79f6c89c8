import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ActivateRequest as _coffer_dr_v1_ActivateRequest, ActivateRequest__Output as _coffer_dr_v1_ActivateRequest__Output } from './coffer/dr/v1/ActivateRequest.js';
import type { ActivateResponse as _coffer_dr_v1_ActivateResponse, ActivateResponse__Output as _coffer_dr_v1_ActivateResponse__Output } from './coffer/dr/v1/ActivateResponse.js';
import type { DrEntry as _coffer_dr_v1_DrEntry, DrEntry__Output as _coffer_dr_v1_DrEntry__Output } from './coffer/dr/v1/DrEntry.js';
import type { DrPrimaryClient as _coffer_dr_v1_DrPrimaryClient, DrPrimaryDefinition as _coffer_dr_v1_DrPrimaryDefinition } from './coffer/dr/v1/DrPrimary.js';
import type { EntryBatch as _coffer_dr_v1_EntryBatch, EntryBatch__Output as _coffer_dr_v1_EntryBatch__Output } from './coffer/dr/v1/EntryBatch.js';
import type { NewerPrimaryAck as _coffer_dr_v1_NewerPrimaryAck, NewerPrimaryAck__Output as _coffer_dr_v1_NewerPrimaryAck__Output } from './coffer/dr/v1/NewerPrimaryAck.js';
import type { NewerPrimaryNotice as _coffer_dr_v1_NewerPrimaryNotice, NewerPrimaryNotice__Output as _coffer_dr_v1_NewerPrimaryNotice__Output } from './coffer/dr/v1/NewerPrimaryNotice.js';
import type { SnapshotChunk as _coffer_dr_v1_SnapshotChunk, SnapshotChunk__Output as _coffer_dr_v1_SnapshotChunk__Output } from './coffer/dr/v1/SnapshotChunk.js';
import type { SnapshotRequest as _coffer_dr_v1_SnapshotRequest, SnapshotRequest__Output as _coffer_dr_v1_SnapshotRequest__Output } from './coffer/dr/v1/SnapshotRequest.js';
import type { StreamRequest as _coffer_dr_v1_StreamRequest, StreamRequest__Output as _coffer_dr_v1_StreamRequest__Output } from './coffer/dr/v1/StreamRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coffer: {
    dr: {
      v1: {
        ActivateRequest: MessageTypeDefinition<_coffer_dr_v1_ActivateRequest, _coffer_dr_v1_ActivateRequest__Output>
        ActivateResponse: MessageTypeDefinition<_coffer_dr_v1_ActivateResponse, _coffer_dr_v1_ActivateResponse__Output>
        DrEntry: MessageTypeDefinition<_coffer_dr_v1_DrEntry, _coffer_dr_v1_DrEntry__Output>
        DrEntryType: EnumTypeDefinition
        DrPrimary: SubtypeConstructor<typeof grpc.Client, _coffer_dr_v1_DrPrimaryClient> & { service: _coffer_dr_v1_DrPrimaryDefinition }
        EntryBatch: MessageTypeDefinition<_coffer_dr_v1_EntryBatch, _coffer_dr_v1_EntryBatch__Output>
        NewerPrimaryAck: MessageTypeDefinition<_coffer_dr_v1_NewerPrimaryAck, _coffer_dr_v1_NewerPrimaryAck__Output>
        NewerPrimaryNotice: MessageTypeDefinition<_coffer_dr_v1_NewerPrimaryNotice, _coffer_dr_v1_NewerPrimaryNotice__Output>
        SnapshotChunk: MessageTypeDefinition<_coffer_dr_v1_SnapshotChunk, _coffer_dr_v1_SnapshotChunk__Output>
        SnapshotRequest: MessageTypeDefinition<_coffer_dr_v1_SnapshotRequest, _coffer_dr_v1_SnapshotRequest__Output>
        StreamRequest: MessageTypeDefinition<_coffer_dr_v1_StreamRequest, _coffer_dr_v1_StreamRequest__Output>
      }
    }
  }
}

