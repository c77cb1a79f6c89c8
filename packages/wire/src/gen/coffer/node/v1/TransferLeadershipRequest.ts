// Original file: proto/node.proto


export interface TransferLeadershipRequest {
  'target'?: (string);
}

export interface TransferLeadershipRequest__Output {
  'target': (string);
}
