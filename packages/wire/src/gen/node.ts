import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddLearnerRequest as _coffer_node_v1_AddLearnerRequest, AddLearnerRequest__Output as _coffer_node_v1_AddLearnerRequest__Output } from './coffer/node/v1/AddLearnerRequest.js';
import type { ClientRequestId as _coffer_node_v1_ClientRequestId, ClientRequestId__Output as _coffer_node_v1_ClientRequestId__Output } from './coffer/node/v1/ClientRequestId.js';
import type { LogicalRequest as _coffer_node_v1_LogicalRequest, LogicalRequest__Output as _coffer_node_v1_LogicalRequest__Output } from './coffer/node/v1/LogicalRequest.js';
import type { LogicalResponse as _coffer_node_v1_LogicalResponse, LogicalResponse__Output as _coffer_node_v1_LogicalResponse__Output } from './coffer/node/v1/LogicalResponse.js';
import type { MembershipResponse as _coffer_node_v1_MembershipResponse, MembershipResponse__Output as _coffer_node_v1_MembershipResponse__Output } from './coffer/node/v1/MembershipResponse.js';
import type { NodeClient as _coffer_node_v1_NodeClient, NodeDefinition as _coffer_node_v1_NodeDefinition } from './coffer/node/v1/Node.js';
import type { NodeError as _coffer_node_v1_NodeError, NodeError__Output as _coffer_node_v1_NodeError__Output } from './coffer/node/v1/NodeError.js';
import type { PeerStatus as _coffer_node_v1_PeerStatus, PeerStatus__Output as _coffer_node_v1_PeerStatus__Output } from './coffer/node/v1/PeerStatus.js';
import type { PromoteRequest as _coffer_node_v1_PromoteRequest, PromoteRequest__Output as _coffer_node_v1_PromoteRequest__Output } from './coffer/node/v1/PromoteRequest.js';
import type { ProposeRequest as _coffer_node_v1_ProposeRequest, ProposeRequest__Output as _coffer_node_v1_ProposeRequest__Output } from './coffer/node/v1/ProposeRequest.js';
import type { ProposeResponse as _coffer_node_v1_ProposeResponse, ProposeResponse__Output as _coffer_node_v1_ProposeResponse__Output } from './coffer/node/v1/ProposeResponse.js';
import type { ReadRequest as _coffer_node_v1_ReadRequest, ReadRequest__Output as _coffer_node_v1_ReadRequest__Output } from './coffer/node/v1/ReadRequest.js';
import type { ReadResponse as _coffer_node_v1_ReadResponse, ReadResponse__Output as _coffer_node_v1_ReadResponse__Output } from './coffer/node/v1/ReadResponse.js';
import type { RemovePeerRequest as _coffer_node_v1_RemovePeerRequest, RemovePeerRequest__Output as _coffer_node_v1_RemovePeerRequest__Output } from './coffer/node/v1/RemovePeerRequest.js';
import type { SetFaultsRequest as _coffer_node_v1_SetFaultsRequest, SetFaultsRequest__Output as _coffer_node_v1_SetFaultsRequest__Output } from './coffer/node/v1/SetFaultsRequest.js';
import type { SetFaultsResponse as _coffer_node_v1_SetFaultsResponse, SetFaultsResponse__Output as _coffer_node_v1_SetFaultsResponse__Output } from './coffer/node/v1/SetFaultsResponse.js';
import type { SnapshotChunk as _coffer_node_v1_SnapshotChunk, SnapshotChunk__Output as _coffer_node_v1_SnapshotChunk__Output } from './coffer/node/v1/SnapshotChunk.js';
import type { SnapshotRestoreResponse as _coffer_node_v1_SnapshotRestoreResponse, SnapshotRestoreResponse__Output as _coffer_node_v1_SnapshotRestoreResponse__Output } from './coffer/node/v1/SnapshotRestoreResponse.js';
import type { SnapshotSaveRequest as _coffer_node_v1_SnapshotSaveRequest, SnapshotSaveRequest__Output as _coffer_node_v1_SnapshotSaveRequest__Output } from './coffer/node/v1/SnapshotSaveRequest.js';
import type { StatusRequest as _coffer_node_v1_StatusRequest, StatusRequest__Output as _coffer_node_v1_StatusRequest__Output } from './coffer/node/v1/StatusRequest.js';
import type { StatusResponse as _coffer_node_v1_StatusResponse, StatusResponse__Output as _coffer_node_v1_StatusResponse__Output } from './coffer/node/v1/StatusResponse.js';
import type { TransferLeadershipRequest as _coffer_node_v1_TransferLeadershipRequest, TransferLeadershipRequest__Output as _coffer_node_v1_TransferLeadershipRequest__Output } from './coffer/node/v1/TransferLeadershipRequest.js';
import type { TransferLeadershipResponse as _coffer_node_v1_TransferLeadershipResponse, TransferLeadershipResponse__Output as _coffer_node_v1_TransferLeadershipResponse__Output } from './coffer/node/v1/TransferLeadershipResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coffer: {
    node: {
      v1: {
        AddLearnerRequest: MessageTypeDefinition<_coffer_node_v1_AddLearnerRequest, _coffer_node_v1_AddLearnerRequest__Output>
        ClientRequestId: MessageTypeDefinition<_coffer_node_v1_ClientRequestId, _coffer_node_v1_ClientRequestId__Output>
        LogicalRequest: MessageTypeDefinition<_coffer_node_v1_LogicalRequest, _coffer_node_v1_LogicalRequest__Output>
        LogicalResponse: MessageTypeDefinition<_coffer_node_v1_LogicalResponse, _coffer_node_v1_LogicalResponse__Output>
        MembershipResponse: MessageTypeDefinition<_coffer_node_v1_MembershipResponse, _coffer_node_v1_MembershipResponse__Output>
        Node: SubtypeConstructor<typeof grpc.Client, _coffer_node_v1_NodeClient> & { service: _coffer_node_v1_NodeDefinition }
        NodeError: MessageTypeDefinition<_coffer_node_v1_NodeError, _coffer_node_v1_NodeError__Output>
        PeerStatus: MessageTypeDefinition<_coffer_node_v1_PeerStatus, _coffer_node_v1_PeerStatus__Output>
        PromoteRequest: MessageTypeDefinition<_coffer_node_v1_PromoteRequest, _coffer_node_v1_PromoteRequest__Output>
        ProposeRequest: MessageTypeDefinition<_coffer_node_v1_ProposeRequest, _coffer_node_v1_ProposeRequest__Output>
        ProposeResponse: MessageTypeDefinition<_coffer_node_v1_ProposeResponse, _coffer_node_v1_ProposeResponse__Output>
        ReadRequest: MessageTypeDefinition<_coffer_node_v1_ReadRequest, _coffer_node_v1_ReadRequest__Output>
        ReadResponse: MessageTypeDefinition<_coffer_node_v1_ReadResponse, _coffer_node_v1_ReadResponse__Output>
        RemovePeerRequest: MessageTypeDefinition<_coffer_node_v1_RemovePeerRequest, _coffer_node_v1_RemovePeerRequest__Output>
        SetFaultsRequest: MessageTypeDefinition<_coffer_node_v1_SetFaultsRequest, _coffer_node_v1_SetFaultsRequest__Output>
        SetFaultsResponse: MessageTypeDefinition<_coffer_node_v1_SetFaultsResponse, _coffer_node_v1_SetFaultsResponse__Output>
        SnapshotChunk: MessageTypeDefinition<_coffer_node_v1_SnapshotChunk, _coffer_node_v1_SnapshotChunk__Output>
        SnapshotRestoreResponse: MessageTypeDefinition<_coffer_node_v1_SnapshotRestoreResponse, _coffer_node_v1_SnapshotRestoreResponse__Output>
        SnapshotSaveRequest: MessageTypeDefinition<_coffer_node_v1_SnapshotSaveRequest, _coffer_node_v1_SnapshotSaveRequest__Output>
        StatusRequest: MessageTypeDefinition<_coffer_node_v1_StatusRequest, _coffer_node_v1_StatusRequest__Output>
        StatusResponse: MessageTypeDefinition<_coffer_node_v1_StatusResponse, _coffer_node_v1_StatusResponse__Output>
        TransferLeadershipRequest: MessageTypeDefinition<_coffer_node_v1_TransferLeadershipRequest, _coffer_node_v1_TransferLeadershipRequest__Output>
        TransferLeadershipResponse: MessageTypeDefinition<_coffer_node_v1_TransferLeadershipResponse, _coffer_node_v1_TransferLeadershipResponse__Output>
      }
    }
  }
}

