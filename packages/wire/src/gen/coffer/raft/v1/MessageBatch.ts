// Original file: proto/raft.proto

import type { RaftMessage as _coffer_raft_v1_RaftMessage, RaftMessage__Output as _coffer_raft_v1_RaftMessage__Output } from '../../../coffer/raft/v1/RaftMessage.js';
import type { Long } from '@grpc/proto-loader';

export interface MessageBatch {
  'seq'?: (number | string | Long);
  'messages'?: (_coffer_raft_v1_RaftMessage)[];
}

export interface MessageBatch__Output {
  'seq': (string);
  'messages': (_coffer_raft_v1_RaftMessage__Output)[];
}
