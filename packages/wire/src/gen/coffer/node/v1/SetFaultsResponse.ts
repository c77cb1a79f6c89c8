// Original file: proto/node.proto

import type { NodeError as _coffer_node_v1_NodeError, NodeError__Output as _coffer_node_v1_NodeError__Output } from '../../../coffer/node/v1/NodeError.js';

export interface SetFaultsResponse {
  'error'?: (_coffer_node_v1_NodeError | null);
}

export interface SetFaultsResponse__Output {
  'error': (_coffer_node_v1_NodeError__Output | null);
}
