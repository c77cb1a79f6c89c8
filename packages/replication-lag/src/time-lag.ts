import { assertIndex, assertMs } from './lag.js';
import type { TimestampSource } from './timestamps.js';
import { lookupTimestamp } from './timestamps.js';

/**
 * How far behind a follower is in time: the age of the oldest entry it does not yet have
 * (entry `matchIndex + 1`), measured on the leader's clock.
 */
export type TimeLag =
  /** The follower has every entry the leader has. */
  | { readonly kind: 'caught-up'; readonly lagMs: 0 }
  /** The first missing entry's append time is known. */
  | { readonly kind: 'exact'; readonly lagMs: number }
  /** The first missing entry is older than every sample: it is at least `lagMs` old. */
  | { readonly kind: 'at-least'; readonly lagMs: number }
  /** Behind, but no sample covers the first missing entry (no source, empty source, or too new). */
  | { readonly kind: 'unknown' };

export interface TimeLagInput {
  /** The leader's (or DR primary's) last log index. */
  readonly leaderLastIndex: number;
  /** The highest index the follower (or DR secondary) is known to hold. */
  readonly matchIndex: number;
  /** Now, on the same clock as the timestamps. */
  readonly nowMs: number;
  /** The leader's append times; absent means "not tracked", so a lagging follower is `unknown`. */
  readonly timestamps?: TimestampSource;
}

export function timeLag(input: TimeLagInput): TimeLag {
  const { leaderLastIndex, matchIndex, nowMs, timestamps } = input;
  assertIndex(leaderLastIndex, 'leaderLastIndex');
  assertIndex(matchIndex, 'matchIndex');
  assertMs(nowMs, 'nowMs');
  if (matchIndex >= leaderLastIndex) return { kind: 'caught-up', lagMs: 0 };
  if (timestamps === undefined) return { kind: 'unknown' };
  const found = lookupTimestamp(timestamps, matchIndex + 1);
  switch (found.kind) {
    case 'found':
      assertMs(found.timestampMs, 'timestampMs');
      return { kind: 'exact', lagMs: ageMs(nowMs, found.timestampMs) };
    case 'before-oldest':
      return { kind: 'at-least', lagMs: ageMs(nowMs, found.oldestTimestampMs) };
    case 'unknown':
      return { kind: 'unknown' };
  }
}

/** The lag as a number of ms (a lower bound for `at-least`), or `undefined` when unknown. */
export function timeLagMs(lag: TimeLag): number | undefined {
  return lag.kind === 'unknown' ? undefined : lag.lagMs;
}

/** A timestamp ahead of `nowMs` (clock stepped back) is treated as just now: ages are never negative. */
function ageMs(nowMs: number, timestampMs: number): number {
  return Math.max(0, nowMs - timestampMs);
}
