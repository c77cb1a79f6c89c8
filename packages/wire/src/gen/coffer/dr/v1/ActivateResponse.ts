// Original file: proto/dr.proto

import type { Long } from '@grpc/proto-loader';

export interface ActivateResponse {
  'epoch'?: (number | string | Long);
  'primary_cluster_id'?: (string);
}

export interface ActivateResponse__Output {
  'epoch': (string);
  'primary_cluster_id': (string);
}
