// Original file: proto/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatResponse {
  'seq'?: (number | string | Long);
}

export interface HeartbeatResponse__Output {
  'seq': (string);
}
