import { describe, expect, it } from 'vitest';
import { timeLag, timeLagMs } from './time-lag.js';
import { AppendTimestampRing } from './timestamp-ring.js';
import type { TimestampSample } from './timestamps.js';

// Entries 1..4 appended at t=1000, 5..6 at t=2000, 7 at t=2500.
const samples: TimestampSample[] = [
  { index: 4, timestampMs: 1_000 },
  { index: 6, timestampMs: 2_000 },
  { index: 7, timestampMs: 2_500 },
];

describe('timeLag', () => {
  it('is the age of the oldest entry the follower lacks', () => {
    // The follower has 1..4; its first missing entry (5) was appended at 2000.
    expect(timeLag({ leaderLastIndex: 7, matchIndex: 4, nowMs: 3_000, timestamps: samples })).toEqual({ kind: 'exact', lagMs: 1_000 });
    expect(timeLag({ leaderLastIndex: 7, matchIndex: 6, nowMs: 3_000, timestamps: samples })).toEqual({ kind: 'exact', lagMs: 500 });
  });

  it('is 0 when caught up, whatever the timestamps say', () => {
    expect(timeLag({ leaderLastIndex: 7, matchIndex: 7, nowMs: 3_000, timestamps: samples })).toEqual({ kind: 'caught-up', lagMs: 0 });
    expect(timeLag({ leaderLastIndex: 7, matchIndex: 7, nowMs: 3_000, timestamps: [] })).toEqual({ kind: 'caught-up', lagMs: 0 });
    expect(timeLag({ leaderLastIndex: 7, matchIndex: 7, nowMs: 3_000 })).toEqual({ kind: 'caught-up', lagMs: 0 });
  });

  it('is 0 when the leader is behind the follower match (after a leadership change)', () => {
    expect(timeLag({ leaderLastIndex: 3, matchIndex: 7, nowMs: 3_000, timestamps: samples })).toEqual({ kind: 'caught-up', lagMs: 0 });
  });

  it('is unknown for a lagging follower with an empty ring or no source', () => {
    const ring = new AppendTimestampRing(4);
    expect(timeLag({ leaderLastIndex: 7, matchIndex: 2, nowMs: 3_000, timestamps: ring })).toEqual({ kind: 'unknown' });
    expect(timeLag({ leaderLastIndex: 7, matchIndex: 2, nowMs: 3_000 })).toEqual({ kind: 'unknown' });
  });

  it('is unknown when the first missing entry is newer than the newest sample', () => {
    expect(timeLag({ leaderLastIndex: 9, matchIndex: 7, nowMs: 3_000, timestamps: samples })).toEqual({ kind: 'unknown' });
  });

  it('is a lower bound when the first missing entry is older than every sample', () => {
    const ring = new AppendTimestampRing(2);
    for (const s of samples) ring.append(s.index, s.timestampMs); // sample 4 is evicted
    expect(timeLag({ leaderLastIndex: 7, matchIndex: 1, nowMs: 3_000, timestamps: ring })).toEqual({ kind: 'at-least', lagMs: 1_000 });
  });

  it('takes a function source', () => {
    const appendedAt = (index: number): number | undefined => (index === 3 ? 100 : undefined);
    expect(timeLag({ leaderLastIndex: 5, matchIndex: 2, nowMs: 350, timestamps: appendedAt })).toEqual({ kind: 'exact', lagMs: 250 });
    expect(timeLag({ leaderLastIndex: 5, matchIndex: 3, nowMs: 350, timestamps: appendedAt })).toEqual({ kind: 'unknown' });
  });

  it('never goes negative when the entry time lies ahead of now', () => {
    expect(timeLag({ leaderLastIndex: 7, matchIndex: 6, nowMs: 2_000, timestamps: samples })).toEqual({ kind: 'exact', lagMs: 0 });
  });

  it('works for a DR secondary the same way (plain numbers, primary clock)', () => {
    const primaryAppends: TimestampSample[] = [
      { index: 1_000, timestampMs: 50_000 },
      { index: 2_000, timestampMs: 60_000 },
    ];
    const lag = timeLag({ leaderLastIndex: 2_000, matchIndex: 1_500, nowMs: 65_000, timestamps: primaryAppends });
    expect(lag).toEqual({ kind: 'exact', lagMs: 5_000 });
  });
});

describe('timeLagMs', () => {
  it('unwraps known lags and gives undefined for unknown', () => {
    expect(timeLagMs({ kind: 'caught-up', lagMs: 0 })).toBe(0);
    expect(timeLagMs({ kind: 'exact', lagMs: 12 })).toBe(12);
    expect(timeLagMs({ kind: 'at-least', lagMs: 40 })).toBe(40);
    expect(timeLagMs({ kind: 'unknown' })).toBeUndefined();
  });
});
