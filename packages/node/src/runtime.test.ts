import { afterEach, describe, expect, it } from 'vitest';
import { nodeId, type NodeId } from '@coffer/base';
import { MemoryStorage } from '@coffer/raft';
import { utf8, fromUtf8 } from './bytes.js';
import { encodeKvCommand, KV_RESULT } from './kv-state-machine.js';
import { leaderOf, startCluster, startNode, waitUntil, type TestNode } from './test-cluster.test-helper.js';

let running: TestNode[] = [];
afterEach(async () => {
  for (const n of running) await n.rt.stop();
  running = [];
});

const put = (k: string, v: string): Uint8Array => encodeKvCommand({ op: 'put', key: utf8(k), value: utf8(v) });

describe('NodeRuntime over the memory twins', () => {
  it('elects a leader, applies writes on every node, and answers linearizable reads on followers', async () => {
    const { nodes } = await startCluster(3);
    running = nodes;
    await waitUntil(() => leaderOf(nodes) !== undefined, 3000, 'a leader');
    const follower = nodes.find((n) => n.rt.roleNow() !== 'leader');
    if (follower === undefined) throw new Error('no follower');
    // Proposed on a follower: forwarded to the leader.
    for (let i = 0; i < 20; i++) {
      const r = await follower.ops.propose({ requestId: { clientId: 'c1', seq: i + 1 }, payload: put(`k${i}`, `v${i}`) }, false);
      expect(r.ok).toBe(true);
    }
    const read = await follower.ops.read(utf8('k19'), true);
    expect(read.ok && fromUtf8(read.value.value)).toBe('v19');
    const leader = leaderOf(nodes);
    await waitUntil(() => nodes.every((n) => n.rt.appliedNow() === leader?.rt.appliedNow()), 3000, 'all applied');
    const digests = new Set(nodes.map((n) => Buffer.from(n.sm.snapshot()).toString('hex')));
    expect(digests.size).toBe(1);
  });

  it('answers a retried request id from the dedup record without applying it twice', async () => {
    const { nodes } = await startCluster(3);
    running = nodes;
    await waitUntil(() => leaderOf(nodes) !== undefined, 3000, 'a leader');
    const leader = leaderOf(nodes);
    if (leader === undefined) throw new Error('no leader');
    const cmd = { requestId: { clientId: 'c9', seq: 7 }, payload: encodeKvCommand({ op: 'delete', key: utf8('x') }) };
    await leader.ops.propose({ requestId: { clientId: 'c8', seq: 1 }, payload: put('x', '1') }, false);
    const first = await leader.ops.propose(cmd, false);
    expect(first.ok && first.value.result[0]).toBe(KV_RESULT.ok);
    // Re-put x, then retry the delete: a second apply would answer "missing" and delete x again.
    await leader.ops.propose({ requestId: { clientId: 'c8', seq: 2 }, payload: put('x', '2') }, false);
    const retry = await leader.ops.propose(cmd, false);
    expect(retry.ok && retry.value.result[0]).toBe(KV_RESULT.ok);
    const read = await leader.ops.read(utf8('x'), true);
    expect(read.ok && fromUtf8(read.value.value)).toBe('2');
  });

  it('fails over after the leader is cut off, and the old leader stops acknowledging', async () => {
    const { net, nodes } = await startCluster(3);
    running = nodes;
    await waitUntil(() => leaderOf(nodes) !== undefined, 3000, 'a leader');
    const old = leaderOf(nodes);
    if (old === undefined) throw new Error('no leader');
    net.isolate(old.id);
    const isolatedWrite = old.ops.propose({ requestId: { clientId: 'iso', seq: 1 }, payload: put('iso', '1') }, false);
    await waitUntil(() => nodes.some((n) => n !== old && n.rt.roleNow() === 'leader'), 3000, 'a new leader');
    await waitUntil(() => old.rt.roleNow() !== 'leader', 3000, 'the old leader to step down (check-quorum)');
    net.heal();
    // The isolated write either fails or (after retry through the new leader) applies exactly once.
    const r = await isolatedWrite;
    const other = nodes.find((n) => n !== old);
    const read = await other?.ops.read(utf8('iso'), true);
    if (r.ok) expect(read?.ok).toBe(true);
  });

  it('compacts the log and catches a restarted empty follower up from a snapshot', async () => {
    const { net, nodes } = await startCluster(3, { thresholdEntries: 20, trailingEntries: 5 });
    running = nodes;
    await waitUntil(() => leaderOf(nodes) !== undefined, 3000, 'a leader');
    const leader = leaderOf(nodes);
    if (leader === undefined) throw new Error('no leader');
    const victim = nodes.find((n) => n !== leader) as TestNode;
    await victim.rt.stop();
    for (let i = 0; i < 60; i++) {
      const r = await leader.ops.propose({ requestId: { clientId: 'c', seq: i + 1 }, payload: put(`k${i}`, 'v') }, false);
      expect(r.ok).toBe(true);
    }
    expect(leader.logStore.raftStorage.firstIndex()).toBeGreaterThan(20);
    // A fresh node with the victim's id and an empty store (a wiped data dir).
    const ids: NodeId[] = nodes.map((n) => n.id);
    const fresh = await startNode(net, victim.id, MemoryStorage.bootstrap({ voters: ids, learners: [] }), new Map(ids.map((id) => [id, `mem:${id}`] as const)), undefined, 99);
    running = [...nodes.filter((n) => n !== victim), fresh];
    await waitUntil(() => fresh.rt.appliedNow() >= leader.rt.appliedNow(), 5000, 'the fresh node to catch up');
    expect(fresh.sm.size).toBe(60);
    expect(fresh.rt.snapshotIndexNow()).toBeGreaterThan(0);
  });

  it('adds a learner, promotes it, and transfers leadership to the best follower', async () => {
    const { net, nodes } = await startCluster(3);
    running = nodes;
    await waitUntil(() => leaderOf(nodes) !== undefined, 3000, 'a leader');
    const leader = leaderOf(nodes) as TestNode;
    const n4 = nodeId('n4');
    const joiner = await startNode(net, n4, new MemoryStorage(), new Map(), undefined, 4);
    running = [...nodes, joiner];
    const added = await leader.ops.addLearner(n4, 'mem:n4');
    expect(added.ok).toBe(true);
    const promoted = await leader.ops.promote(n4);
    expect(promoted.ok).toBe(true);
    expect(leader.rt.status().confState.voters).toContain(n4);
    const moved = await leader.ops.transferLeadership(null);
    expect(moved.ok).toBe(true);
    await waitUntil(() => leaderOf(running) !== undefined && leaderOf(running) !== leader, 3000, 'the new leader');
  });
});
