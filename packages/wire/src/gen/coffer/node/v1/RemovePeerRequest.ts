// Original file: proto/node.proto


export interface RemovePeerRequest {
  'id'?: (string);
}

export interface RemovePeerRequest__Output {
  'id': (string);
}
