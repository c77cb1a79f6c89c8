/** Test helper: KV + transit in memory, with request shorthands and a recording CSPRNG. Not exported. */
import { randomBytes } from 'node:crypto';
import { memoryHarness } from '../logical/harness.js';
import type { MemoryHarness } from '../logical/harness.js';
import type { LogicalRequest, LogicalResponse, Operation } from '../logical/types.js';
import { KvV2Engine } from '../kv/kv-engine.js';
import { TransitEngine } from './transit-engine.js';

export interface TransitTestStack extends MemoryHarness {
  req(operation: Operation, path: string, data?: unknown): Promise<LogicalResponse>;
  /** POST as `update` (the key must exist for encrypt). */
  post(path: string, data?: unknown): Promise<LogicalResponse>;
  data(res: LogicalResponse): Record<string, unknown>;
  /** Every draw of the engine's CSPRNG, in order. */
  readonly draws: Uint8Array[];
}

export function transitStack(): TransitTestStack {
  const draws: Uint8Array[] = [];
  const random = (n: number): Uint8Array => {
    const b = new Uint8Array(randomBytes(n));
    draws.push(b);
    return b;
  };
  const h = memoryHarness(new Map<string, KvV2Engine | TransitEngine>([['kv', new KvV2Engine()], ['transit', new TransitEngine({ randomBytes: random })]]));
  const req = (operation: Operation, path: string, data?: unknown): Promise<LogicalResponse> => {
    const r: LogicalRequest = { operation, path, ...(data !== undefined ? { data } : {}) };
    return h.executor.execute(r);
  };
  return {
    ...h,
    draws,
    req,
    post: (path, data) => req('update', path, data),
    data(res) {
      return (res.body as { data: Record<string, unknown> }).data;
    },
  };
}

export const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');
export const unb64 = (s: unknown): string => Buffer.from(String(s), 'base64').toString('utf8');
