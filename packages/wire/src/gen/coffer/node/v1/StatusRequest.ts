// Original file: proto/node.proto


export interface StatusRequest {
  'include_digest'?: (boolean);
}

export interface StatusRequest__Output {
  'include_digest': (boolean);
}
