import { afterEach, describe, expect, it } from 'vitest';
import type { NodeId } from '@coffer/base';
import type { Message } from '@coffer/raft';
import { binaryBytes, sampleMessages, sampleSnapshot } from './sample-messages.js';
import type { TestNode } from './testing.js';
import { closeAll, heartbeat, startCluster, startNode, waitFor } from './testing.js';

let nodes: TestNode[] = [];
afterEach(async () => {
  await closeAll(nodes);
  nodes = [];
});

const seqs = (inbox: readonly Message[]): number[] => inbox.flatMap((m) => (m.type === 'heartbeat' ? [m.seq] : []));
const hbs = (from: NodeId, to: NodeId, lo: number, hi: number): Message[] =>
  Array.from({ length: hi - lo }, (_, i) => heartbeat(from, to, lo + i));

describe('RaftTransport on loopback', () => {
  it('delivers every message type intact and in order', async () => {
    nodes = await startCluster(['n1', 'n2']);
    const [a, b] = nodes as [TestNode, TestNode];
    const msgs = sampleMessages(a.id, b.id);
    a.transport.send(msgs);
    await waitFor('all messages', () => b.inbox.length === msgs.length);
    expect(b.inbox).toEqual(msgs);
    const first = b.inbox[0];
    expect(first?.type === 'append' && first.entries[0]?.data).toEqual(binaryBytes(1024, 3));
  });

  it('batches the messages of one send() and routes each to its peer', async () => {
    nodes = await startCluster(['n1', 'n2', 'n3'], () => ({ maxBatchMessages: 100 }));
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    a.transport.send([...hbs(a.id, b.id, 0, 1000), ...hbs(a.id, c.id, 5000, 5010)]);
    await waitFor('1000 + 10 messages', () => b.inbox.length === 1000 && c.inbox.length === 10);
    expect(seqs(b.inbox)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(seqs(c.inbox)).toEqual(Array.from({ length: 10 }, (_, i) => 5000 + i));
    const toB = a.transport.stats().get(b.id);
    expect(toB?.sentMessages).toBe(1000);
    expect(toB?.sentBatches).toBe(10); // 1000 messages / maxBatchMessages 100
    expect(a.transport.stats().get(c.id)?.sentBatches).toBe(1);
  });

  it('reassembles a snapshot larger than one chunk and reports success', async () => {
    nodes = await startCluster(['n1', 'n2'], () => ({ snapshotChunkBytes: 64 * 1024 }));
    const [a, b] = nodes as [TestNode, TestNode];
    const data = binaryBytes(5 * 64 * 1024 + 123, 9);
    const snap = sampleSnapshot(a.id, b.id, data);
    a.transport.send([snap]);
    await waitFor('snapshot status', () => a.snapshotStatus.length === 1);
    expect(a.snapshotStatus).toEqual([{ peer: b.id, isOk: true }]);
    expect(b.inbox).toHaveLength(1);
    const got = b.inbox[0];
    if (got?.type !== 'snapshot') throw new Error('expected a snapshot message');
    // Byte comparison directly: a deep toEqual over 320 K elements takes a second.
    expect(Buffer.compare(got.snapshot.data, data)).toBe(0);
    expect(got.snapshot.data.byteLength).toBe(data.byteLength);
    const empty = new Uint8Array(0);
    expect({ ...got, snapshot: { ...got.snapshot, data: empty } }).toEqual({ ...snap, snapshot: { ...snap.snapshot, data: empty } });
  });

  it('rejects a snapshot above maxSnapshotBytes and reports failure', async () => {
    nodes = await startCluster(['n1', 'n2'], (id) => ({ snapshotChunkBytes: 16 * 1024, ...(id === 'n2' ? { maxSnapshotBytes: 100_000 } : {}) }));
    const [a, b] = nodes as [TestNode, TestNode];
    a.transport.send([sampleSnapshot(a.id, b.id, binaryBytes(100_001))]);
    await waitFor('snapshot status', () => a.snapshotStatus.length === 1);
    expect(a.snapshotStatus).toEqual([{ peer: b.id, isOk: false }]);
    expect(b.inbox).toHaveLength(0);
    const warn = a.logger.records.find((r) => r.msg.startsWith('snapshot to n2 failed'));
    expect(warn?.msg).toMatch(/100001 bytes exceeds this node's limit of 100000 bytes/);
    // A snapshot within the limit still goes through afterwards.
    a.transport.send([sampleSnapshot(a.id, b.id, binaryBytes(100_000))]);
    await waitFor('second status', () => a.snapshotStatus.length === 2);
    expect(a.snapshotStatus[1]?.isOk).toBe(true);
  });

  it('reconnects after the peer restarts on the same port', async () => {
    nodes = await startCluster(['n1', 'n2']);
    const [a, b] = nodes as [TestNode, TestNode];
    a.transport.send([heartbeat(a.id, b.id, 1)]);
    await waitFor('first message', () => b.inbox.length === 1);

    await b.transport.close();
    a.transport.send([heartbeat(a.id, b.id, 2)]);
    await waitFor('peer reported unreachable', () => a.unreachable.includes(b.id));

    const b2 = await startNode('n2', { listenAddress: b.address });
    nodes = [a, b2];
    b2.transport.setPeers({ n1: a.address });
    // Keep sending (as raft's heartbeats would) until one gets through; bounded by waitFor.
    let seq = 100;
    await waitFor('delivery after restart', () => {
      a.transport.send([heartbeat(a.id, b.id, seq++)]);
      return b2.inbox.length > 0;
    });
    expect(b2.inbox[0]?.from).toBe(a.id);
    await waitFor('stream open again', () => a.transport.linkState(b.id) === 'open');
    expect(a.transport.stats().get(b.id)?.streamsBroken).toBeGreaterThanOrEqual(1);
  });

  it('drops (and counts) messages for a peer that is down instead of queueing them', async () => {
    nodes = await startCluster(['n1', 'n2'], () => ({ reconnectInitialMs: 5_000, reconnectMaxMs: 5_000 }));
    const [a, b] = nodes as [TestNode, TestNode];
    await b.transport.close();
    a.transport.send([heartbeat(a.id, b.id, 1)]);
    await waitFor('backoff', () => a.transport.linkState(b.id) === 'backoff');
    const reportsBefore = a.unreachable.length;
    a.transport.send(hbs(a.id, b.id, 0, 10_000));
    const c = a.transport.stats().get(b.id);
    expect(c?.droppedPeerDown).toBeGreaterThanOrEqual(10_000);
    expect(a.transport.linkState(b.id)).toBe('backoff');
    // Reported, but never from inside send(): the handler may call back into raft.
    expect(a.unreachable.length).toBe(reportsBefore);
    await waitFor('unreachable report', () => a.unreachable.length === reportsBefore + 1);
  });

  it('follows a peer to its new address after setPeers', async () => {
    nodes = await startCluster(['n1', 'n2']);
    const [a, b] = nodes as [TestNode, TestNode];
    a.transport.send([heartbeat(a.id, b.id, 1)]);
    await waitFor('first delivery', () => b.inbox.length === 1);
    await b.transport.close();
    const moved = await startNode('n2', { peers: { n1: a.address } }); // a new ephemeral port
    nodes = [a, moved];
    a.transport.setPeers({ n2: moved.address });
    a.transport.send([heartbeat(a.id, b.id, 2)]);
    await waitFor('delivery at the new address', () => moved.inbox.length === 1);
    expect(moved.inbox).toEqual([heartbeat(a.id, b.id, 2)]);
  });

  it('refuses a peer from another cluster, and the sender logs it once per interval', async () => {
    nodes = await startCluster(['n1', 'n2'], (id) => (id === 'n2' ? { clusterId: 'c2' } : {}));
    const [a, b] = nodes as [TestNode, TestNode];
    let seq = 0;
    await waitFor('several refused attempts', () => {
      a.transport.send([heartbeat(a.id, b.id, seq++)]);
      return (a.transport.stats().get(b.id)?.streamsBroken ?? 0) >= 3;
    });
    expect(b.inbox).toHaveLength(0);
    expect(a.unreachable).toContain(b.id);
    const errors = a.logger.records.filter((r) => r.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toBe(
      'peer n2 refused this node\'s raft stream: cluster id mismatch: node n2 is in cluster c2, peer n1 is in cluster c1',
    );
    expect(errors[0]?.fields['code']).toBe(9); // FAILED_PRECONDITION
  });

  it('refuses a node that is not a member', async () => {
    nodes = await startCluster(['n1', 'n2']);
    const [a, b] = nodes as [TestNode, TestNode];
    b.transport.setPeers({}); // n2 no longer knows n1
    a.transport.send([heartbeat(a.id, b.id, 1)]);
    await waitFor('refusal logged', () => a.logger.records.some((r) => r.level === 'error'));
    const e = a.logger.records.find((r) => r.level === 'error');
    expect(e?.msg).toMatch(/peer n1 is not a member of cluster c1/);
    expect(e?.fields['code']).toBe(7); // PERMISSION_DENIED
    expect(b.inbox).toHaveLength(0);
  });

  it('ends streams to and from a removed peer and reports sends to it as unreachable', async () => {
    nodes = await startCluster(['n1', 'n2']);
    const [a, b] = nodes as [TestNode, TestNode];
    b.transport.send([heartbeat(b.id, a.id, 1)]);
    await waitFor('b -> a', () => a.inbox.length === 1);
    a.transport.setPeers({});
    a.transport.send([heartbeat(a.id, b.id, 2)]);
    await waitFor('unreachable', () => a.unreachable.includes(b.id));
    await waitFor('b sees its stream end', () => b.unreachable.includes(a.id));
    expect(b.inbox).toHaveLength(0);
  });

  it('survives a handler that throws', async () => {
    nodes = await startCluster(['n1', 'n2']);
    const [a, b] = nodes as [TestNode, TestNode];
    const got: number[] = [];
    b.transport.onMessage((m) => {
      if (m.type === 'heartbeat' && m.seq === 1) throw new Error('boom');
      if (m.type === 'heartbeat') got.push(m.seq);
    });
    a.transport.send(hbs(a.id, b.id, 0, 3));
    await waitFor('messages around the throw', () => got.length === 2);
    expect(got).toEqual([0, 2]);
    expect(b.logger.records.some((r) => r.msg.startsWith('raft message handler threw'))).toBe(true);
  });
});
