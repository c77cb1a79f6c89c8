import { SeededRng } from '@coffer/base';
import { describe, expect, it } from 'vitest';
import { ElectionTimer } from './election-timer.js';
import { LeaderLease } from './leader-lease.js';
import { LeadershipTransfer } from './leadership-transfer.js';
import { QuorumActivity } from './quorum-activity.js';
import type { VoteRequestFacts } from './vote-rules.js';
import { decideVote, isLogUpToDate } from './vote-rules.js';
import { VoteTally } from './vote-tally.js';

const base: VoteRequestFacts = {
  isPreVote: false,
  requestTerm: 5,
  voterTerm: 5,
  votedFor: null,
  knownLeader: null,
  candidate: 'n2',
  candidateLastTerm: 4,
  candidateLastIndex: 10,
  voterLastTerm: 4,
  voterLastIndex: 10,
  isInLeaderLease: false,
  isTransfer: false,
};

describe('ElectionTimer', () => {
  it('draws timeouts in [electionTicks, 2*electionTicks) from the injected rng', () => {
    const t = new ElectionTimer(10, new SeededRng(3));
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      t.reset();
      expect(t.randomizedTimeoutTicks).toBeGreaterThanOrEqual(10);
      expect(t.randomizedTimeoutTicks).toBeLessThan(20);
      seen.add(t.randomizedTimeoutTicks);
    }
    expect(seen.size).toBe(10);
  });

  it('expires only after the drawn timeout and replays for the same seed', () => {
    const a = new ElectionTimer(10, new SeededRng(9));
    const b = new ElectionTimer(10, new SeededRng(9));
    expect(a.randomizedTimeoutTicks).toBe(b.randomizedTimeoutTicks);
    for (let i = 0; i < a.randomizedTimeoutTicks - 1; i++) a.tick();
    expect(a.isExpired()).toBe(false);
    a.tick();
    expect(a.isExpired()).toBe(true);
  });
});

describe('decideVote', () => {
  it('compares last term first, then last index', () => {
    expect(isLogUpToDate(5, 1, 4, 100)).toBe(true);
    expect(isLogUpToDate(4, 99, 4, 100)).toBe(false);
    expect(isLogUpToDate(4, 100, 4, 100)).toBe(true);
  });

  it('grants once per term and refuses a second candidate', () => {
    expect(decideVote(base).kind).toBe('grant');
    expect(decideVote({ ...base, votedFor: 'n3' })).toEqual({ kind: 'reject', reason: 'already-voted' });
    expect(decideVote({ ...base, votedFor: 'n2' }).kind).toBe('grant');
  });

  it('rejects a candidate whose log is behind, unless the test-only fault skips the check', () => {
    const behind = { ...base, candidateLastIndex: 9 };
    expect(decideVote(behind)).toEqual({ kind: 'reject', reason: 'log-behind' });
    expect(decideVote({ ...behind, skipLogCheck: true }).kind).toBe('grant');
  });

  it('ignores a higher-term request while in a leader lease, but not a transfer', () => {
    const req = { ...base, requestTerm: 6, isInLeaderLease: true };
    expect(decideVote(req).kind).toBe('ignore');
    expect(decideVote({ ...req, isTransfer: true }).kind).toBe('grant');
  });

  it('grants a pre-vote for a future term even with a known leader', () => {
    expect(decideVote({ ...base, isPreVote: true, requestTerm: 6, knownLeader: 'n1', votedFor: 'n1' }).kind).toBe('grant');
    expect(decideVote({ ...base, requestTerm: 4 })).toEqual({ kind: 'reject', reason: 'stale-term' });
  });
});

describe('VoteTally', () => {
  it('wins with a majority and loses once a majority is impossible', () => {
    const t = new VoteTally(['a', 'b', 'c', 'd', 'e']);
    t.record('a', true);
    t.record('b', true);
    expect(t.result()).toBe('pending');
    t.record('c', true);
    expect(t.result()).toBe('won');
    const l = new VoteTally(['a', 'b', 'c']);
    l.record('a', true);
    l.record('b', false);
    expect(l.result()).toBe('pending');
    l.record('c', false);
    expect(l.result()).toBe('lost');
  });

  it('counts a voter once and ignores non-voters', () => {
    const t = new VoteTally(['a', 'b', 'c']);
    t.record('a', true);
    t.record('a', true);
    t.record('x', true);
    expect(t.result()).toBe('pending');
  });
});

describe('QuorumActivity', () => {
  it('needs a majority including self, heard within the window', () => {
    const q = new QuorumActivity();
    expect(q.hasQuorum('a', ['a', 'b', 'c'], 0, 10)).toBe(false);
    q.markActive('b', 5);
    expect(q.hasQuorum('a', ['a', 'b', 'c'], 14, 10)).toBe(true);
    expect(q.hasQuorum('a', ['a', 'b', 'c'], 15, 10)).toBe(false);
    q.resetAll(['a', 'b', 'c'], 20);
    expect(q.hasQuorum('a', ['a', 'b', 'c'], 29, 10)).toBe(true);
  });
});

describe('LeaderLease', () => {
  it('counts from the send time of the round a majority acknowledged', () => {
    const lease = new LeaderLease(8);
    lease.onHeartbeatSent(1, 0);
    lease.onHeartbeatSent(2, 5);
    expect(lease.expiresAtTick('a', ['a', 'b', 'c'], 2)).toBe(Number.NEGATIVE_INFINITY);
    lease.onHeartbeatAck('b', 1);
    expect(lease.expiresAtTick('a', ['a', 'b', 'c'], 2)).toBe(8);
    lease.onHeartbeatAck('c', 2);
    expect(lease.expiresAtTick('a', ['a', 'b', 'c'], 2)).toBe(13);
  });

  it('forgets old rounds so their acks no longer hold the lease', () => {
    const lease = new LeaderLease(8);
    for (let s = 1; s <= 100; s++) lease.onHeartbeatSent(s, s);
    lease.onHeartbeatAck('b', 3);
    lease.forgetSentBefore(50);
    expect(lease.expiresAtTick('a', ['a', 'b', 'c'], 100)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('has no lease when disabled', () => {
    const lease = new LeaderLease(0);
    lease.onHeartbeatSent(1, 0);
    lease.onHeartbeatAck('b', 1);
    expect(lease.expiresAtTick('a', ['a', 'b', 'c'], 1)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('LeadershipTransfer', () => {
  it('aborts after its timeout', () => {
    const t = new LeadershipTransfer(3);
    t.start('b');
    expect(t.tick()).toBe(false);
    expect(t.tick()).toBe(false);
    expect(t.tick()).toBe(true);
    expect(t.transferee).toBeNull();
  });
});
