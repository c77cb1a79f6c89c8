/**
 * Helpers for the seal tests: logical requests through the node API's Handle RPC (what the
 * gateway will map HTTP onto), with one request id per call.
 */
import { randomUUID } from 'node:crypto';
import type { HandleResponse, LogicalOperation } from '@coffer/node';
import type { Cluster } from './harness.js';
import { waitFor } from './harness.js';

/**
 * A client id and its sequence. The node's dedup table expects one request at a time per client
 * id (a lower seq arriving after a higher one is refused as stale), so every concurrent actor
 * (a background writer) needs its own.
 */
export interface Actor {
  readonly clientId: string;
  seq: number;
}

export const newActor = (): Actor => ({ clientId: `seal-test-${randomUUID()}`, seq: 0 });
const main = newActor();
/** The root token from init ("" until then, or when the token engine is not built in). */
export const auth = { token: '' };

export async function call(c: Cluster, id: string, operation: LogicalOperation, path: string, body?: unknown, query: Record<string, string> = {}, who: Actor = main): Promise<HandleResponse> {
  who.seq += 1;
  const r = await c.node(id).client.handle({ requestId: { clientId: who.clientId, seq: who.seq }, operation, path, body, query, token: auth.token }, 15_000);
  if (!r.ok) throw new Error(`${operation} ${path} on ${id}: ${r.error.kind}: ${r.error.message}`);
  return r.value;
}

export interface SealStatusBody {
  initialized: boolean;
  sealed: boolean;
  t: number;
  n: number;
  progress: number;
  nonce: string;
  last_unseal_error?: string;
}

export async function sealStatus(c: Cluster, id: string): Promise<SealStatusBody> {
  const r = await call(c, id, 'read', 'sys/seal-status');
  return r.body as SealStatusBody;
}

export async function unsealWith(c: Cluster, id: string, shares: readonly string[]): Promise<SealStatusBody> {
  let last: SealStatusBody | undefined;
  for (const key of shares) {
    const r = await call(c, id, 'update', 'sys/unseal', { key });
    if (r.status !== 200) throw new Error(`unseal ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    last = r.body as SealStatusBody;
  }
  if (last === undefined) throw new Error('no shares');
  return last;
}

/** Waits until `id` has applied the init entry (its seal-status says initialized). */
export function waitInitialized(c: Cluster, id: string, timeoutMs = 10_000): Promise<true> {
  return waitFor(`${id} initialized`, timeoutMs, async () => ((await sealStatus(c, id).catch(() => undefined))?.initialized === true ? true : undefined));
}

export function errorsOf(r: HandleResponse): string {
  const b = r.body as { errors?: string[] } | undefined;
  return (b?.errors ?? []).join('; ');
}
