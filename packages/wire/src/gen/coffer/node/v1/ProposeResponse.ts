// Original file: proto/node.proto

import type { NodeError as _coffer_node_v1_NodeError, NodeError__Output as _coffer_node_v1_NodeError__Output } from '../../../coffer/node/v1/NodeError.js';
import type { Long } from '@grpc/proto-loader';

export interface ProposeResponse {
  'result'?: (Buffer | Uint8Array | string);
  'error'?: (_coffer_node_v1_NodeError | null);
  'index'?: (number | string | Long);
  'outcome'?: "result"|"error";
}

export interface ProposeResponse__Output {
  'result'?: (Buffer);
  'error'?: (_coffer_node_v1_NodeError__Output | null);
  'index': (string);
  'outcome'?: "result"|"error";
}
