// Original file: proto/node.proto


export interface AddLearnerRequest {
  'id'?: (string);
  'address'?: (string);
}

export interface AddLearnerRequest__Output {
  'id': (string);
  'address': (string);
}
