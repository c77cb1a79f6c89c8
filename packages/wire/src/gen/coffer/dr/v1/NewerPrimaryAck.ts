// Original file: proto/dr.proto


export interface NewerPrimaryAck {
  'fenced'?: (boolean);
}

export interface NewerPrimaryAck__Output {
  'fenced': (boolean);
}
