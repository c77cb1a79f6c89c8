// Original file: proto/node.proto


export interface StatusRequest {
}

export interface StatusRequest__Output {
}
