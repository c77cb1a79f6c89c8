// Original file: proto/node.proto

import type { NodeError as _coffer_node_v1_NodeError, NodeError__Output as _coffer_node_v1_NodeError__Output } from '../../../coffer/node/v1/NodeError.js';

export interface LogicalResponse {
  'status'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'headers'?: ({[key: string]: string});
  'error'?: (_coffer_node_v1_NodeError | null);
  'content_type'?: (string);
  'raw_body'?: (Buffer | Uint8Array | string);
}

export interface LogicalResponse__Output {
  'status': (number);
  'body': (Buffer);
  'headers': ({[key: string]: string});
  'error': (_coffer_node_v1_NodeError__Output | null);
  'content_type': (string);
  'raw_body': (Buffer);
}
