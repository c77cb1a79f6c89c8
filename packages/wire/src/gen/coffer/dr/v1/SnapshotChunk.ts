// Original file: proto/dr.proto

import type { Long } from '@grpc/proto-loader';

export interface SnapshotChunk {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'total_bytes'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

export interface SnapshotChunk__Output {
  'index': (string);
  'term': (string);
  'total_bytes': (string);
  'data': (Buffer);
}
