// Original file: proto/node.proto

import type { ClientRequestId as _coffer_node_v1_ClientRequestId, ClientRequestId__Output as _coffer_node_v1_ClientRequestId__Output } from '../../../coffer/node/v1/ClientRequestId.js';

export interface ProposeRequest {
  'request_id'?: (_coffer_node_v1_ClientRequestId | null);
  'command'?: (Buffer | Uint8Array | string);
  'forwarded'?: (boolean);
}

export interface ProposeRequest__Output {
  'request_id': (_coffer_node_v1_ClientRequestId__Output | null);
  'command': (Buffer);
  'forwarded': (boolean);
}
