// Original file: proto/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface AppendResponse {
  'reject'?: (boolean);
  'index'?: (number | string | Long);
  'hint_index'?: (number | string | Long);
  'hint_term'?: (number | string | Long);
}

export interface AppendResponse__Output {
  'reject': (boolean);
  'index': (string);
  'hint_index': (string);
  'hint_term': (string);
}
