// Original file: proto/raft.proto

import type { ConfState as _coffer_raft_v1_ConfState, ConfState__Output as _coffer_raft_v1_ConfState__Output } from '../../../coffer/raft/v1/ConfState.js';
import type { Long } from '@grpc/proto-loader';

export interface SnapshotMeta {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'conf_state'?: (_coffer_raft_v1_ConfState | null);
}

export interface SnapshotMeta__Output {
  'index': (string);
  'term': (string);
  'conf_state': (_coffer_raft_v1_ConfState__Output | null);
}
