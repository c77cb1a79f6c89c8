/**
 * PUT sys/init retried with the same request id (a gateway or standby whose attempt timed out
 * retries exactly that) must answer the keys that were committed: the keys exist nowhere else,
 * so "already initialized" or a fresh set would lock the operator out of the cluster for good.
 * One real node in this process (runServer: LevelDB, gRPC on loopback), driven over its node API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '@coffer/base';
import { parseServerArgs, runServer, type RunningServer } from '@coffer/cli';
import { NodeApiClient, type HandleRequest } from '@coffer/node';
import { freePort, waitFor } from '../cluster/harness.js';

const root = mkdtempSync(join(tmpdir(), 'coffer-init-retry-'));
let server: RunningServer | undefined;
let client: NodeApiClient;

beforeAll(async () => {
  const port = await freePort();
  const parsed = parseServerArgs(['--node-id', 'n1', '--data-dir', join(root, 'n1'), '--cluster-id', 'init-retry', '--cluster-address', `127.0.0.1:${port}`, '--bootstrap', `n1=127.0.0.1:${port}`]);
  if (!parsed.ok) throw new Error(parsed.error.message);
  server = await runServer(parsed.value, nullLogger);
  client = new NodeApiClient(`127.0.0.1:${port}`);
  await waitFor('n1 to lead', 20_000, () => (server?.runtime.roleNow() === 'leader' ? true : undefined));
});

afterAll(async () => {
  client.close();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

const init = (clientId: string, seq: number): HandleRequest => ({ requestId: { clientId, seq }, operation: 'update', path: 'sys/init', body: { secret_shares: 3, secret_threshold: 2 }, query: {}, token: '' });

describe('sys/init retried with the same request id', () => {
  it('answers the committed keys to a concurrent and a later retry; another request id gets "already initialized"', async () => {
    const [first, concurrent] = await Promise.all([client.handle(init('gw-a', 7)), client.handle(init('gw-a', 7))]);
    const later = await client.handle(init('gw-a', 7));
    const keysOf = (r: typeof first): unknown => (r.ok && r.value.status === 200 ? (r.value.body as { keys: unknown }).keys : `status ${r.ok ? r.value.status : r.error.kind}`);
    const keys = keysOf(first);
    expect(Array.isArray(keys) && keys.length === 3).toBe(true);
    expect(keysOf(concurrent)).toEqual(keys);
    expect(keysOf(later)).toEqual(keys);
    // The committed keys are the real ones: two of them unseal the node.
    const shares = keys as string[];
    for (const key of shares.slice(0, 2)) await client.handle({ requestId: { clientId: 'op', seq: shares.indexOf(key) + 1 }, operation: 'update', path: 'sys/unseal', body: { key }, query: {}, token: '' });
    expect(server?.barrier.isSealed()).toBe(false);
    const other = await client.handle(init('gw-b', 1));
    expect(other.ok && other.value.status).toBe(400);
    expect(JSON.stringify(other.ok ? other.value.body : '')).toContain('already initialized');
  });
});
