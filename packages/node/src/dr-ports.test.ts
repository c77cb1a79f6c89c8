/**
 * The node's DR ports end to end: a 3-node in-memory primary cluster streams through
 * DrPrimaryServer (one per node, real gRPC on loopback) to DrStreamer on the leader of a 3-node
 * secondary cluster, whose sink proposes each batch through the secondary's own raft.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SeededRng } from '@coffer/base';
import { DrPrimaryServer, DrStreamer, listenDrPrimary, systemClock, type SecondaryState } from '@coffer/dr-replication';
import { encodePairs } from './bytes.js';
import { linkClusters, startDrCluster, writeRecords, type DrTestCluster, type DrTestNode } from './dr-cluster.test-helper.js';
import { SecretsStateMachine } from './secrets-state-machine.js';
import { waitUntil } from './test-cluster.test-helper.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(snapshots?: { thresholdEntries: number; trailingEntries: number }): Promise<{ p: DrTestCluster; s: DrTestCluster }> {
  const p = await startDrCluster('cluster-P', snapshots);
  cleanups.push(() => p.stop());
  for (const n of p.nodes) {
    const server = new DrPrimaryServer({ node: n.drNode, source: n.source, clock: systemClock, heartbeatIntervalMs: 100 });
    const { grpcServer, port } = await listenDrPrimary(server, '127.0.0.1:0');
    p.drAddresses.set(n.id, `127.0.0.1:${port}`);
    cleanups.push(() => {
      server.close();
      grpcServer.forceShutdown();
    });
  }
  const s = await startDrCluster('cluster-S');
  cleanups.push(() => s.stop());
  await linkClusters(p, s);
  return { p, s };
}

function startStreamer(on: DrTestNode): DrStreamer {
  const state = on.sm.drState() as SecondaryState;
  if (state.primary === undefined) throw new Error('the secondary follows no primary');
  const streamer = new DrStreamer({
    link: state.primary,
    epoch: state.epoch,
    sink: on.sink,
    clock: systemClock,
    rng: new SeededRng(1),
    reconnectInitialMs: 20,
    reconnectMaxMs: 200,
    idleTimeoutMs: 2_000,
    maxBatchBytes: 2 * 1024,
  });
  streamer.start();
  cleanups.push(() => streamer.stop());
  return streamer;
}

const replicated = (n: DrTestNode): Uint8Array => encodePairs(n.sm.replicatedPairs());

/** Every secondary node holds exactly the primary leader's replicated state, at its last index. */
async function caughtUp(p: DrTestCluster, s: DrTestCluster, timeoutMs = 8_000): Promise<void> {
  const pl = await p.leader();
  const want = (): boolean => {
    const expected = replicated(pl);
    return s.nodes.every((n) => n.sm.drPosition()?.lastAppliedPrimaryIndex === pl.rt.appliedNow() && sameBytes(replicated(n), expected));
  };
  await waitUntil(want, timeoutMs, 'every secondary node to hold the primary state');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const text = (n: DrTestNode, path: string): string | undefined => {
  const e = n.sm.get(path);
  return e === undefined ? undefined : new TextDecoder().decode(e.value);
};

describe('DR ports on in-memory clusters over gRPC', () => {
  it('streams the primary log to every secondary node in order, keeping each cluster\'s DR record, and persists the position', async () => {
    const { p, s } = await start();
    await writeRecords(p, 1, 40);
    const streamer = startStreamer(await s.leader());
    await caughtUp(p, s);
    // A new link starts with a snapshot, then streams what commits next.
    await writeRecords(p, 41, 40);
    await caughtUp(p, s);
    expect(streamer.status()).toMatchObject({ snapshotsInstalled: 1, state: 'stream-entries' });
    for (const n of s.nodes) {
      expect(text(n, 'logical/k80')).toBe('v80');
      // Same modIndex as on the primary: a client's check-and-set keeps working after a promote.
      expect(n.sm.get('logical/k80')?.modIndex).toBe((await p.leader()).sm.get('logical/k80')?.modIndex);
      // The primary's DR commands streamed past without touching the secondary's own record.
      expect(n.sm.drState()).toMatchObject({ mode: 'secondary', clusterId: 'cluster-S' });
    }
    expect((await p.leader()).sm.drState()).toMatchObject({ mode: 'primary', clusterId: 'cluster-P' });
    // The position is in the store, written with the entries: a restarted node resumes from it.
    const sn = s.nodes[0];
    if (sn === undefined) throw new Error('no node');
    const reloaded = new SecretsStateMachine();
    reloaded.load(await sn.stateStore.loadAll());
    expect(reloaded.drPosition()).toEqual(sn.sm.drPosition());
    expect(reloaded.drState()).toEqual(sn.sm.drState());
  });

  it('falls back to a snapshot when the primary compacted past the position, then streams again', async () => {
    const { p, s } = await start({ thresholdEntries: 30, trailingEntries: 5 });
    await writeRecords(p, 1, 10);
    const first = startStreamer(await s.leader());
    await caughtUp(p, s);
    await first.stop();
    const before = (await s.leader()).sm.drPosition()?.lastAppliedPrimaryIndex ?? 0;
    await writeRecords(p, 11, 120);
    await waitUntil(() => p.nodes.every((n) => n.source.firstIndex() > before + 1), 5_000, 'the primary to compact past the position');
    const second = startStreamer(await s.leader());
    await caughtUp(p, s);
    expect(second.status().snapshotsInstalled).toBe(1);
    await writeRecords(p, 131, 10);
    await caughtUp(p, s);
    expect(second.status()).toMatchObject({ snapshotsInstalled: 1, state: 'stream-entries' });
    for (const n of s.nodes) expect(text(n, 'logical/k140')).toBe('v140');
  });

  it('a secondary leader change only pauses the stream: the new leader resumes from the replicated position', async () => {
    const { p, s } = await start();
    await writeRecords(p, 1, 20);
    const oldLeader = await s.leader();
    const first = startStreamer(oldLeader);
    await caughtUp(p, s);
    const writing = writeRecords(p, 21, 60);
    const moved = await oldLeader.ops.transferLeadership(null);
    expect(moved.ok).toBe(true);
    // What the node does on losing leadership: stop its streamer; the new leader starts one.
    await first.stop();
    const newLeader = await s.leader();
    expect(newLeader.id).not.toBe(oldLeader.id);
    const second = startStreamer(newLeader);
    await writing;
    await caughtUp(p, s);
    // No re-sync: the position was replicated with the entries.
    expect(second.status().snapshotsInstalled).toBe(0);
    for (const n of s.nodes) expect(text(n, 'logical/k80')).toBe('v80');
  });

  it('a primary leader change mid-stream: the streamer follows the new leader and resumes without a snapshot', async () => {
    const { p, s } = await start();
    await writeRecords(p, 1, 20);
    const streamer = startStreamer(await s.leader());
    await caughtUp(p, s);
    const writing = writeRecords(p, 21, 60);
    const moved = await (await p.leader()).ops.transferLeadership(null);
    expect(moved.ok).toBe(true);
    await writing;
    await caughtUp(p, s);
    expect(streamer.status()).toMatchObject({ snapshotsInstalled: 1, state: 'stream-entries' });
    // It reads from the new leader (found through the old one's not-leader hint).
    expect(streamer.status().primaryAddress).toBe(p.drAddresses.get((await p.leader()).id));
    for (const n of s.nodes) expect(text(n, 'logical/k80')).toBe('v80');
  });

  it('the primary node answers leadership with the leader\'s DR address and refuses proposals off the leader', async () => {
    const { p } = await start();
    const leader = await p.leader();
    const follower = p.nodes.find((n) => n !== leader);
    if (follower === undefined) throw new Error('no follower');
    expect(leader.drNode.leadership()).toEqual({ kind: 'leader' });
    expect(follower.drNode.leadership()).toEqual({ kind: 'not-leader', leaderDrAddress: p.drAddresses.get(leader.id) });
    const r = await follower.drNode.propose({ kind: 'demote' });
    expect(r.ok ? 'applied' : r.error.kind).toBe('not-leader');
    // A refused transition changes nothing and says why.
    const again = await leader.drNode.propose({ kind: 'enable-primary', clusterId: 'cluster-P', nowMs: 1 });
    expect(again.ok).toBe(false);
    expect(follower.sm.drState()).toEqual(leader.sm.drState());
  });
});
