export { LevelRaftStorage } from './level-raft-storage.js';
export type { OpenOptions, PersistRequest } from './level-raft-storage.js';
export { StateStore } from './state-store.js';
export type { StateWrite, IterateOptions } from './state-store.js';
export type { StateRecord } from './state-snapshot-codec.js';
