// Original file: proto/raft.proto


export interface ReadIndex {
  'ctx'?: (string);
}

export interface ReadIndex__Output {
  'ctx': (string);
}
