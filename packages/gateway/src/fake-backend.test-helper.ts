/** An in-memory HandleBackend for the edge's tests: records every call, answers what it is told. */
import { ok, type Result } from '@coffer/base';
import type { HandleBackend, LogicalAnswer, LogicalCall } from './backend.js';

export type Responder = (call: LogicalCall) => Promise<Result<LogicalAnswer>> | Result<LogicalAnswer>;

export const json = (status: number, body?: unknown, headers: Record<string, string> = {}): Result<LogicalAnswer> =>
  ok({ status, body: body === undefined ? new Uint8Array(0) : Buffer.from(JSON.stringify(body)), headers });

export class FakeBackend implements HandleBackend {
  readonly calls: LogicalCall[] = [];
  isClosed = false;
  constructor(public respond: Responder = () => json(200, { data: { ok: true } })) {}
  async handle(call: LogicalCall): Promise<Result<LogicalAnswer>> {
    this.calls.push(call);
    return this.respond(call);
  }
  close(): void {
    this.isClosed = true;
  }
}
