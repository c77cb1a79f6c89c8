import { describe, expect, it } from 'vitest';
import { KvV2Engine } from '../kv/kv-engine.js';
import { StorageFsm } from '../fsm/storage-fsm.js';
import { memoryHarness } from './harness.js';
import { SysMountsEngine } from './sys-mounts.js';
import { DEFAULT_MOUNTS } from './mounts.js';
import { Executor } from './executor.js';
import { issueRootToken } from '../auth/root-token.js';
import type { LogicalRequest } from './types.js';

function stack() {
  const engines = new Map([['kv', new KvV2Engine()]]);
  return memoryHarness(engines, new Map([['sys/', new SysMountsEngine(new Set(engines.keys()))]]));
}
const put = (path: string, data: unknown): LogicalRequest => ({ operation: 'update', path, data });

describe('Executor', () => {
  it('retries a txn that conflicted with a concurrent write, deciding again on the new state', async () => {
    const h = stack();
    await h.executor.execute(put('secret/data/k', { data: { v: 1 } }));
    let slipped = 0;
    h.proposer.beforeApply = (fsm) => {
      if (slipped++ > 0) return;
      // Another leader-side request lands first: it rewrites the key's metadata.
      const meta = fsm.get('logical/default-secret/metadata/k');
      if (meta !== undefined) fsm.apply({ checks: [], ops: [{ put: 'logical/default-secret/metadata/k', value: meta.value }], leaderTimeMs: 0 }, fsm.appliedIndex + 1);
    };
    const res = await h.executor.execute(put('secret/data/k', { data: { v: 2 }, options: { cas: 1 } }));
    expect(res.status).toBe(200);
    expect(h.proposer.log).toHaveLength(4); // root token, first write, conflicted attempt, retried attempt
  });

  it('gives up after maxAttempts conflicts with a 503 and a retry hint', async () => {
    const h = stack();
    await h.executor.execute(put('secret/data/k', { data: { v: 1 } }));
    h.proposer.beforeApply = (fsm) => {
      const meta = fsm.get('logical/default-secret/metadata/k');
      if (meta !== undefined) fsm.apply({ checks: [], ops: [{ put: 'logical/default-secret/metadata/k', value: meta.value }], leaderTimeMs: 0 }, fsm.appliedIndex + 1);
    };
    const res = await h.executor.execute(put('secret/data/k', { data: { v: 2 } }));
    expect(res.status).toBe(503);
    expect((res.body as { errors: string[] }).errors[0]).toMatch(/retry/);
  });

  it('a sealed barrier answers 503 and proposes nothing', async () => {
    const h = stack();
    await h.executor.execute(put('secret/data/k', { data: { v: 1 } }));
    h.crypter.sealed = true;
    expect(await h.executor.execute({ operation: 'read', path: 'secret/data/k' })).toEqual({ status: 503, body: { errors: ['Vault is sealed'] } });
    expect((await h.executor.execute(put('secret/data/k', { data: { v: 2 } }))).status).toBe(503);
    expect(h.proposer.log).toHaveLength(2); // root token, first write
  });

  it('stamps a fresh request id on every envelope', async () => {
    const h = stack();
    const a = await h.executor.execute(put('secret/data/k', { data: { v: 1 } }));
    const b = await h.executor.execute({ operation: 'read', path: 'secret/data/k' });
    const ida = (a.body as { request_id: string }).request_id;
    expect(ida).not.toBe('');
    expect(ida).not.toBe((b.body as { request_id: string }).request_id);
  });
});

describe('followers', () => {
  it('a keyless follower applying the leader\'s log reaches the same state hash', async () => {
    const h = stack();
    await h.executor.execute(put('sys/mounts/other', { type: 'kv' }));
    for (let i = 0; i < 15; i++) await h.executor.execute(put(`secret/data/k${i % 4}`, { data: { i } }));
    await h.executor.execute(put('other/data/x', { data: { a: 1 }, options: { cas: 0 } }));
    await h.executor.execute(put('other/data/x', { data: { a: 2 }, options: { cas: 0 } })); // CAS refusal: proposes nothing
    await h.executor.execute(put('secret/destroy/k1', { versions: [1, 2] }));
    await h.executor.execute({ operation: 'delete', path: 'secret/metadata/k2' });
    const follower = new StorageFsm(); // no crypter anywhere: it never sees a key
    h.proposer.log.forEach((cmd, i) => expect(follower.applyEncoded(cmd, i + 1).outcome).toEqual({ ok: true }));
    expect(follower.stateHash()).toBe(h.fsm.stateHash());
  });
});

describe('mounts', () => {
  it('mounts a second KV v2 engine with its own storage, lists and unmounts it', async () => {
    const h = stack();
    expect(await h.executor.execute(put('sys/mounts/team-a', { type: 'kv-v2', description: 'team A' }))).toEqual({ status: 204 });
    await h.executor.execute(put('team-a/data/x', { data: { a: 1 } }));
    await h.executor.execute(put('secret/data/x', { data: { s: 1 } }));
    expect(((await h.executor.execute({ operation: 'read', path: 'team-a/data/x' })).body as { data: { data: unknown } }).data.data).toEqual({ a: 1 });
    const table = (await h.executor.execute({ operation: 'read', path: 'sys/mounts' })).body as { data: Record<string, unknown> };
    expect(Object.keys(table.data)).toEqual([...DEFAULT_MOUNTS.map((m) => m.path), 'team-a/']);
    expect((await h.executor.execute(put('sys/mounts/team-a', { type: 'kv' }))).status).toBe(400);
    expect((await h.executor.execute(put('sys/mounts/secret/sub', { type: 'kv' }))).status).toBe(400);
    expect((await h.executor.execute(put('sys/mounts/t', { type: 'nosuch' }))).status).toBe(400);
    expect(await h.executor.execute({ operation: 'delete', path: 'sys/mounts/team-a' })).toEqual({ status: 204 });
    expect((await h.executor.execute({ operation: 'read', path: 'team-a/data/x' })).status).toBe(404);
    // The unmounted engine's records are gone; the other mount's remain.
    const left = h.fsm.list('logical/').map(([k]) => k.split('/')[1]);
    expect(h.fsm.list('auth/token/id/')).toHaveLength(1); // the root token, untouched
    expect(new Set(left)).toEqual(new Set(['default-secret']));
  });
});

describe('auth in the executor', () => {
  it('issueRootToken proposes one txn and returns a working root token; sealed -> a typed error, nothing proposed', async () => {
    const h = stack();
    const before = h.proposer.log.length;
    const root = await issueRootToken(h.executor);
    expect(root.ok).toBe(true);
    expect(h.proposer.log).toHaveLength(before + 1);
    const token = root.ok ? root.value : '';
    expect(token).not.toBe(h.rootToken);
    expect((await h.executor.execute({ ...put('secret/data/k', { data: { v: 1 } }), token })).status).toBe(200);
    h.crypter.sealed = true;
    const sealed = await issueRootToken(h.executor);
    expect(sealed.ok ? 'issued' : sealed.error.kind).toBe('unavailable');
    expect(h.proposer.log).toHaveLength(before + 2);
  });

  it('a custom unauthenticated allow-list replaces the default', async () => {
    const engines = new Map([['kv', new KvV2Engine()]]);
    const h = memoryHarness(engines);
    const open = new Executor({ reader: h.fsm, crypter: h.crypter, proposer: h.proposer, engines, nowMs: () => 0, randomId: () => 'r', isUnauthenticated: (r) => r.path === 'secret/data/public' });
    expect((await open.execute({ operation: 'read', path: 'secret/data/public' })).status).toBe(404);
    expect((await open.execute({ operation: 'read', path: 'secret/data/private' })).status).toBe(403);
  });
});
