// Original file: proto/dr.proto


export interface SnapshotRequest {
}

export interface SnapshotRequest__Output {
}
