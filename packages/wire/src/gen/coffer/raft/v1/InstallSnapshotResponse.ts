// Original file: proto/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface InstallSnapshotResponse {
  'accepted'?: (boolean);
  'received_bytes'?: (number | string | Long);
}

export interface InstallSnapshotResponse__Output {
  'accepted': (boolean);
  'received_bytes': (string);
}
