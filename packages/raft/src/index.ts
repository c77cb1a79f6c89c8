export type {
  EntryType,
  Entry,
  HardState,
  ConfState,
  ConfChangeType,
  ConfChange,
  SnapshotMeta,
  Snapshot,
  Role,
  AppendMessage,
  AppendResponseMessage,
  VoteMessage,
  VoteResponseMessage,
  HeartbeatMessage,
  HeartbeatResponseMessage,
  SnapshotMessage,
  TimeoutNowMessage,
  ReadIndexMessage,
  ReadIndexResponseMessage,
  Message,
  MessageType,
  ReadState,
  ReadFailure,
  SoftState,
  Ready,
  ProgressState,
  PeerProgress,
  RaftStatus,
} from './types.js';
export { MESSAGE_TYPES } from './types.js';
export type { InitialState, RaftStorage } from './storage.js';
export type { RaftConfig, UnsafeTestingFaults } from './config.js';
export { Raft } from './raft.js';
export { MemoryStorage } from './memory-storage.js';
export { encodeConfChange, decodeConfChange, applyConfChange, validateConfChange, bootstrapLog } from './conf-change.js';
