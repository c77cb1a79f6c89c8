// Original file: proto/node.proto

import type { NodeError as _coffer_node_v1_NodeError, NodeError__Output as _coffer_node_v1_NodeError__Output } from '../../../coffer/node/v1/NodeError.js';

export interface TransferLeadershipResponse {
  'error'?: (_coffer_node_v1_NodeError | null);
  'leader_id'?: (string);
}

export interface TransferLeadershipResponse__Output {
  'error': (_coffer_node_v1_NodeError__Output | null);
  'leader_id': (string);
}
