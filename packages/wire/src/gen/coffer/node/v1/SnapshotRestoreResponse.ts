// Original file: proto/node.proto

import type { NodeError as _coffer_node_v1_NodeError, NodeError__Output as _coffer_node_v1_NodeError__Output } from '../../../coffer/node/v1/NodeError.js';
import type { Long } from '@grpc/proto-loader';

export interface SnapshotRestoreResponse {
  'error'?: (_coffer_node_v1_NodeError | null);
  'index'?: (number | string | Long);
}

export interface SnapshotRestoreResponse__Output {
  'error': (_coffer_node_v1_NodeError__Output | null);
  'index': (string);
}
