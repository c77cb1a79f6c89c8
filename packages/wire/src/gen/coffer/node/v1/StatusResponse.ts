// Original file: proto/node.proto

import type { PeerStatus as _coffer_node_v1_PeerStatus, PeerStatus__Output as _coffer_node_v1_PeerStatus__Output } from '../../../coffer/node/v1/PeerStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface StatusResponse {
  'id'?: (string);
  'term'?: (number | string | Long);
  'role'?: (string);
  'leader_id'?: (string);
  'commit'?: (number | string | Long);
  'applied'?: (number | string | Long);
  'first_index'?: (number | string | Long);
  'last_index'?: (number | string | Long);
  'voters'?: (string)[];
  'learners'?: (string)[];
  'peers'?: (_coffer_node_v1_PeerStatus)[];
  'snapshot_index'?: (number | string | Long);
  'state_digest'?: (string);
  'leader_address'?: (string);
}

export interface StatusResponse__Output {
  'id': (string);
  'term': (string);
  'role': (string);
  'leader_id': (string);
  'commit': (string);
  'applied': (string);
  'first_index': (string);
  'last_index': (string);
  'voters': (string)[];
  'learners': (string)[];
  'peers': (_coffer_node_v1_PeerStatus__Output)[];
  'snapshot_index': (string);
  'state_digest': (string);
  'leader_address': (string);
}
