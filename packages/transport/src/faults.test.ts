import { afterEach, describe, expect, it } from 'vitest';
import { SeededRng } from '@coffer/base';
import type { Message } from '@coffer/raft';
import { sampleSnapshot, binaryBytes } from './sample-messages.js';
import type { TestNode } from './testing.js';
import { closeAll, heartbeat, startCluster, waitFor } from './testing.js';

let nodes: TestNode[] = [];
afterEach(async () => {
  await closeAll(nodes);
  nodes = [];
});

const seqs = (inbox: readonly Message[]): number[] => inbox.flatMap((m) => (m.type === 'heartbeat' ? [m.seq] : []));

async function pair(): Promise<[TestNode, TestNode]> {
  nodes = await startCluster(['n1', 'n2'], (id) => ({ unsafeFaultInjection: true, rng: new SeededRng(id === 'n1' ? 1 : 2) }));
  return nodes as [TestNode, TestNode];
}

describe('fault injection', () => {
  it('is refused without the unsafe flag', async () => {
    nodes = await startCluster(['n1']);
    const t = nodes[0]!.transport;
    expect(() => t.setFaults({ peer: 'n2', blockOutbound: true })).toThrow(/fault injection is disabled.*unsafeFaultInjection/);
    expect(() => t.clearFaults()).toThrow(/fault injection is disabled/);
    expect(() => t.faults()).toThrow(/fault injection is disabled/);
  });

  it('validates the fault spec', async () => {
    const [a] = await pair();
    expect(() => a.transport.setFaults({ peer: 'n2', dropRate: 1.5 })).toThrow(RangeError);
    expect(() => a.transport.setFaults({ peer: 'n2', delayMs: -1 })).toThrow(RangeError);
    expect(() => a.transport.setFaults({ peer: '' })).toThrow(RangeError);
    a.transport.setFaults({ peer: 'n2', delayMs: 5 });
    expect(a.transport.faults()).toEqual([{ peer: 'n2', dropRate: 0, delayMs: 5, blockOutbound: false, blockInbound: false }]);
  });

  it('partitions both ways and heals', async () => {
    const [a, b] = await pair();
    a.transport.setFaults({ peer: 'n2', blockOutbound: true, blockInbound: true });
    a.transport.send([heartbeat(a.id, b.id, 1)]);
    b.transport.send([heartbeat(b.id, a.id, 1)]);
    // b -> a reaches a's server and is discarded there; wait until it has been.
    await waitFor('inbound drop', () => (a.transport.stats().get(b.id)?.droppedInboundFault ?? 0) === 1);
    expect(a.transport.stats().get(b.id)?.droppedFault).toBe(1);
    a.transport.clearFaults('n2');
    a.transport.send([heartbeat(a.id, b.id, 2)]);
    b.transport.send([heartbeat(b.id, a.id, 2)]);
    await waitFor('healed traffic', () => a.inbox.length === 1 && b.inbox.length === 1);
    // The stream keeps order, so the blocked messages would have arrived before these.
    expect(seqs(a.inbox)).toEqual([2]);
    expect(seqs(b.inbox)).toEqual([2]);
    expect(a.unreachable).toEqual([]); // a partition is silent loss, not a broken stream
  });

  it('blocks one way only', async () => {
    const [a, b] = await pair();
    a.transport.setFaults({ peer: 'n2', blockInbound: true }); // b -> a lost, a -> b fine
    b.transport.send([heartbeat(b.id, a.id, 1)]);
    a.transport.send([heartbeat(a.id, b.id, 1)]);
    await waitFor('a -> b', () => b.inbox.length === 1);
    await waitFor('b -> a dropped at a', () => (a.transport.stats().get(b.id)?.droppedInboundFault ?? 0) === 1);
    expect(a.inbox).toEqual([]);
    a.transport.setFaults({ peer: 'n2', blockOutbound: true }); // now a -> b lost, b -> a fine
    a.transport.send([heartbeat(a.id, b.id, 2)]);
    b.transport.send([heartbeat(b.id, a.id, 2)]);
    await waitFor('b -> a', () => a.inbox.length === 1);
    a.transport.clearFaults();
    a.transport.send([heartbeat(a.id, b.id, 3)]);
    await waitFor('a -> b after heal', () => b.inbox.length === 2);
    expect(seqs(b.inbox)).toEqual([1, 3]);
  });

  it('drops a seeded fraction of messages', async () => {
    const [a, b] = await pair();
    a.transport.setFaults({ peer: 'n2', dropRate: 0.3 });
    a.transport.send(Array.from({ length: 1000 }, (_, i) => heartbeat(a.id, b.id, i)));
    a.transport.clearFaults();
    a.transport.send([heartbeat(a.id, b.id, -1 >>> 1)]);
    await waitFor('marker', () => seqs(b.inbox).includes(-1 >>> 1));
    const dropped = a.transport.stats().get(b.id)?.droppedFault ?? 0;
    expect(b.inbox.length - 1 + dropped).toBe(1000);
    expect(dropped).toBeGreaterThan(230);
    expect(dropped).toBeLessThan(370);
  });

  it('delays messages and keeps their order', async () => {
    const [a, b] = await pair();
    a.transport.setFaults({ peer: 'n2', delayMs: 150 });
    const t0 = performance.now();
    a.transport.send([heartbeat(a.id, b.id, 1), heartbeat(a.id, b.id, 2)]);
    await waitFor('delayed messages', () => b.inbox.length === 2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    expect(seqs(b.inbox)).toEqual([1, 2]);
  });

  it('reports a blocked snapshot as failed', async () => {
    const [a, b] = await pair();
    b.transport.setFaults({ peer: 'n1', blockInbound: true });
    a.transport.send([sampleSnapshot(a.id, b.id, binaryBytes(10))]);
    await waitFor('status', () => a.snapshotStatus.length === 1);
    expect(a.snapshotStatus).toEqual([{ peer: b.id, isOk: false }]);
    expect(b.inbox).toEqual([]);
  });
});
