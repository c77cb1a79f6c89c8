import { assert } from '@coffer/base';
import { assertIndex, assertMs, lagEntries, lastContactMs } from './lag.js';
import type { TimeLag } from './time-lag.js';
import { timeLag } from './time-lag.js';
import type { TimestampSource } from './timestamps.js';

/**
 * A follower's health verdict, after Vault's autopilot: a follower is healthy when the leader has
 * heard from it recently, it is on the leader's term, and it trails by few enough entries (and,
 * optionally, by little enough time). Every limit is inclusive: a value exactly at its threshold
 * is still healthy, as in autopilot (`lastContact > threshold` and `lastIndex + maxTrailingLogs <
 * leaderLastIndex` are the failing tests).
 */
export interface HealthThresholds {
  /** Longest allowed silence from the follower. Autopilot's `last_contact_threshold`. */
  readonly lastContactThresholdMs: number;
  /** Most entries the follower may trail by. Autopilot's `max_trailing_logs`. */
  readonly maxTrailingLogs: number;
  /** Oldest the follower's first missing entry may be; no time check when absent. */
  readonly maxLagMs?: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  lastContactThresholdMs: 10_000,
  maxTrailingLogs: 1000,
};

/** The defaults with some fields replaced; checks that every limit is a non-negative number. */
export function healthThresholds(overrides: Partial<HealthThresholds> = {}): HealthThresholds {
  const merged: HealthThresholds = { ...DEFAULT_HEALTH_THRESHOLDS, ...overrides };
  assert(merged.lastContactThresholdMs >= 0, 'lastContactThresholdMs must be >= 0');
  assert(Number.isSafeInteger(merged.maxTrailingLogs) && merged.maxTrailingLogs >= 0, 'maxTrailingLogs must be an integer >= 0');
  assert(merged.maxLagMs === undefined || merged.maxLagMs >= 0, 'maxLagMs must be >= 0');
  return merged;
}

/** What the leader (or DR primary) knows, on its own clock. */
export interface LeaderView {
  readonly leaderLastIndex: number;
  readonly nowMs: number;
  /** The leader's append times, for the time lag. Without it `maxLagMs` cannot be judged. */
  readonly timestamps?: TimestampSource;
  /** The term of the leader's last entry; compared with the follower's `lastTerm` when both are given. */
  readonly leaderLastTerm?: number;
}

/** One follower's progress as the leader sees it. */
export interface FollowerProgress {
  readonly matchIndex: number;
  /** Leader-clock time of the last message heard from the follower; `undefined` if never heard. */
  readonly lastContactAtMs: number | undefined;
  /** The term of the follower's last entry, when known. */
  readonly lastTerm?: number;
}

/** Why a follower is not healthy. A closed set: a new kind that a caller does not handle fails to compile there. */
export type UnhealthyReason =
  | { readonly kind: 'never-contacted' }
  | { readonly kind: 'last-contact-too-old'; readonly lastContactMs: number; readonly lastContactThresholdMs: number }
  | { readonly kind: 'term-mismatch'; readonly lastTerm: number; readonly leaderLastTerm: number }
  | { readonly kind: 'too-many-trailing-logs'; readonly lagEntries: number; readonly maxTrailingLogs: number }
  /** `isLowerBound`: the lag is an `at-least` figure, already past the limit. */
  | { readonly kind: 'lag-too-long'; readonly lagMs: number; readonly maxLagMs: number; readonly isLowerBound: boolean };

export type UnhealthyReasonKind = UnhealthyReason['kind'];

export interface FollowerHealth {
  /** True exactly when `reasons` is empty. */
  readonly isHealthy: boolean;
  /** Every failed check, in the fixed order: contact, term, entries, time. */
  readonly reasons: readonly UnhealthyReason[];
  readonly lagEntries: number;
  /** Ms since last contact; `undefined` when never contacted. */
  readonly lastContactMs: number | undefined;
  readonly timeLag: TimeLag;
}

/**
 * Judges one follower. An `unknown` time lag never fails the `maxLagMs` check: with no timestamp
 * covering the follower's first missing entry there is nothing to judge, and the entry-count check
 * still catches a follower that is far behind.
 */
export function assessFollower(
  leader: LeaderView,
  follower: FollowerProgress,
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): FollowerHealth {
  assertIndex(leader.leaderLastIndex, 'leaderLastIndex');
  assertMs(leader.nowMs, 'nowMs');
  const reasons: UnhealthyReason[] = [];

  const contactMs = lastContactMs(leader.nowMs, follower.lastContactAtMs);
  if (contactMs === undefined) {
    reasons.push({ kind: 'never-contacted' });
  } else if (contactMs > thresholds.lastContactThresholdMs) {
    reasons.push({ kind: 'last-contact-too-old', lastContactMs: contactMs, lastContactThresholdMs: thresholds.lastContactThresholdMs });
  }

  if (follower.lastTerm !== undefined && leader.leaderLastTerm !== undefined && follower.lastTerm !== leader.leaderLastTerm) {
    reasons.push({ kind: 'term-mismatch', lastTerm: follower.lastTerm, leaderLastTerm: leader.leaderLastTerm });
  }

  const entries = lagEntries(leader.leaderLastIndex, follower.matchIndex);
  if (entries > thresholds.maxTrailingLogs) {
    reasons.push({ kind: 'too-many-trailing-logs', lagEntries: entries, maxTrailingLogs: thresholds.maxTrailingLogs });
  }

  const lag = timeLag(
    leader.timestamps === undefined
      ? { leaderLastIndex: leader.leaderLastIndex, matchIndex: follower.matchIndex, nowMs: leader.nowMs }
      : { leaderLastIndex: leader.leaderLastIndex, matchIndex: follower.matchIndex, nowMs: leader.nowMs, timestamps: leader.timestamps },
  );
  const maxLagMs = thresholds.maxLagMs;
  if (maxLagMs !== undefined && (lag.kind === 'exact' || lag.kind === 'at-least') && lag.lagMs > maxLagMs) {
    reasons.push({ kind: 'lag-too-long', lagMs: lag.lagMs, maxLagMs, isLowerBound: lag.kind === 'at-least' });
  }

  return { isHealthy: reasons.length === 0, reasons, lagEntries: entries, lastContactMs: contactMs, timeLag: lag };
}
