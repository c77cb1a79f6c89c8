// Original file: proto/dr.proto

import type { Long } from '@grpc/proto-loader';

export interface StreamRequest {
  'from_index'?: (number | string | Long);
  'max_batch_bytes'?: (number);
}

export interface StreamRequest__Output {
  'from_index': (string);
  'max_batch_bytes': (number);
}
