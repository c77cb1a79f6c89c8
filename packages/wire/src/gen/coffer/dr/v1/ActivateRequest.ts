// Original file: proto/dr.proto


export interface ActivateRequest {
  'credential_hash'?: (string);
}

export interface ActivateRequest__Output {
  'credential_hash': (string);
}
