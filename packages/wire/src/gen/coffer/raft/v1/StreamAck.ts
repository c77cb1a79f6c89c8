// Original file: proto/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface StreamAck {
  'seq'?: (number | string | Long);
  'accepted'?: (number);
  'rejected'?: (number);
}

export interface StreamAck__Output {
  'seq': (string);
  'accepted': (number);
  'rejected': (number);
}
