// Original file: proto/raft.proto


export interface VoteResponse {
  'reject'?: (boolean);
}

export interface VoteResponse__Output {
  'reject': (boolean);
}
