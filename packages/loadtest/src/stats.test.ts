import { describe, expect, it } from 'vitest';
import { availabilityGapMs, errorsByKind, faultWindows, leaderChanges, percentile, summarizeLatency, throughputPerSecond } from './stats.js';
import type { LeaderSample, OpRecord } from './types.js';

function op(kind: OpRecord['kind'], invokeMs: number, completeMs: number, outcome: OpRecord['outcome'] = 'ok', error?: string): OpRecord {
  return { clientId: 'c1', kind, key: 'k1', value: 'c1.1', invokeMs, completeMs, outcome, node: 'n1', isWarmup: false, ...(error === undefined ? {} : { error }) };
}

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 95), percentile(xs, 99), percentile(xs, 100)]).toEqual([50, 95, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('summarizes unsorted latencies', () => {
    expect(summarizeLatency([30, 10, 20, 1000])).toEqual({ count: 4, p50Ms: 20, p95Ms: 1000, p99Ms: 1000, maxMs: 1000 });
  });
});

describe('availability gap', () => {
  it('runs from the last acknowledged write before the fault to the first after the gap', () => {
    // Writes every 100 ms, then nothing from 1000 to 2500 (the fault at 1050).
    const acks = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 2500, 2600];
    expect(availabilityGapMs(acks, 1050, 2700)).toBe(1500);
    // Silence until the window ends is a gap too.
    expect(availabilityGapMs(acks, 1050, 5000)).toBe(2400);
  });

  it('reaches the end of the window when no write is acknowledged after the fault', () => {
    expect(availabilityGapMs([100, 200], 300, 4000)).toBe(3800);
    expect(availabilityGapMs([], 300, 4000)).toBe(3700);
  });

  it('is the largest spacing when writes continue through the fault', () => {
    expect(availabilityGapMs([0, 100, 150, 400, 450], 120, 450)).toBe(250);
    // A silence that runs past the window's end is cut there.
    expect(availabilityGapMs([0, 100, 2000], 120, 1000)).toBe(900);
  });
});

describe('throughput, errors, leader changes and fault windows', () => {
  it('counts acknowledged ops per second from the start', () => {
    const rs = [op('write', 0, 500), op('read', 0, 900), op('read', 0, 1500), op('read', 0, 1600, 'fail', 'refused'), op('read', 0, 2100)];
    expect(throughputPerSecond(rs, 0, 3000)).toEqual([2, 1, 1]);
    expect(errorsByKind(rs)).toEqual({ 'read:refused': 1 });
  });

  it('counts a change of leader or of term, not the gaps with no leader', () => {
    const s: LeaderSample[] = [
      { atMs: 0, leader: 'n1', term: 2 }, { atMs: 100, leader: null, term: null }, { atMs: 200, leader: 'n1', term: 2 },
      { atMs: 300, leader: 'n2', term: 3 }, { atMs: 400, leader: 'n2', term: 4 },
    ];
    expect(leaderChanges(s)).toBe(2);
    expect(leaderChanges(s, 350, 1000)).toBe(1);
  });

  it('summarizes the window around each fault', () => {
    const rs = [op('write', 0, 10), op('write', 900, 960), op('write', 1010, 2900), op('read', 1100, 1200, 'indeterminate', 'timeout'), op('write', 2950, 3000), op('write', 7000, 7010)];
    const leaders: LeaderSample[] = [{ atMs: 0, leader: 'n1', term: 1 }, { atMs: 1500, leader: 'n2', term: 2 }];
    const [win] = faultWindows(rs, [{ kind: 'kill', node: 'n1', injectMs: 1000, recoverMs: 2000 }], leaders, 8000);
    expect(win).toMatchObject({ kind: 'kill', node: 'n1', errors: 1, leaderChanges: 1, availabilityGapMs: 4010 });
    // Ops invoked in [0, 6000): the writes at 0, 900, 1010 and 2950 (the one at 7000 is outside).
    expect(win?.latency).toMatchObject({ count: 4, maxMs: 1890 });
  });
});
