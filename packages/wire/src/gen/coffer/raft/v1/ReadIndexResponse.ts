// Original file: proto/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface ReadIndexResponse {
  'ctx'?: (string);
  'index'?: (number | string | Long);
  'reject'?: (boolean);
}

export interface ReadIndexResponse__Output {
  'ctx': (string);
  'index': (string);
  'reject': (boolean);
}
