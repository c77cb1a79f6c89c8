// Original file: proto/node.proto


export interface ReadRequest {
  'query'?: (Buffer | Uint8Array | string);
  'linearizable'?: (boolean);
}

export interface ReadRequest__Output {
  'query': (Buffer);
  'linearizable': (boolean);
}
