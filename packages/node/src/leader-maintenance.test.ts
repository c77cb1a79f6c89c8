import { INITIAL_DR_STATE, type DrState } from '@coffer/dr-replication';
import { nullLogger, ok } from '@coffer/base';
import { describe, expect, it } from 'vitest';
import { LeaderMaintenance } from './leader-maintenance.js';
import type { LogicalService } from './logical-service.js';
import type { HandleRequest } from './ports.js';

/** A stand-in for the node's LogicalService: records what maintenance proposes. */
function fakeService(opts: { role: string; isSealed: boolean; isRotationDue: boolean; dr?: DrState }) {
  const proposed: { path: string; seq: number; writes: string[] }[] = [];
  let now = 1_000_000;
  const svc = {
    deps: {
      rt: { isStopped: false, id: 'n1', roleNow: () => opts.role, now: () => now },
      barrier: {
        isSealed: () => opts.isSealed,
        isRotationDue: () => opts.isRotationDue,
        prepareRotation: () => ok({ write: { path: 'core/keyring', value: new Uint8Array([2]) }, term: 2 }),
        prepareKeyringCheckpoint: () => ok({ write: { path: 'core/keyring', value: new Uint8Array([1]) }, term: 1 }),
      },
      logger: nullLogger,
      sm: { drState: () => opts.dr ?? INITIAL_DR_STATE },
    },
    proposeCoreWrites: async (req: HandleRequest, writes: readonly { path: string }[]) => {
      proposed.push({ path: req.path, seq: req.requestId.seq, writes: writes.map((w) => w.path) });
      return ok({ index: 7, outcome: { ok: true } });
    },
    executorFor: () => ({ executor: { runInternal: async () => ({ status: 200, body: {} }) } }),
    fail: () => ok({ status: 500 }),
  };
  return { svc: svc as unknown as LogicalService, proposed, advance: (ms: number) => (now += ms) };
}

describe('LeaderMaintenance', () => {
  it('does nothing on a follower or a sealed leader', async () => {
    for (const o of [{ role: 'follower', isSealed: false }, { role: 'leader', isSealed: true }]) {
      const f = fakeService({ ...o, isRotationDue: true });
      expect(await new LeaderMaintenance(f.svc).runOnce()).toEqual([]);
      expect(f.proposed).toEqual([]);
    }
  });

  it('rotates when the active term nears its bound, else checkpoints the count, with growing ids', async () => {
    const due = fakeService({ role: 'leader', isSealed: false, isRotationDue: true });
    expect(await new LeaderMaintenance(due.svc).runOnce()).toContain('rotated');
    expect(due.proposed.map((p) => p.path)).toEqual(['sys/rotate']);

    const f = fakeService({ role: 'leader', isSealed: false, isRotationDue: false });
    const m = new LeaderMaintenance(f.svc, { intervalMs: 1000, checkpointEveryMs: 30_000, sweepEveryMs: 60_000 });
    expect(await m.runOnce()).toContain('checkpoint');
    expect(await m.runOnce()).toEqual([]); // too soon for another checkpoint
    f.advance(30_000);
    expect(await m.runOnce()).toContain('checkpoint');
    const seqs = f.proposed.map((p) => p.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('does nothing on a DR secondary (its data is the primary\'s) or on a fenced DR primary', async () => {
    const secondary: DrState = { mode: 'secondary', clusterId: 'B', epoch: 1, lineage: [], streamState: 'idle', operationTokenHashes: [] };
    const fenced: DrState = { mode: 'primary', clusterId: 'A', epoch: 1, lineage: [], secondaries: [], fence: { newerEpoch: 2, newerPrimaryClusterId: 'B', newerPrimaryAddresses: [], fencedAtMs: 0 } };
    for (const dr of [secondary, fenced]) {
      const f = fakeService({ role: 'leader', isSealed: false, isRotationDue: true, dr });
      expect(await new LeaderMaintenance(f.svc).runOnce()).toEqual([]);
      expect(f.proposed).toEqual([]);
    }
  });
});
