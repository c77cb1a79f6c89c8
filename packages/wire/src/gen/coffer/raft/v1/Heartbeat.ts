// Original file: proto/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface Heartbeat {
  'commit'?: (number | string | Long);
  'seq'?: (number | string | Long);
}

export interface Heartbeat__Output {
  'commit': (string);
  'seq': (string);
}
