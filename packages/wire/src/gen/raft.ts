import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Append as _coffer_raft_v1_Append, Append__Output as _coffer_raft_v1_Append__Output } from './coffer/raft/v1/Append.js';
import type { AppendResponse as _coffer_raft_v1_AppendResponse, AppendResponse__Output as _coffer_raft_v1_AppendResponse__Output } from './coffer/raft/v1/AppendResponse.js';
import type { ConfState as _coffer_raft_v1_ConfState, ConfState__Output as _coffer_raft_v1_ConfState__Output } from './coffer/raft/v1/ConfState.js';
import type { Entry as _coffer_raft_v1_Entry, Entry__Output as _coffer_raft_v1_Entry__Output } from './coffer/raft/v1/Entry.js';
import type { Heartbeat as _coffer_raft_v1_Heartbeat, Heartbeat__Output as _coffer_raft_v1_Heartbeat__Output } from './coffer/raft/v1/Heartbeat.js';
import type { HeartbeatResponse as _coffer_raft_v1_HeartbeatResponse, HeartbeatResponse__Output as _coffer_raft_v1_HeartbeatResponse__Output } from './coffer/raft/v1/HeartbeatResponse.js';
import type { InstallSnapshotResponse as _coffer_raft_v1_InstallSnapshotResponse, InstallSnapshotResponse__Output as _coffer_raft_v1_InstallSnapshotResponse__Output } from './coffer/raft/v1/InstallSnapshotResponse.js';
import type { MessageBatch as _coffer_raft_v1_MessageBatch, MessageBatch__Output as _coffer_raft_v1_MessageBatch__Output } from './coffer/raft/v1/MessageBatch.js';
import type { RaftMessage as _coffer_raft_v1_RaftMessage, RaftMessage__Output as _coffer_raft_v1_RaftMessage__Output } from './coffer/raft/v1/RaftMessage.js';
import type { RaftPeerClient as _coffer_raft_v1_RaftPeerClient, RaftPeerDefinition as _coffer_raft_v1_RaftPeerDefinition } from './coffer/raft/v1/RaftPeer.js';
import type { ReadIndex as _coffer_raft_v1_ReadIndex, ReadIndex__Output as _coffer_raft_v1_ReadIndex__Output } from './coffer/raft/v1/ReadIndex.js';
import type { ReadIndexResponse as _coffer_raft_v1_ReadIndexResponse, ReadIndexResponse__Output as _coffer_raft_v1_ReadIndexResponse__Output } from './coffer/raft/v1/ReadIndexResponse.js';
import type { SnapshotChunk as _coffer_raft_v1_SnapshotChunk, SnapshotChunk__Output as _coffer_raft_v1_SnapshotChunk__Output } from './coffer/raft/v1/SnapshotChunk.js';
import type { SnapshotMeta as _coffer_raft_v1_SnapshotMeta, SnapshotMeta__Output as _coffer_raft_v1_SnapshotMeta__Output } from './coffer/raft/v1/SnapshotMeta.js';
import type { StreamAck as _coffer_raft_v1_StreamAck, StreamAck__Output as _coffer_raft_v1_StreamAck__Output } from './coffer/raft/v1/StreamAck.js';
import type { TimeoutNow as _coffer_raft_v1_TimeoutNow, TimeoutNow__Output as _coffer_raft_v1_TimeoutNow__Output } from './coffer/raft/v1/TimeoutNow.js';
import type { Vote as _coffer_raft_v1_Vote, Vote__Output as _coffer_raft_v1_Vote__Output } from './coffer/raft/v1/Vote.js';
import type { VoteResponse as _coffer_raft_v1_VoteResponse, VoteResponse__Output as _coffer_raft_v1_VoteResponse__Output } from './coffer/raft/v1/VoteResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coffer: {
    raft: {
      v1: {
        Append: MessageTypeDefinition<_coffer_raft_v1_Append, _coffer_raft_v1_Append__Output>
        AppendResponse: MessageTypeDefinition<_coffer_raft_v1_AppendResponse, _coffer_raft_v1_AppendResponse__Output>
        ConfState: MessageTypeDefinition<_coffer_raft_v1_ConfState, _coffer_raft_v1_ConfState__Output>
        Entry: MessageTypeDefinition<_coffer_raft_v1_Entry, _coffer_raft_v1_Entry__Output>
        EntryType: EnumTypeDefinition
        Heartbeat: MessageTypeDefinition<_coffer_raft_v1_Heartbeat, _coffer_raft_v1_Heartbeat__Output>
        HeartbeatResponse: MessageTypeDefinition<_coffer_raft_v1_HeartbeatResponse, _coffer_raft_v1_HeartbeatResponse__Output>
        InstallSnapshotResponse: MessageTypeDefinition<_coffer_raft_v1_InstallSnapshotResponse, _coffer_raft_v1_InstallSnapshotResponse__Output>
        MessageBatch: MessageTypeDefinition<_coffer_raft_v1_MessageBatch, _coffer_raft_v1_MessageBatch__Output>
        RaftMessage: MessageTypeDefinition<_coffer_raft_v1_RaftMessage, _coffer_raft_v1_RaftMessage__Output>
        RaftPeer: SubtypeConstructor<typeof grpc.Client, _coffer_raft_v1_RaftPeerClient> & { service: _coffer_raft_v1_RaftPeerDefinition }
        ReadIndex: MessageTypeDefinition<_coffer_raft_v1_ReadIndex, _coffer_raft_v1_ReadIndex__Output>
        ReadIndexResponse: MessageTypeDefinition<_coffer_raft_v1_ReadIndexResponse, _coffer_raft_v1_ReadIndexResponse__Output>
        SnapshotChunk: MessageTypeDefinition<_coffer_raft_v1_SnapshotChunk, _coffer_raft_v1_SnapshotChunk__Output>
        SnapshotMeta: MessageTypeDefinition<_coffer_raft_v1_SnapshotMeta, _coffer_raft_v1_SnapshotMeta__Output>
        StreamAck: MessageTypeDefinition<_coffer_raft_v1_StreamAck, _coffer_raft_v1_StreamAck__Output>
        TimeoutNow: MessageTypeDefinition<_coffer_raft_v1_TimeoutNow, _coffer_raft_v1_TimeoutNow__Output>
        Vote: MessageTypeDefinition<_coffer_raft_v1_Vote, _coffer_raft_v1_Vote__Output>
        VoteResponse: MessageTypeDefinition<_coffer_raft_v1_VoteResponse, _coffer_raft_v1_VoteResponse__Output>
      }
    }
  }
}

