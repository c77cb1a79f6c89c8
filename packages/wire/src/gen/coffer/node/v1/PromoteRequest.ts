// Original file: proto/node.proto


export interface PromoteRequest {
  'id'?: (string);
}

export interface PromoteRequest__Output {
  'id': (string);
}
