import { AssertionError } from '@coffer/base';
import { describe, expect, it } from 'vitest';
import type { LeaderView } from './health.js';
import { DEFAULT_HEALTH_THRESHOLDS, assessFollower, healthThresholds } from './health.js';
import { AppendTimestampRing } from './timestamp-ring.js';

const now = 100_000;
const leader: LeaderView = { leaderLastIndex: 5_000, nowMs: now };

describe('healthThresholds', () => {
  it('defaults to autopilot values with no time limit', () => {
    expect(DEFAULT_HEALTH_THRESHOLDS).toEqual({ lastContactThresholdMs: 10_000, maxTrailingLogs: 1000 });
    expect(healthThresholds()).toEqual(DEFAULT_HEALTH_THRESHOLDS);
    expect(healthThresholds({ maxLagMs: 2_000 })).toEqual({ lastContactThresholdMs: 10_000, maxTrailingLogs: 1000, maxLagMs: 2_000 });
  });

  it('rejects negative or non-numeric limits', () => {
    expect(() => healthThresholds({ lastContactThresholdMs: -1 })).toThrow(AssertionError);
    expect(() => healthThresholds({ maxTrailingLogs: 1.5 })).toThrow(AssertionError);
    expect(() => healthThresholds({ maxLagMs: Number.NaN })).toThrow(AssertionError);
  });
});

describe('assessFollower', () => {
  it('is healthy when recently contacted and close behind', () => {
    const h = assessFollower(leader, { matchIndex: 4_990, lastContactAtMs: now - 200 });
    expect(h).toEqual({ isHealthy: true, reasons: [], lagEntries: 10, lastContactMs: 200, timeLag: { kind: 'unknown' } });
  });

  it('is healthy when caught up', () => {
    const h = assessFollower(leader, { matchIndex: 5_000, lastContactAtMs: now });
    expect(h.isHealthy).toBe(true);
    expect(h.timeLag).toEqual({ kind: 'caught-up', lagMs: 0 });
  });

  it('is unhealthy when never contacted, and says so', () => {
    const h = assessFollower(leader, { matchIndex: 5_000, lastContactAtMs: undefined });
    expect(h.isHealthy).toBe(false);
    expect(h.lastContactMs).toBeUndefined();
    expect(h.reasons).toEqual([{ kind: 'never-contacted' }]);
  });

  it('is healthy with last contact exactly at the threshold, unhealthy 1 ms past it', () => {
    const at = assessFollower(leader, { matchIndex: 5_000, lastContactAtMs: now - 10_000 });
    expect(at.isHealthy).toBe(true);
    const past = assessFollower(leader, { matchIndex: 5_000, lastContactAtMs: now - 10_001 });
    expect(past.reasons).toEqual([{ kind: 'last-contact-too-old', lastContactMs: 10_001, lastContactThresholdMs: 10_000 }]);
  });

  it('is healthy trailing exactly maxTrailingLogs, unhealthy one entry further behind', () => {
    const at = assessFollower(leader, { matchIndex: 4_000, lastContactAtMs: now });
    expect(at.isHealthy).toBe(true);
    expect(at.lagEntries).toBe(1_000);
    const past = assessFollower(leader, { matchIndex: 3_999, lastContactAtMs: now });
    expect(past.reasons).toEqual([{ kind: 'too-many-trailing-logs', lagEntries: 1_001, maxTrailingLogs: 1_000 }]);
  });

  it('is healthy when the leader index is below the follower match (after a leadership change)', () => {
    const h = assessFollower({ leaderLastIndex: 10, nowMs: now }, { matchIndex: 12, lastContactAtMs: now });
    expect(h.isHealthy).toBe(true);
    expect(h.lagEntries).toBe(0);
  });

  it('checks time lag only when maxLagMs is set, inclusive at the limit', () => {
    const ring = new AppendTimestampRing(16);
    ring.append(4_990, now - 3_000); // entries up to 4990 appended 3 s ago
    ring.append(5_000, now - 100);
    const view: LeaderView = { ...leader, timestamps: ring };
    const follower = { matchIndex: 4_990, lastContactAtMs: now }; // lacks 4991.., appended 100 ms ago
    expect(assessFollower(view, follower).isHealthy).toBe(true);
    expect(assessFollower(view, follower, healthThresholds({ maxLagMs: 100 })).isHealthy).toBe(true);
    const past = assessFollower(view, follower, healthThresholds({ maxLagMs: 99 }));
    expect(past.reasons).toEqual([{ kind: 'lag-too-long', lagMs: 100, maxLagMs: 99, isLowerBound: false }]);
  });

  it('flags a lower-bound time lag that already exceeds the limit', () => {
    const ring = new AppendTimestampRing(16);
    ring.append(4_995, now - 5_000);
    ring.append(5_000, now - 100);
    const h = assessFollower({ ...leader, timestamps: ring }, { matchIndex: 4_900, lastContactAtMs: now }, healthThresholds({ maxLagMs: 1_000 }));
    expect(h.timeLag).toEqual({ kind: 'at-least', lagMs: 5_000 });
    expect(h.reasons).toEqual([{ kind: 'lag-too-long', lagMs: 5_000, maxLagMs: 1_000, isLowerBound: true }]);
  });

  it('does not fail the time check when the time lag is unknown (empty ring)', () => {
    const h = assessFollower({ ...leader, timestamps: new AppendTimestampRing(4) }, { matchIndex: 4_500, lastContactAtMs: now }, healthThresholds({ maxLagMs: 0 }));
    expect(h.timeLag).toEqual({ kind: 'unknown' });
    expect(h.isHealthy).toBe(true);
  });

  it('flags a term mismatch only when both terms are given', () => {
    const follower = { matchIndex: 5_000, lastContactAtMs: now, lastTerm: 3 };
    expect(assessFollower(leader, follower).isHealthy).toBe(true);
    expect(assessFollower({ ...leader, leaderLastTerm: 3 }, follower).isHealthy).toBe(true);
    expect(assessFollower({ ...leader, leaderLastTerm: 4 }, follower).reasons).toEqual([{ kind: 'term-mismatch', lastTerm: 3, leaderLastTerm: 4 }]);
  });

  it('lists every failed check, in order', () => {
    const ring = new AppendTimestampRing(4);
    ring.append(5_000, now - 60_000);
    const h = assessFollower(
      { leaderLastIndex: 5_000, nowMs: now, timestamps: ring, leaderLastTerm: 7 },
      { matchIndex: 10, lastContactAtMs: now - 30_000, lastTerm: 6 },
      healthThresholds({ maxLagMs: 1_000 }),
    );
    expect(h.isHealthy).toBe(false);
    expect(h.reasons.map((r) => r.kind)).toEqual(['last-contact-too-old', 'term-mismatch', 'too-many-trailing-logs', 'lag-too-long']);
  });

  it('honours custom thresholds', () => {
    const strict = healthThresholds({ lastContactThresholdMs: 0, maxTrailingLogs: 0 });
    expect(assessFollower(leader, { matchIndex: 5_000, lastContactAtMs: now }, strict).isHealthy).toBe(true);
    expect(assessFollower(leader, { matchIndex: 4_999, lastContactAtMs: now - 1 }, strict).reasons.map((r) => r.kind)).toEqual([
      'last-contact-too-old',
      'too-many-trailing-logs',
    ]);
  });
});
