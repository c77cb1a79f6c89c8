// Original file: proto/node.proto

import type { NodeError as _coffer_node_v1_NodeError, NodeError__Output as _coffer_node_v1_NodeError__Output } from '../../../coffer/node/v1/NodeError.js';
import type { Long } from '@grpc/proto-loader';

export interface SnapshotChunk {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
  'error'?: (_coffer_node_v1_NodeError | null);
}

export interface SnapshotChunk__Output {
  'index': (string);
  'term': (string);
  'data': (Buffer);
  'error': (_coffer_node_v1_NodeError__Output | null);
}
