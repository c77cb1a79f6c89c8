/**
 * The DR stream over real gRPC on loopback: DrPrimaryServer over an in-memory primary log, and
 * DrStreamer into an in-memory secondary state machine. Every wait is bounded (waitFor).
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { SeededRng } from '@coffer/base';
import type { Clock } from '@coffer/base';
import { activateSecondary, enablePrimary, issueSecondaryToken, revokeSecondary } from './dr-primary-transitions.js';
import type { DrState, PrimaryLink, SecondaryStreamState } from './dr-state.js';
import { INITIAL_DR_STATE, isWritable, writeRefusal } from './dr-state.js';
import { hashSecret } from './encoding.js';
import { DrPrimaryServer, listenDrPrimary } from './primary-server.js';
import { activateAtPrimary, notifyOldPrimary } from './primary-client.js';
import { mintActivationToken } from './activation-token.js';
import { activateWithToken } from './secondary-activation.js';
import { enableSecondary } from './dr-secondary-transitions.js';
import { buildDrStatus } from './status.js';
import type { DrStreamerOptions } from './streamer.js';
import { DrStreamer } from './streamer.js';
import type { StreamPosition } from './stream-position.js';
import { ManualClock, MemoryDrPrimaryNode, MemoryEntrySink, MemoryEntrySource, systemClock, waitFor } from './testing.js';
import { seededRandom } from './results.test-helper.js';

const CLUSTER = 'cluster-A';
const CRED = 'credential-of-dr1-'.padEnd(43, 'x');
const T0 = 1_700_000_000_000;

function primaryState(): DrState {
  const steps = [
    (s: DrState) => enablePrimary(s, { clusterId: CLUSTER, nowMs: T0 }),
    (s: DrState) => issueSecondaryToken(s, { secondaryId: 'dr1', secretHash: hashSecret('secret'), nowMs: T0, ttlMs: 3_600_000 }),
    (s: DrState) => activateSecondary(s, { secondaryId: 'dr1', secretHash: hashSecret('secret'), credentialHash: hashSecret(CRED), nowMs: T0 }),
  ];
  let s: DrState = INITIAL_DR_STATE;
  for (const step of steps) {
    const r = step(s);
    if (!r.ok) throw new Error(r.error.message);
    s = r.value;
  }
  return s;
}

interface Primary {
  readonly node: MemoryDrPrimaryNode;
  readonly server: DrPrimaryServer;
  readonly grpcServer: grpc.Server;
  readonly address: string;
  readonly port: number;
}
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startPrimary(source: MemoryEntrySource, opts: { node?: MemoryDrPrimaryNode; port?: number; clock?: Clock } = {}): Promise<Primary> {
  const node = opts.node ?? new MemoryDrPrimaryNode(CLUSTER, primaryState());
  const server = new DrPrimaryServer({ node, source, clock: opts.clock ?? systemClock, heartbeatIntervalMs: 100 });
  const { grpcServer, port } = await listenDrPrimary(server, `127.0.0.1:${opts.port ?? 0}`);
  const p = { node, server, grpcServer, port, address: `127.0.0.1:${port}` };
  cleanups.push(() => stopPrimary(p));
  return p;
}
function stopPrimary(p: Primary): void {
  p.server.close();
  p.grpcServer.forceShutdown();
}

function link(addresses: readonly string[], over: Partial<PrimaryLink> = {}): PrimaryLink {
  return { primaryClusterId: CLUSTER, primaryAddresses: addresses, secondaryId: 'dr1', credential: CRED, ...over };
}
function startStreamer(l: PrimaryLink, sink: MemoryEntrySink, over: Partial<DrStreamerOptions> = {}): { streamer: DrStreamer; states: SecondaryStreamState[] } {
  const states: SecondaryStreamState[] = [];
  const streamer = new DrStreamer({
    link: l,
    epoch: 1,
    sink,
    clock: systemClock,
    rng: new SeededRng(1),
    reconnectInitialMs: 20,
    reconnectMaxMs: 200,
    idleTimeoutMs: 2_000,
    onStateChange: (s) => states.push(s),
    ...over,
  });
  streamer.start();
  cleanups.push(() => streamer.stop());
  return { streamer, states };
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const at = (index: number): StreamPosition => ({ primaryClusterId: CLUSTER, lastAppliedPrimaryIndex: index });

describe('DR streaming over gRPC', () => {
  it('streams 10k entries in order with no gap or duplicate, then new commits as they come', async () => {
    const source = new MemoryEntrySource();
    source.append(10_000);
    const p = await startPrimary(source);
    const sink = new MemoryEntrySink(at(0));
    const { streamer } = startStreamer(link([p.address]), sink, { maxBatchBytes: 8 * 1024, idleTimeoutMs: 30_000 });
    await waitFor('10k entries applied', () => sink.applied.length >= 10_000, 20_000);
    source.append(250);
    await waitFor('live commits applied', () => sink.applied.length >= 10_250);
    expect(sink.applied).toEqual(range(1, 10_250));
    expect([sink.duplicates, sink.gaps, sink.snapshotsInstalled]).toEqual([0, 0, 0]);
    await waitFor('caught up', () => streamer.status().lagEntries === 0 && streamer.status().lastPrimaryIndex === 10_250);
    expect(streamer.status()).toMatchObject({ state: 'stream-entries', connectionState: 'ready', lastAppliedPrimaryIndex: 10_250, lagMs: 0 });
    // One stream did it all: no reconnect, no error (the secondary also refuses a gap, which would show here).
    expect(streamer.status()).toMatchObject({ reconnects: 0, lastError: undefined });
    expect(p.server.connections()).toMatchObject([{ secondaryId: 'dr1', lastSentIndex: 10_250 }]);
  });

  it('a new link starts with a snapshot, then streams', async () => {
    const source = new MemoryEntrySource();
    source.append(300);
    const p = await startPrimary(source);
    const sink = new MemoryEntrySink();
    const { states } = startStreamer(link([p.address]), sink);
    await waitFor('300 applied', () => sink.applied.length === 300);
    expect(sink.snapshotsInstalled).toBe(1);
    expect(sink.applied).toEqual(range(1, 300));
    expect(states.slice(0, 2)).toEqual(['snapshot-sync', 'stream-entries']);
  });

  it('resumes after the primary restarts mid-stream, without a gap or duplicate', async () => {
    const source = new MemoryEntrySource();
    source.append(6_000);
    let p = await startPrimary(source);
    const port = p.port;
    const sink = new MemoryEntrySink(at(0));
    let isKilled = false;
    sink.beforeApply = (batch) => {
      if (!isKilled && (batch[0]?.index ?? 0) > 2_000) {
        isKilled = true;
        stopPrimary(p);
      }
    };
    const { streamer } = startStreamer(link([p.address]), sink, { maxBatchBytes: 2 * 1024 });
    await waitFor('the stream to break', () => isKilled && streamer.status().connectionState === 'transient_failure');
    // What the client had already buffered may or may not have been applied: either way the
    // stream must resume from the secondary's position, and the commits made while it was cut
    // off can only arrive through a new connection to the restarted primary.
    source.append(1_000);
    p = await startPrimary(source, { port });
    await waitFor('all 7000 applied', () => sink.applied.length >= 7_000, 15_000);
    expect(sink.applied).toEqual(range(1, 7_000));
    expect([sink.duplicates, sink.gaps]).toEqual([0, 0]);
    expect(streamer.status().reconnects).toBeGreaterThan(0);
  });

  it('switches to snapshot-sync when the primary compacted past its position, then resumes streaming', async () => {
    const source = new MemoryEntrySource();
    source.append(6_000);
    source.compact(5_000);
    const p = await startPrimary(source);
    const sink = new MemoryEntrySink(at(100));
    const { streamer, states } = startStreamer(link([p.address]), sink);
    await waitFor('6000 applied', () => sink.applied.length === 6_000 && sink.position()?.lastAppliedPrimaryIndex === 6_000);
    expect(sink.snapshotsInstalled).toBe(1);
    expect(sink.applied).toEqual(range(1, 6_000));
    expect(states).toEqual(['snapshot-sync', 'stream-entries']);
    expect(streamer.status().snapshotsInstalled).toBe(1);
  });

  it('refuses a wrong cluster id with a clear error, applying nothing', async () => {
    const source = new MemoryEntrySource();
    source.append(10);
    const p = await startPrimary(source);
    const sink = new MemoryEntrySink(at(0));
    const { streamer } = startStreamer(link([p.address], { primaryClusterId: 'cluster-Z' }), sink);
    await waitFor('a refusal', () => streamer.status().lastError !== undefined);
    expect(streamer.status().lastError).toMatch(/cluster id mismatch: secondary dr1 expects primary cluster cluster-Z, this is cluster cluster-A/);
    expect(streamer.status().state).toBe('idle');
    expect(sink.applied).toEqual([]);
  });

  it('refuses a revoked secondary, also mid-stream, with a clear error', async () => {
    const source = new MemoryEntrySource();
    source.append(100);
    const p = await startPrimary(source);
    const sink = new MemoryEntrySink(at(0));
    const { streamer } = startStreamer(link([p.address]), sink);
    await waitFor('100 applied', () => sink.applied.length === 100);
    const revoked = revokeSecondary(p.node.state, { secondaryId: 'dr1', nowMs: T0 });
    if (!revoked.ok) throw new Error(revoked.error.message);
    p.node.state = revoked.value;
    source.append(50);
    await waitFor('the revocation to bite', () => /revoked/.test(streamer.status().lastError ?? ''));
    expect(streamer.status().lastError).toMatch(/secondary "dr1" was revoked on the primary/);
    expect(sink.applied.length).toBeLessThanOrEqual(150);
    expect(p.server.connections()).toEqual([]);
  });

  it('follows the not-leader hint to the primary leader, and follows a leader change mid-stream', async () => {
    const source = new MemoryEntrySource();
    source.append(500);
    const state = primaryState();
    const follower = await startPrimary(source, { node: new MemoryDrPrimaryNode(CLUSTER, state) });
    const leader = await startPrimary(source, { node: new MemoryDrPrimaryNode(CLUSTER, state) });
    follower.node.leader = { kind: 'not-leader', leaderDrAddress: leader.address };
    const sink = new MemoryEntrySink(at(0));
    const { streamer } = startStreamer(link([follower.address]), sink);
    await waitFor('500 applied through the leader', () => sink.applied.length === 500);
    expect(streamer.status().primaryAddress).toBe(leader.address);
    // The primary's leadership moves: the stream pauses and resumes on the new leader.
    leader.node.leader = { kind: 'not-leader', leaderDrAddress: follower.address };
    follower.node.leader = { kind: 'leader' };
    source.append(500);
    await waitFor('1000 applied through the new leader', () => sink.applied.length === 1_000);
    expect(streamer.status().primaryAddress).toBe(follower.address);
    expect(sink.applied).toEqual(range(1, 1_000));
    expect([sink.duplicates, sink.gaps]).toEqual([0, 0]);
  });

  it('a leader change on the secondary only pauses the stream: the new leader resumes from the replicated position', async () => {
    const source = new MemoryEntrySource();
    source.append(3_000);
    const p = await startPrimary(source);
    const sink = new MemoryEntrySink(at(0)); // the secondary's replicated state machine, shared by its nodes
    const first = startStreamer(link([p.address]), sink, { maxBatchBytes: 1024 });
    await waitFor('some entries on the old leader', () => sink.applied.length >= 500);
    await first.streamer.stop(); // the old leader steps down: its streamer stops, no apply in flight
    const stoppedAt = sink.applied.length;
    source.append(1_000);
    const second = startStreamer(link([p.address]), sink, { maxBatchBytes: 1024 });
    await waitFor('all 4000 through the new leader', () => sink.applied.length === 4_000);
    expect(stoppedAt).toBeLessThan(4_000);
    expect(sink.applied).toEqual(range(1, 4_000));
    expect([sink.duplicates, sink.gaps]).toEqual([0, 0]);
    expect(second.streamer.status().lastAppliedPrimaryIndex).toBe(4_000);
  });

  it('reports lag in entries and in ms from the primary commit times, and zero once caught up', async () => {
    const primaryClock = new ManualClock(T0 + 5_000);
    const source = new MemoryEntrySource(() => T0);
    source.append(100);
    for (let i = 1; i <= 100; i++) source.setTimestamp(i, T0 + i * 10);
    const p = await startPrimary(source, { clock: primaryClock });
    const sink = new MemoryEntrySink(at(0));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    sink.beforeApply = async (batch) => {
      if ((batch[0]?.index ?? 0) > 1) await gate; // hold the secondary after its first batch
    };
    const { streamer } = startStreamer(link([p.address]), sink, { maxBatchBytes: 20 });
    await waitFor('the first batch heard', () => streamer.status().lastAppliedPrimaryIndex > 0 && streamer.status().lastPrimaryIndex === 100);
    const s = streamer.status();
    const applied = s.lastAppliedPrimaryIndex;
    expect(s.lagEntries).toBe(100 - applied);
    // Entry applied+1 was committed at T0 + (applied+1)*10; the primary's clock said T0 + 5000.
    const expectedMs = 5_000 - (applied + 1) * 10;
    expect(s.timeLag.kind).toBe('exact');
    expect(s.lagMs).toBeGreaterThanOrEqual(expectedMs);
    expect(s.lagMs).toBeLessThan(expectedMs + 5_000);
    const status = buildDrStatus({
      state: { mode: 'secondary', clusterId: 'B', epoch: 1, lineage: [], primary: link([p.address]), streamState: 'stream-entries', operationTokenHashes: [] },
      streamer: s,
    });
    expect(status).toMatchObject({ mode: 'secondary', state: 'stream-entries', connection_state: 'ready', last_remote_wal: applied, primary_last_wal: 100, lag_entries: 100 - applied });
    release();
    await waitFor('caught up', () => streamer.status().lagEntries === 0);
    expect(streamer.status()).toMatchObject({ lagMs: 0, lastAppliedPrimaryIndex: 100 });
  });
});

describe('DR lag while a batch is applied', () => {
  it('counts the entries of a batch as behind until the secondary has applied them', async () => {
    const source = new MemoryEntrySource();
    source.append(50);
    const committedAtMs = Date.now() - 2_000;
    for (let i = 1; i <= 50; i++) source.setTimestamp(i, committedAtMs);
    const p = await startPrimary(source);
    const sink = new MemoryEntrySink(at(0));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let isHeld = false;
    sink.beforeApply = async () => {
      isHeld = true;
      await gate; // the secondary's raft round, held open
    };
    const { streamer } = startStreamer(link([p.address]), sink);
    await waitFor('the first batch held in apply', () => isHeld);
    expect(streamer.status()).toMatchObject({ lastAppliedPrimaryIndex: 0, lastPrimaryIndex: 50, lagEntries: 50 });
    // The batch's first entry was committed 2 s ago on the primary's clock: that is the time lag.
    expect(streamer.status().timeLag.kind).toBe('exact');
    expect(streamer.status().lagMs).toBeGreaterThanOrEqual(2_000);
    release();
    await waitFor('caught up', () => streamer.status().lagEntries === 0 && streamer.status().lastAppliedPrimaryIndex === 50);
  });
});

describe('DR stream inbox: read ahead, group apply', () => {
  it('applies the batches that arrived during an apply as ONE sink call, in order, none twice', async () => {
    const source = new MemoryEntrySource();
    source.append(10);
    const p = await startPrimary(source);
    const sink = new MemoryEntrySink(at(0));
    const applyCalls: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    sink.beforeApply = async (entries) => {
      applyCalls.push(entries.map((e) => e.index));
      if (applyCalls.length === 1) await gate; // the first raft round of the secondary, held
    };
    // Small batches from the primary: 40 more entries arrive as many batches while the first apply waits.
    const { streamer } = startStreamer(link([p.address]), sink, { maxBatchBytes: 20 });
    await waitFor('the first apply started', () => applyCalls.length === 1);
    source.append(40);
    await waitFor('the primary\'s 50 entries known while the apply is held', () => streamer.status().lastPrimaryIndex === 50);
    expect(streamer.status().lagEntries).toBeGreaterThanOrEqual(40);
    release();
    await waitFor('caught up', () => streamer.status().lastAppliedPrimaryIndex === 50);
    expect(sink.applied).toEqual(range(1, 50));
    expect([sink.duplicates, sink.gaps]).toEqual([0, 0]);
    // Everything queued behind the held apply went through in one call (one raft round).
    expect(applyCalls.length).toBe(2);
    expect(applyCalls[1]?.[0]).toBe((applyCalls[0]?.at(-1) ?? 0) + 1);
    expect(applyCalls[1]?.at(-1)).toBe(50);
  });
});

describe('DR stream inbox: a primary that dies mid-stream', () => {
  it('still applies every entry that reached the secondary before the connection broke', async () => {
    const source = new MemoryEntrySource();
    source.append(10);
    const p = await startPrimary(source);
    const sink = new MemoryEntrySink(at(0));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    sink.beforeApply = async () => {
      calls += 1;
      if (calls === 1) await gate;
    };
    const { streamer } = startStreamer(link([p.address]), sink, { maxBatchBytes: 20 });
    await waitFor('the first apply started', () => calls === 1);
    source.append(30);
    await waitFor('all 40 entries received', () => streamer.status().lastReceivedPrimaryIndex === 40);
    stopPrimary(p); // the primary's site is lost with entries queued on the secondary
    release();
    await waitFor('the received entries applied', () => streamer.status().lastAppliedPrimaryIndex === 40);
    expect(sink.applied).toEqual(range(1, 40));
  });
});

describe('DR activation and fencing over gRPC', () => {
  it('Activate consumes the token once; a second use and a foreign cluster are refused clearly', async () => {
    const source = new MemoryEntrySource();
    const p = await startPrimary(source);
    const issued = issueSecondaryToken(p.node.state, { secondaryId: 'dr2', secretHash: hashSecret('s2'.padEnd(43, 'q')), nowMs: Date.now(), ttlMs: 60_000 });
    if (!issued.ok) throw new Error(issued.error.message);
    p.node.state = issued.value;
    const claims = { secondaryId: 'dr2', primaryClusterId: CLUSTER, primaryAddresses: [p.address], epoch: 1, issuedAtMs: 0, expiresAtMs: 0, secret: 's2'.padEnd(43, 'q') };
    const first = await activateAtPrimary(claims, hashSecret('new-cred'));
    expect(first).toEqual({ ok: true, value: { epoch: 1, primaryClusterId: CLUSTER } });
    expect(p.node.state.mode === 'primary' && p.node.state.secondaries.find((x) => x.id === 'dr2')?.state).toBe('active');
    const again = await activateAtPrimary(claims, hashSecret('new-cred'));
    expect(again.ok ? '' : again.error.message).toMatch(/already used/);
    const foreign = await activateAtPrimary({ ...claims, primaryClusterId: 'cluster-Z' }, hashSecret('x'));
    expect(foreign.ok ? '' : foreign.error.message).toMatch(/cluster id mismatch/);
  });

  it('secondary/enable end to end: mint on the primary, activate with the token, stream with the new credential', async () => {
    const source = new MemoryEntrySource();
    source.append(50);
    const p = await startPrimary(source);
    const random = seededRandom(9);
    const minted = mintActivationToken({ secondaryId: 'dr3', primaryClusterId: CLUSTER, primaryAddresses: [p.address], epoch: 1, nowMs: Date.now() }, random);
    if (!minted.ok) throw new Error(minted.error.message);
    const issued = issueSecondaryToken(p.node.state, { secondaryId: 'dr3', secretHash: minted.value.secretHash, nowMs: Date.now(), ttlMs: 60_000 });
    if (!issued.ok) throw new Error(issued.error.message);
    p.node.state = issued.value;
    const activated = await activateWithToken(minted.value.token, { nowMs: Date.now(), random });
    if (!activated.ok) throw new Error(activated.error.message);
    expect(activated.value.claims.secret).toBe('');
    const reuse = await activateWithToken(minted.value.token, { nowMs: Date.now(), random });
    expect(reuse.ok ? '' : reuse.error.message).toMatch(/already used/);
    const secondary = enableSecondary(INITIAL_DR_STATE, { clusterId: 'cluster-B', claims: activated.value.claims, credential: activated.value.credential, nowMs: Date.now() });
    if (!secondary.ok || secondary.value.mode !== 'secondary' || secondary.value.primary === undefined) throw new Error('enable failed');
    const sink = new MemoryEntrySink();
    startStreamer(secondary.value.primary, sink);
    await waitFor('50 applied', () => sink.applied.length === 50);
    expect(sink.snapshotsInstalled).toBe(1);
  });

  it('a promoted secondary fences its old primary, which then refuses writes and streams', async () => {
    const source = new MemoryEntrySource();
    source.append(10);
    const p = await startPrimary(source);
    const r = await notifyOldPrimary({
      oldPrimaryClusterId: CLUSTER,
      oldPrimaryAddresses: [p.address],
      secondaryId: 'dr1',
      credential: CRED,
      newEpoch: 2,
      newPrimaryClusterId: 'cluster-B',
      newPrimaryAddresses: ['127.0.0.1:1'],
    });
    expect(r).toEqual({ ok: true, value: { fenced: true } });
    expect(isWritable(p.node.state)).toBe(false);
    expect(writeRefusal(p.node.state)).toMatch(/cluster cluster-B is primary at epoch 2/);
    const sink = new MemoryEntrySink(at(0));
    const { streamer } = startStreamer(link([p.address]), sink);
    await waitFor('a refusal', () => streamer.status().lastError !== undefined);
    expect(streamer.status().lastError).toMatch(/not an active DR primary.*fenced by cluster cluster-B/);
    expect(sink.applied).toEqual([]);
  });

  it('a notice from an unknown credential changes nothing', async () => {
    const p = await startPrimary(new MemoryEntrySource());
    const r = await notifyOldPrimary({
      oldPrimaryClusterId: CLUSTER,
      oldPrimaryAddresses: [p.address],
      secondaryId: 'dr1',
      credential: 'wrong'.padEnd(43, 'w'),
      newEpoch: 2,
      newPrimaryClusterId: 'cluster-B',
      newPrimaryAddresses: [],
    });
    expect(r.ok ? '' : r.error.message).toMatch(/wrong credential/);
    expect(isWritable(p.node.state)).toBe(true);
  });
});
