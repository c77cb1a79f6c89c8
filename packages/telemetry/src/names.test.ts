import { describe, expect, it } from 'vitest';
import { createNodeMetrics } from './node-metrics.js';
import { METRICS, SPANS } from './names.js';

describe('telemetry catalogue', () => {
  it('has unique, Prometheus-safe metric names and unique span names', () => {
    const names = Object.values(METRICS);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^coffer_[a-z0-9_]+$/);
    expect(new Set(Object.values(SPANS)).size).toBe(Object.values(SPANS).length);
  });

  it('records through the API without an SDK (no-op instruments)', () => {
    const m = createNodeMetrics({
      term: () => 1,
      role: () => 'leader',
      commitIndex: () => 1,
      appliedIndex: () => 1,
      proposalsInFlight: () => 0,
      followerLag: () => [],
      eventLoopDelayP99Ms: () => 0,
    });
    expect(() => {
      m.appendDone(0.5, 3);
      m.leaderChanged();
      m.snapshotCreated(10);
    }).not.toThrow();
  });
});
