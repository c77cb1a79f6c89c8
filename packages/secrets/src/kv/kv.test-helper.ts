/** Test helper: a KV v2 stack in memory, with request shorthands. Not exported from the package. */
import { memoryHarness } from '../logical/harness.js';
import type { MemoryHarness } from '../logical/harness.js';
import type { LogicalRequest, LogicalResponse, Operation } from '../logical/types.js';
import { KvV2Engine } from './kv-engine.js';

export interface KvTestStack extends MemoryHarness {
  req(operation: Operation, path: string, data?: unknown, query?: Record<string, string>): Promise<LogicalResponse>;
  /** Body `data` of a response (for terse assertions). */
  data(res: LogicalResponse): Record<string, unknown>;
}

export function kvStack(): KvTestStack {
  const h = memoryHarness(new Map([['kv', new KvV2Engine()]]));
  return {
    ...h,
    req(operation, path, data, query) {
      const r: LogicalRequest = { operation, path, ...(data !== undefined ? { data } : {}), ...(query !== undefined ? { query } : {}) };
      return h.executor.execute(r);
    },
    data(res) {
      return (res.body as { data: Record<string, unknown> }).data;
    },
  };
}
