import { describe, expect, it } from 'vitest';
import { faultSteps, startFaultSchedule } from './fault-schedule.js';
import type { ClusterControl, LeaderInfo } from './types.js';

/** An in-memory cluster: the leader moves to the next node whenever the current one is hurt. */
function fakeCluster(): ClusterControl & { log: string[] } {
  const ids = ['n1', 'n2', 'n3'];
  let leader = 0;
  const log: string[] = [];
  const hurt = (what: string) => async (id: string) => {
    log.push(`${what} ${id}`);
    leader = (ids.indexOf(id) + 1) % ids.length;
  };
  const note = (what: string) => async (id: string) => void log.push(`${what} ${id}`);
  return {
    log,
    nodes: () => ids.map((id) => ({ id, apiUrl: `http://${id}` })),
    leader: async (): Promise<LeaderInfo> => ({ id: ids[leader] as string, term: log.length }),
    kill: hurt('kill'), restart: note('restart'), pause: hurt('pause'), resume: note('resume'),
    partition: hurt('partition'), heal: note('heal'),
  };
}

describe('fault schedule', () => {
  it('hurts the current leader every period, kinds in turn, and recovers each before stop resolves', async () => {
    const c = fakeCluster();
    const origin = performance.now();
    const nowMs = (): number => performance.now() - origin;
    // Stopped from inside the third recovery, so the outcome does not depend on timer precision.
    let stopped: Promise<void> | undefined;
    const heal = c.heal?.bind(c);
    c.heal = async (id) => {
      await heal?.(id);
      stopped = s.stop();
    };
    const s = startFaultSchedule(c, { kinds: ['kill', 'pause', 'partition'], everyMs: 100, downForMs: 30, command: null }, { nowMs, startMs: 0, endMs: 60_000 });
    for (let i = 0; i < 500 && stopped === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    await stopped;
    expect(c.log).toEqual(['kill n1', 'restart n1', 'pause n2', 'resume n2', 'partition n3', 'heal n3']);
    expect(s.faults.map((f) => [f.kind, f.node, f.recoverMs !== null && f.recoverMs >= f.injectMs + 29])).toEqual([
      ['kill', 'n1', true], ['pause', 'n2', true], ['partition', 'n3', true],
    ]);
  });

  it('records a failed injection on the fault and carries on', async () => {
    const c = fakeCluster();
    c.kill = async () => {
      throw new Error('no such process');
    };
    const origin = performance.now();
    const s = startFaultSchedule(c, { kinds: ['kill'], everyMs: 50, downForMs: 10, command: null }, { nowMs: () => performance.now() - origin, startMs: 0, endMs: 60_000 });
    for (let i = 0; i < 500 && s.faults.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    await s.stop();
    expect(s.faults.length).toBeGreaterThanOrEqual(2);
    expect(s.faults.every((f) => f.recoverMs === null)).toBe(true);
    expect(s.faults[0]?.error).toBe('inject: no such process');
  });

  it('refuses a kind the cluster cannot do, saying what to use', () => {
    const c = fakeCluster();
    expect(faultSteps(c, 'step-down')).toMatch(/needs step-down/);
    expect(() => startFaultSchedule(c, { kinds: ['command'], everyMs: 50, downForMs: 10, command: null }, { nowMs: () => 0, startMs: 0, endMs: 10 })).toThrow(/fault command/);
  });
});
