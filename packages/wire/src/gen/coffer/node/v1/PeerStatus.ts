// Original file: proto/node.proto

import type { Long } from '@grpc/proto-loader';

export interface PeerStatus {
  'id'?: (string);
  'address'?: (string);
  'match'?: (number | string | Long);
  'next'?: (number | string | Long);
  'state'?: (string);
  'is_learner'?: (boolean);
  'lag_entries'?: (number | string | Long);
  'lag_ms'?: (number | string);
  'ms_since_contact'?: (number | string | Long);
}

export interface PeerStatus__Output {
  'id': (string);
  'address': (string);
  'match': (string);
  'next': (string);
  'state': (string);
  'is_learner': (boolean);
  'lag_entries': (string);
  'lag_ms': (number);
  'ms_since_contact': (string);
}
