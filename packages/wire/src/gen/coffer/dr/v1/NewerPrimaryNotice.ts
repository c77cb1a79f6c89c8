// Original file: proto/dr.proto

import type { Long } from '@grpc/proto-loader';

export interface NewerPrimaryNotice {
  'epoch'?: (number | string | Long);
  'new_primary_cluster_id'?: (string);
  'new_primary_addresses'?: (string)[];
}

export interface NewerPrimaryNotice__Output {
  'epoch': (string);
  'new_primary_cluster_id': (string);
  'new_primary_addresses': (string)[];
}
