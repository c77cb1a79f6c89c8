// Original file: proto/raft.proto

import type { RaftMessage as _coffer_raft_v1_RaftMessage, RaftMessage__Output as _coffer_raft_v1_RaftMessage__Output } from '../../../coffer/raft/v1/RaftMessage.js';
import type { Long } from '@grpc/proto-loader';

export interface SnapshotChunk {
  'message'?: (_coffer_raft_v1_RaftMessage | null);
  'total_bytes'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

export interface SnapshotChunk__Output {
  'message': (_coffer_raft_v1_RaftMessage__Output | null);
  'total_bytes': (string);
  'data': (Buffer);
}
