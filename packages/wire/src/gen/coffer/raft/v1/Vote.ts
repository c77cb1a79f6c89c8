// Original file: proto/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface Vote {
  'last_index'?: (number | string | Long);
  'last_term'?: (number | string | Long);
  'is_transfer'?: (boolean);
}

export interface Vote__Output {
  'last_index': (string);
  'last_term': (string);
  'is_transfer': (boolean);
}
