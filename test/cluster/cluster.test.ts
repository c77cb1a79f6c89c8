/**
 * Multi-process cluster tests: real `coffer server` processes (built output), real LevelDB, real
 * gRPC on loopback, real signals. One file so that scenarios run one after another on a 2-core box.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeKvCommand, utf8 } from '@coffer/node';
import { Cluster, waitFor } from './harness.js';
import { missingOn, startWriters } from './writers.js';

let cluster: Cluster | undefined;
afterEach(async (ctx) => {
  if (cluster !== undefined && (ctx.task.result?.state === 'fail' || process.env['COFFER_CLUSTER_LOGS'] === '1')) process.stderr.write(`${cluster.logs()}\n`);
  await cluster?.close();
  cluster = undefined;
});

async function expectIdentical(c: Cluster, ids: readonly string[], acked: ReadonlyMap<string, string>): Promise<void> {
  const sts = await c.waitConverged(ids);
  for (const id of ids) expect(await missingOn(c, id, acked), `missing on ${id}`).toEqual([]);
  // Digests are taken at each node's own applied index; wait until those agree too.
  await waitFor('identical state digests', 10_000, async () => {
    const now = await Promise.all(ids.map((id) => c.status(id, true)));
    const digests = new Set(now.map((s) => `${s?.applied}:${s?.state_digest}`));
    return digests.size === 1 ? true : undefined;
  });
  expect(sts.length).toBe(ids.length);
}

async function growsBy(log: { acked: Map<string, string> }, n: number, timeoutMs = 20_000): Promise<void> {
  const target = log.acked.size + n;
  await waitFor(`${n} more acknowledged writes`, timeoutMs, () => (log.acked.size >= target ? true : undefined));
}

describe('coffer cluster (multi-process)', () => {
  it('keeps every acknowledged write while the leader is SIGKILLed three times in a row', async () => {
    const c = (cluster = new Cluster());
    await c.start(3);
    await c.waitForLeader();
    const writers = startWriters(c, 8);
    for (let round = 0; round < 3; round++) {
      await growsBy(writers.log, 30);
      const leader = await c.waitForLeader();
      await c.kill(leader, 'SIGKILL');
      await c.waitForLeader(10_000);
      await growsBy(writers.log, 10);
      c.restart(leader);
    }
    await growsBy(writers.log, 20);
    await writers.stop();
    expect(writers.log.acked.size).toBeGreaterThan(100);
    await expectIdentical(c, ['n1', 'n2', 'n3'], writers.log.acked);
  });

  it('catches a restarted follower up from the log, and from a snapshot once the log was compacted past it', async () => {
    const c = (cluster = new Cluster({ snapshotThreshold: 300, snapshotTrailing: 50 }));
    await c.start(3);
    const leader = await c.waitForLeader();
    const follower = ['n1', 'n2', 'n3'].find((id) => id !== leader) as string;
    await c.kill(follower);
    const w1 = startWriters(c, 8, { prefix: 'a' });
    await growsBy(w1.log, 100);
    await w1.stop();
    c.restart(follower);
    await expectIdentical(c, ['n1', 'n2', 'n3'], w1.log.acked);
    const firstSnapshot = Number((await c.status(follower))?.snapshot_index ?? 0);
    const followerApplied = Number((await c.status(follower))?.applied ?? 0);

    await c.kill(follower);
    const w2 = startWriters(c, 8, { prefix: 'b' });
    // 700 entries at a threshold of at most 450: at least one snapshot lands past the follower.
    await growsBy(w2.log, 700, 60_000);
    await w2.stop();
    const newLeader = await c.waitForLeader();
    // Snapshots are written (and the log compacted) in the background: wait, bounded, until the
    // leader's log no longer holds what the stopped follower needs.
    await waitFor('the leader to compact its log past the stopped follower', 20_000, async () => {
      const ls = await c.status(newLeader);
      return Number(ls?.first_index) > followerApplied + 1 ? true : undefined;
    });
    c.restart(follower);
    const all = new Map([...w1.log.acked, ...w2.log.acked]);
    await expectIdentical(c, ['n1', 'n2', 'n3'], all);
    expect(Number((await c.status(follower))?.snapshot_index)).toBeGreaterThan(firstSnapshot);
  });

  it('re-adds a wiped node (it catches up from a snapshot) and changes membership while writes run', async () => {
    const c = (cluster = new Cluster({ snapshotThreshold: 200, snapshotTrailing: 20 }));
    await c.start(3);
    let leader = await c.waitForLeader();
    const victim = ['n1', 'n2', 'n3'].find((id) => id !== leader) as string;
    const writers = startWriters(c, 6, { targets: () => c.running().map((n) => n.id).filter((id) => id !== victim && id !== 'n4') });
    await growsBy(writers.log, 50);
    // Remove the victim, wipe it, and bring it back as a learner, then a voter.
    expect((await c.node(leader).client.membership('RemovePeer', victim)).ok).toBe(true);
    await c.kill(victim);
    c.wipe(victim);
    await growsBy(writers.log, 300, 60_000);
    await c.join(victim);
    leader = await c.waitForLeader(10_000, ['n1', 'n2', 'n3'].filter((id) => id !== victim));
    const added = await c.node(leader).client.membership('AddLearner', victim, c.node(victim).address);
    expect(added.ok, JSON.stringify(added)).toBe(true);
    await waitFor(`${victim} to catch up`, 30_000, async () => {
      const [s, l] = await Promise.all([c.status(victim), c.status(leader)]);
      return s !== undefined && l !== undefined && Number(s.applied) >= Number(l.commit) - 5 ? true : undefined;
    });
    expect(Number((await c.status(victim))?.snapshot_index)).toBeGreaterThan(0);
    expect((await c.node(leader).client.membership('Promote', victim)).ok).toBe(true);
    // A fourth member comes and goes while writes continue.
    await c.join('n4');
    expect((await c.node(leader).client.membership('AddLearner', 'n4', c.node('n4').address)).ok).toBe(true);
    expect((await c.node(leader).client.membership('Promote', 'n4')).ok).toBe(true);
    await growsBy(writers.log, 30);
    expect((await c.node(leader).client.membership('RemovePeer', 'n4')).ok).toBe(true);
    await growsBy(writers.log, 30);
    await c.kill('n4');
    await writers.stop();
    await expectIdentical(c, ['n1', 'n2', 'n3'], writers.log.acked);
  });

  it('steps a leader frozen by SIGSTOP down on wake; it serves no stale read and no stale-term write', async () => {
    const c = (cluster = new Cluster());
    await c.start(3);
    const leader = await c.waitForLeader();
    const others = ['n1', 'n2', 'n3'].filter((id) => id !== leader);
    c.pause(leader);
    const newLeader = await c.waitForLeader(10_000, others);
    expect(newLeader).not.toBe(leader);
    // Overwrite a key on the majority side while the old leader sleeps through several timeouts.
    const put = (v: string) => encodeKvCommand({ op: 'put', key: utf8('frozen'), value: utf8(v) });
    expect((await c.node(newLeader).client.propose({ clientId: 'fz', seq: 1 }, put('new'), 5000)).ok).toBe(true);
    const sleepUntil = performance.now() + 4 * c.electionTimeoutMs;
    await waitFor('several election timeouts to pass', 10_000, () => (performance.now() > sleepUntil ? true : undefined), 50);
    // Requests queued at the frozen leader are served only after it has caught up its ticks.
    const staleRead = c.node(leader).client.read(utf8('frozen'), true, 8000);
    const staleWrite = c.node(leader).client.propose({ clientId: 'fz-old', seq: 1 }, put('from-stale-leader'), 8000, true);
    c.resume(leader);
    const read = await staleRead;
    expect(read.ok && Buffer.from(read.value).toString()).toBe('new');
    const write = await staleWrite;
    // Forwarded=true: the woken node must not accept it as leader (it stepped down).
    expect(write.ok).toBe(false);
    const st = await waitFor('the old leader to follow', 10_000, async () => {
      const s = await c.status(leader);
      return s?.role === 'follower' && s.leader_id === newLeader ? s : undefined;
    });
    expect(st.role).toBe('follower');
    await expectIdentical(c, ['n1', 'n2', 'n3'], new Map([['frozen', 'new']]));
  });

  it('a leader partitioned from the majority stops acknowledging within an election timeout; the majority elects a new one', async () => {
    const c = (cluster = new Cluster());
    await c.start(3);
    const leader = await c.waitForLeader();
    const others = ['n1', 'n2', 'n3'].filter((id) => id !== leader);
    expect((await c.node(leader).client.setFaults({ drop_peers: others })).ok).toBe(true);
    const cutAt = performance.now();
    const put = (k: string) => encodeKvCommand({ op: 'put', key: utf8(k), value: utf8('v') });
    const isolated = await c.node(leader).client.propose({ clientId: 'iso', seq: 1 }, put('isolated'), 8000, true);
    expect(isolated.ok).toBe(false);
    const steppedDown = await waitFor('the isolated leader to step down', 10_000, async () => {
      const s = await c.status(leader);
      return s !== undefined && s.role !== 'leader' ? performance.now() : undefined;
    });
    // check-quorum looks back one election timeout at each election-timeout boundary, so the
    // leader steps down at most two timeouts after the cut (plus scheduling slack on a busy box).
    process.stderr.write(`partitioned leader stepped down ${(steppedDown - cutAt).toFixed(0)} ms after the cut\n`);
    expect(steppedDown - cutAt).toBeLessThan(2 * c.electionTimeoutMs + 400);
    const newLeader = await c.waitForLeader(10_000, others);
    expect(others).toContain(newLeader);
    expect((await c.node(newLeader).client.propose({ clientId: 'maj', seq: 1 }, put('majority'), 5000)).ok).toBe(true);
    expect((await c.node(leader).client.setFaults({ clear: true })).ok).toBe(true);
    await expectIdentical(c, ['n1', 'n2', 'n3'], new Map([['majority', 'v']]));
    const gone = await c.node(newLeader).client.read(utf8('isolated'), true, 5000);
    expect(gone.ok).toBe(false);
  });

  it('SIGTERM on the leader hands leadership over without failing a write', async () => {
    const c = (cluster = new Cluster());
    await c.start(3);
    const leader = await c.waitForLeader();
    const others = ['n1', 'n2', 'n3'].filter((id) => id !== leader);
    const writers = startWriters(c, 4, { targets: () => others });
    await growsBy(writers.log, 50);
    const errorsBefore = writers.log.errors;
    const termAt = performance.now();
    process.stderr.write(`SIGTERM sent at ${new Date().toISOString()}\n`);
    await c.kill(leader, 'SIGTERM');
    const exitedAt = performance.now();
    const newLeader = await c.waitForLeader(5000, others);
    await growsBy(writers.log, 50);
    await writers.stop();
    expect(others).toContain(newLeader);
    expect(writers.log.errors - errorsBefore).toBe(0);
    const times = writers.log.ackTimes.filter((t) => t >= termAt - 200 && t <= exitedAt + 2000).sort((a, b) => a - b);
    let gapMs = 0;
    for (let i = 1; i < times.length; i++) gapMs = Math.max(gapMs, (times[i] as number) - (times[i - 1] as number));
    process.stderr.write(`SIGTERM handover: largest gap between acknowledgements ${gapMs.toFixed(0)} ms (exit took ${(exitedAt - termAt).toFixed(0)} ms)\n`);
    expect(gapMs).toBeLessThan(c.electionTimeoutMs);
    await expectIdentical(c, others, writers.log.acked);
  });
});
