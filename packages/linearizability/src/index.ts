export type { KvOpKind, KvOperation, Verdict, CheckResult, CheckOptions } from './types.js';
export type { Model, RegisterInput, RegisterOutput } from './model.js';
export { registerModel } from './model.js';
export type { TimedOp, SearchResult } from './wgl.js';
export { searchLinearization } from './wgl.js';
export { checkHistory } from './check-history.js';
