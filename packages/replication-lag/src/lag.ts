import { assert } from '@coffer/base';

/**
 * The two simplest lag figures. Plain numbers in, plain numbers out, so the same maths serves a
 * Raft follower (leader last index vs. the follower's match index) and a DR secondary (the
 * primary's last index vs. the last index the secondary has persisted).
 */

/** Asserts that `n` is a usable log index: a non-negative safe integer. */
export function assertIndex(n: number, what: string): void {
  assert(Number.isSafeInteger(n) && n >= 0, `${what} must be a non-negative integer, got ${n}`);
}

/** Asserts that `ms` is a finite number of milliseconds (any sign: it may be a clock reading). */
export function assertMs(ms: number, what: string): void {
  assert(Number.isFinite(ms), `${what} must be a finite number of ms, got ${ms}`);
}

/**
 * Entries the follower still lacks: `leaderLastIndex - matchIndex`, never negative.
 *
 * The clamp matters right after a leadership change: a new leader may hold a shorter log than a
 * follower's match (the old leader's uncommitted tail, about to be overwritten), or a status
 * snapshot may pair a fresh match with a stale last index. Either way the follower lacks nothing
 * the leader has, so the lag is 0, not a negative number that would read as "ahead".
 */
export function lagEntries(leaderLastIndex: number, matchIndex: number): number {
  assertIndex(leaderLastIndex, 'leaderLastIndex');
  assertIndex(matchIndex, 'matchIndex');
  return Math.max(0, leaderLastIndex - matchIndex);
}

/**
 * Ms since the leader last heard from the follower, or `undefined` when it never has.
 * `lastContactAtMs` and `nowMs` must come from the same clock (the leader's). A reading that
 * lies in the future (a clock stepped back) counts as contact just now: 0, never negative.
 */
export function lastContactMs(nowMs: number, lastContactAtMs: number | undefined): number | undefined {
  assertMs(nowMs, 'nowMs');
  if (lastContactAtMs === undefined) return undefined;
  assertMs(lastContactAtMs, 'lastContactAtMs');
  return Math.max(0, nowMs - lastContactAtMs);
}
