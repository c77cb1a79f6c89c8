// Original file: proto/node.proto

import type { Long } from '@grpc/proto-loader';

export interface ClientRequestId {
  'client_id'?: (string);
  'seq'?: (number | string | Long);
}

export interface ClientRequestId__Output {
  'client_id': (string);
  'seq': (string);
}
