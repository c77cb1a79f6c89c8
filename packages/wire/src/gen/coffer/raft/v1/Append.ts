// Original file: proto/raft.proto

import type { Entry as _coffer_raft_v1_Entry, Entry__Output as _coffer_raft_v1_Entry__Output } from '../../../coffer/raft/v1/Entry.js';
import type { Long } from '@grpc/proto-loader';

export interface Append {
  'prev_index'?: (number | string | Long);
  'prev_term'?: (number | string | Long);
  'entries'?: (_coffer_raft_v1_Entry)[];
  'commit'?: (number | string | Long);
}

export interface Append__Output {
  'prev_index': (string);
  'prev_term': (string);
  'entries': (_coffer_raft_v1_Entry__Output)[];
  'commit': (string);
}
