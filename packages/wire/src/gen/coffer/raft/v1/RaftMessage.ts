// Original file: proto/raft.proto

import type { Append as _coffer_raft_v1_Append, Append__Output as _coffer_raft_v1_Append__Output } from '../../../coffer/raft/v1/Append.js';
import type { AppendResponse as _coffer_raft_v1_AppendResponse, AppendResponse__Output as _coffer_raft_v1_AppendResponse__Output } from '../../../coffer/raft/v1/AppendResponse.js';
import type { Vote as _coffer_raft_v1_Vote, Vote__Output as _coffer_raft_v1_Vote__Output } from '../../../coffer/raft/v1/Vote.js';
import type { VoteResponse as _coffer_raft_v1_VoteResponse, VoteResponse__Output as _coffer_raft_v1_VoteResponse__Output } from '../../../coffer/raft/v1/VoteResponse.js';
import type { Heartbeat as _coffer_raft_v1_Heartbeat, Heartbeat__Output as _coffer_raft_v1_Heartbeat__Output } from '../../../coffer/raft/v1/Heartbeat.js';
import type { HeartbeatResponse as _coffer_raft_v1_HeartbeatResponse, HeartbeatResponse__Output as _coffer_raft_v1_HeartbeatResponse__Output } from '../../../coffer/raft/v1/HeartbeatResponse.js';
import type { SnapshotMeta as _coffer_raft_v1_SnapshotMeta, SnapshotMeta__Output as _coffer_raft_v1_SnapshotMeta__Output } from '../../../coffer/raft/v1/SnapshotMeta.js';
import type { TimeoutNow as _coffer_raft_v1_TimeoutNow, TimeoutNow__Output as _coffer_raft_v1_TimeoutNow__Output } from '../../../coffer/raft/v1/TimeoutNow.js';
import type { ReadIndex as _coffer_raft_v1_ReadIndex, ReadIndex__Output as _coffer_raft_v1_ReadIndex__Output } from '../../../coffer/raft/v1/ReadIndex.js';
import type { ReadIndexResponse as _coffer_raft_v1_ReadIndexResponse, ReadIndexResponse__Output as _coffer_raft_v1_ReadIndexResponse__Output } from '../../../coffer/raft/v1/ReadIndexResponse.js';
import type { Long } from '@grpc/proto-loader';

export interface RaftMessage {
  'from'?: (string);
  'to'?: (string);
  'term'?: (number | string | Long);
  'append'?: (_coffer_raft_v1_Append | null);
  'append_resp'?: (_coffer_raft_v1_AppendResponse | null);
  'vote'?: (_coffer_raft_v1_Vote | null);
  'pre_vote'?: (_coffer_raft_v1_Vote | null);
  'vote_resp'?: (_coffer_raft_v1_VoteResponse | null);
  'pre_vote_resp'?: (_coffer_raft_v1_VoteResponse | null);
  'heartbeat'?: (_coffer_raft_v1_Heartbeat | null);
  'heartbeat_resp'?: (_coffer_raft_v1_HeartbeatResponse | null);
  'snapshot'?: (_coffer_raft_v1_SnapshotMeta | null);
  'timeout_now'?: (_coffer_raft_v1_TimeoutNow | null);
  'read_index'?: (_coffer_raft_v1_ReadIndex | null);
  'read_index_resp'?: (_coffer_raft_v1_ReadIndexResponse | null);
  'body'?: "append"|"append_resp"|"vote"|"pre_vote"|"vote_resp"|"pre_vote_resp"|"heartbeat"|"heartbeat_resp"|"snapshot"|"timeout_now"|"read_index"|"read_index_resp";
}

export interface RaftMessage__Output {
  'from': (string);
  'to': (string);
  'term': (string);
  'append'?: (_coffer_raft_v1_Append__Output | null);
  'append_resp'?: (_coffer_raft_v1_AppendResponse__Output | null);
  'vote'?: (_coffer_raft_v1_Vote__Output | null);
  'pre_vote'?: (_coffer_raft_v1_Vote__Output | null);
  'vote_resp'?: (_coffer_raft_v1_VoteResponse__Output | null);
  'pre_vote_resp'?: (_coffer_raft_v1_VoteResponse__Output | null);
  'heartbeat'?: (_coffer_raft_v1_Heartbeat__Output | null);
  'heartbeat_resp'?: (_coffer_raft_v1_HeartbeatResponse__Output | null);
  'snapshot'?: (_coffer_raft_v1_SnapshotMeta__Output | null);
  'timeout_now'?: (_coffer_raft_v1_TimeoutNow__Output | null);
  'read_index'?: (_coffer_raft_v1_ReadIndex__Output | null);
  'read_index_resp'?: (_coffer_raft_v1_ReadIndexResponse__Output | null);
  'body'?: "append"|"append_resp"|"vote"|"pre_vote"|"vote_resp"|"pre_vote_resp"|"heartbeat"|"heartbeat_resp"|"snapshot"|"timeout_now"|"read_index"|"read_index_resp";
}
