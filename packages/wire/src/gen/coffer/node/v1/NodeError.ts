// Original file: proto/node.proto


export interface NodeError {
  'kind'?: (string);
  'message'?: (string);
  'leader_id'?: (string);
  'leader_address'?: (string);
}

export interface NodeError__Output {
  'kind': (string);
  'message': (string);
  'leader_id': (string);
  'leader_address': (string);
}
