// Original file: proto/node.proto


export interface SnapshotSaveRequest {
}

export interface SnapshotSaveRequest__Output {
}
