// Original file: proto/node.proto

import type { ClientRequestId as _coffer_node_v1_ClientRequestId, ClientRequestId__Output as _coffer_node_v1_ClientRequestId__Output } from '../../../coffer/node/v1/ClientRequestId.js';

export interface LogicalRequest {
  'request_id'?: (_coffer_node_v1_ClientRequestId | null);
  'operation'?: (string);
  'path'?: (string);
  'body'?: (Buffer | Uint8Array | string);
  'query'?: ({[key: string]: string});
  'token'?: (string);
  'forwarded'?: (boolean);
  'raw_body'?: (Buffer | Uint8Array | string);
}

export interface LogicalRequest__Output {
  'request_id': (_coffer_node_v1_ClientRequestId__Output | null);
  'operation': (string);
  'path': (string);
  'body': (Buffer);
  'query': ({[key: string]: string});
  'token': (string);
  'forwarded': (boolean);
  'raw_body': (Buffer);
}
