export type { Txn, TxnCheck, TxnOp } from './fsm/txn.js';
export { encodeTxn, decodeTxn, validateTxn, storagePathProblem, TXN_VERSION, MAX_PATH_BYTES } from './fsm/txn.js';
export type { StoredEntry, TxnOutcome, StorageWrite, ApplyResult, PutGuard, StorageFsmOptions } from './fsm/storage-fsm.js';
export { StorageFsm } from './fsm/storage-fsm.js';
export { encodeStoredRecord, decodeStoredRecord } from './fsm/snapshot-codec.js';
export { comparePaths } from './fsm/ordered-map.js';
export type {
  Operation, LogicalRequest, LogicalResponse, Crypter, StorageReader, Proposer, StorageView, MountEntry, EngineContext, Outcome, Engine,
} from './logical/types.js';
export type { Envelope } from './logical/response.js';
export { envelope, errorResponse, noContent, notFound, badRequest, fromError, STATUS_BY_KIND } from './logical/response.js';
export type { ExecutorOptions } from './logical/executor.js';
export { Executor, DEFAULT_MAX_ATTEMPTS } from './logical/executor.js';
export { ScopedView, TxnBuilder } from './logical/storage-view.js';
export { MOUNTS_PATH, LOGICAL_PREFIX, DEFAULT_MOUNTS, readMounts, resolveMount } from './logical/mounts.js';
export { requestPathProblem } from './logical/paths.js';
export { rfc3339, goDuration, parseDurationSeconds } from './logical/time.js';
export type { MemoryHarness } from './logical/harness.js';
export { MemoryCrypter, LocalProposer, memoryHarness } from './logical/harness.js';
export { KvV2Engine } from './kv/kv-engine.js';
export { SysMountsEngine } from './logical/sys-mounts.js';
export { CAS_MISMATCH, CAS_REQUIRED, mergePatch } from './kv/kv-data.js';
export { DEFAULT_MAX_VERSIONS } from './kv/kv-records.js';
