// Original file: proto/node.proto


export interface SetFaultsRequest {
  'drop_peers'?: (string)[];
  'drop_rate'?: (number | string);
  'delay_ms'?: (number);
  'clear'?: (boolean);
}

export interface SetFaultsRequest__Output {
  'drop_peers': (string)[];
  'drop_rate': (number);
  'delay_ms': (number);
  'clear': (boolean);
}
