/** Test helper: a KV + token + policy stack in memory with request shorthands. Not exported. */
import { expect } from 'vitest';
import { memoryHarness } from '../logical/harness.js';
import type { MemoryHarness } from '../logical/harness.js';
import type { LogicalResponse, Operation } from '../logical/types.js';
import { KvV2Engine } from '../kv/kv-engine.js';

export interface AuthStack extends MemoryHarness {
  /** A request as `token` ('' = none; default root). */
  as(token: string, operation: Operation, path: string, data?: unknown): Promise<LogicalResponse>;
  /** Creates a token as `parent` (default root) and returns its id, asserting 200. */
  token(body: Record<string, unknown>, parent?: string, path?: string): Promise<string>;
  /** Writes a policy as root, asserting 204. */
  policy(name: string, text: string): Promise<void>;
}

export function authStack(): AuthStack {
  const h = memoryHarness(new Map([['kv', new KvV2Engine()]]));
  const as: AuthStack['as'] = (token, operation, path, data) => h.executor.execute({ operation, path, token, ...(data !== undefined ? { data } : {}) });
  return {
    ...h,
    as,
    async token(body, parent = h.rootToken, path = 'auth/token/create') {
      const res = await as(parent, 'update', path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return authOf(res).client_token as string;
    },
    async policy(name, text) {
      const res = await as(h.rootToken, 'update', `sys/policy/${name}`, { policy: text });
      expect(res.status, JSON.stringify(res.body)).toBe(204);
    },
  };
}

export const authOf = (res: LogicalResponse): Record<string, unknown> => (res.body as { auth: Record<string, unknown> }).auth;
export const dataOf = (res: LogicalResponse): Record<string, unknown> => (res.body as { data: Record<string, unknown> }).data;
export const errorsOf = (res: LogicalResponse): string[] => (res.body as { errors: string[] }).errors;
