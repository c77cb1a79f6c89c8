import { describe, expect, it } from 'vitest';
import { cofferError, err, ok, type Result } from '@coffer/base';
import type { LogicalAnswer, LogicalCall } from './backend.js';
import { ClusterRouter, type NodeConnection } from './cluster-router.js';
import type { NodeStatus } from './node-handle-client.js';
import type { RequestId } from './request-id-pool.js';
import { RequestIdPool } from './request-id-pool.js';
import { parseNodeList } from './cluster-backend.js';

/** A scripted cluster: which node leads, which are down; every Handle is recorded. */
class FakeCluster {
  leader: string | undefined = 'b';
  down = new Set<string>();
  readonly log: { node: string; id: RequestId }[] = [];
  term = 1;
  connect = (address: string): NodeConnection => ({
    handle: async (_call: LogicalCall, id: RequestId): Promise<Result<LogicalAnswer>> => {
      this.log.push({ node: address, id });
      if (this.down.has(address)) return err(cofferError('unavailable', 'node unreachable (UNAVAILABLE)'));
      if (this.leader === undefined) return err(cofferError('no-leader', 'no leader'));
      return ok({ status: 200, body: Buffer.from(`{"node":"${address}"}`), headers: {} });
    },
    status: async (): Promise<Result<NodeStatus>> => {
      if (this.down.has(address)) return err(cofferError('unavailable', 'down'));
      return ok({ id: address, role: this.leader === address ? 'leader' : 'follower', leaderId: this.leader ?? '', term: this.term });
    },
    close: () => undefined,
  });
}

const call: LogicalCall = { operation: 'update', path: 'secret/data/a', body: { data: {} }, query: {}, token: 't' };

describe('ClusterRouter', () => {
  it('learns the leader and sends calls there', async () => {
    const c = new FakeCluster();
    const r = new ClusterRouter({ nodes: ['a', 'b', 'c'], connect: c.connect });
    expect((await r.handle(call)).ok).toBe(true);
    await r.findLeader();
    expect(r.believedLeader).toBe('b');
    await r.handle(call);
    expect(c.log.at(-1)?.node).toBe('b');
  });

  it('fails over to another node with the SAME request id when the leader is unreachable', async () => {
    const c = new FakeCluster();
    const r = new ClusterRouter({ nodes: ['a', 'b', 'c'], connect: c.connect });
    await r.findLeader();
    c.down.add('b');
    c.leader = 'c';
    const res = await r.handle(call);
    expect(res.ok && Buffer.from(res.value.body).toString()).toBe('{"node":"c"}');
    const ids = c.log.map((l) => `${l.id.clientId}/${l.id.seq}`);
    expect(new Set(ids).size).toBe(1);
    expect(c.log[0]?.node).toBe('b');
    expect(r.believedLeader).toBe('c');
  });

  it('waits (bounded) while no leader appears, then answers the routing error', async () => {
    const c = new FakeCluster();
    c.leader = undefined;
    const r = new ClusterRouter({ nodes: ['a', 'b'], connect: c.connect, failoverWindowMs: 150, retryDelayMs: 20 });
    const t0 = performance.now();
    const res = await r.handle(call);
    const ms = performance.now() - t0;
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.kind).toBe('no-leader');
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(2000);
    expect(c.log.length).toBeGreaterThan(2);
    expect(c.log.length).toBeLessThanOrEqual(64);
  });

  it('recovers within the window when a leader appears', async () => {
    const c = new FakeCluster();
    c.leader = undefined;
    const r = new ClusterRouter({ nodes: ['a', 'b'], connect: c.connect, failoverWindowMs: 2000, retryDelayMs: 10 });
    const pending = r.handle(call);
    setTimeout(() => { c.leader = 'a'; }, 60);
    const res = await pending;
    expect(res.ok).toBe(true);
    expect(new Set(c.log.map((l) => l.id.seq)).size).toBe(1);
  });

  it('answers every node down with unavailable, bounded in attempts', async () => {
    const c = new FakeCluster();
    c.down = new Set(['a', 'b', 'c']);
    const r = new ClusterRouter({ nodes: ['a', 'b', 'c'], connect: c.connect, failoverWindowMs: 100, retryDelayMs: 10 });
    const res = await r.handle(call);
    expect(!res.ok && res.error.kind).toBe('unavailable');
    expect(c.log.length).toBeLessThanOrEqual(64);
  });

  it('returns a non-routing error at once', async () => {
    let n = 0;
    const r = new ClusterRouter({
      nodes: ['a', 'b'],
      connect: () => ({
        handle: async () => { n++; return err(cofferError('invalid-request', 'stale request id')); },
        status: async () => err(cofferError('unavailable', 'x')),
        close: () => undefined,
      }),
    });
    const res = await r.handle(call);
    expect(!res.ok && res.error.kind).toBe('invalid-request');
    expect(n).toBe(1);
  });

  it('lends each client id to one call at a time, with a growing seq', async () => {
    const c = new FakeCluster();
    const r = new ClusterRouter({ nodes: ['b'], connect: c.connect });
    await r.handle(call);
    await r.handle(call);
    await Promise.all([r.handle(call), r.handle(call), r.handle(call)]);
    const first = c.log[0]!.id;
    expect(c.log[1]!.id).toEqual({ clientId: first.clientId, seq: first.seq + 1 });
    const concurrent = c.log.slice(2).map((l) => l.id.clientId);
    expect(new Set(concurrent).size).toBe(3);
  });
});

describe('RequestIdPool', () => {
  it('reuses released ids with seq + 1, never lends one id twice, and is bounded', () => {
    const p = new RequestIdPool(2);
    const a = p.acquire()!;
    const b = p.acquire()!;
    expect(a.clientId).not.toBe(b.clientId);
    expect(p.acquire()).toBeUndefined();
    p.release(a);
    p.release(a); // a second release is ignored
    const a2 = p.acquire()!;
    expect(a2).toEqual({ clientId: a.clientId, seq: a.seq + 1 });
    expect(p.acquire()).toBeUndefined();
    expect(p.size).toBe(2);
  });

  it('draws a new random prefix per pool (a restarted gateway never reuses an id)', () => {
    expect(new RequestIdPool().acquire()!.clientId).not.toBe(new RequestIdPool().acquire()!.clientId);
  });
});

describe('parseNodeList', () => {
  it('accepts host:port lists and refuses parts without a port', () => {
    expect(parseNodeList('127.0.0.1:8201, a.b:1 ,[::1]:9')).toEqual(['127.0.0.1:8201', 'a.b:1', '[::1]:9']);
    expect(() => parseNodeList('')).toThrow(/at least one/);
    expect(() => parseNodeList('127.0.0.1')).toThrow(/not host:port/);
  });
});
