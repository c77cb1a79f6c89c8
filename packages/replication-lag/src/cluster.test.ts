import { AssertionError } from '@coffer/base';
import { describe, expect, it } from 'vitest';
import type { PeerProgressInput } from './cluster.js';
import { assessCluster, failureTolerance, quorumSize, summarizeCluster } from './cluster.js';

describe('quorumSize and failureTolerance', () => {
  it('quorum is a strict majority', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(quorumSize)).toEqual([1, 2, 2, 3, 3, 4, 4]);
    expect(quorumSize(0)).toBe(1);
  });

  it('tolerance is the healthy voters beyond a quorum', () => {
    expect(failureTolerance(3, 3)).toBe(1);
    expect(failureTolerance(5, 5)).toBe(2);
    expect(failureTolerance(5, 4)).toBe(1);
    expect(failureTolerance(4, 4)).toBe(1);
    expect(failureTolerance(1, 1)).toBe(0);
  });

  it('tolerance is 0 at, or below, a quorum', () => {
    expect(failureTolerance(3, 2)).toBe(0);
    expect(failureTolerance(5, 1)).toBe(0);
    expect(failureTolerance(0, 0)).toBe(0);
  });

  it('rejects more healthy voters than voters', () => {
    expect(() => failureTolerance(3, 4)).toThrow(AssertionError);
  });
});

describe('summarizeCluster', () => {
  it('counts voters only for tolerance, but every server for overall health', () => {
    const s = summarizeCluster([
      { id: 'a', isVoter: true, isHealthy: true },
      { id: 'b', isVoter: true, isHealthy: true },
      { id: 'c', isVoter: true, isHealthy: true },
      { id: 'l', isVoter: false, isHealthy: false },
    ]);
    expect(s).toEqual({
      isHealthy: false,
      voters: 3,
      healthyVoters: 3,
      quorum: 2,
      hasHealthyQuorum: true,
      failureTolerance: 1,
      unhealthyIds: ['l'],
    });
  });

  it('reports a lost healthy quorum', () => {
    const s = summarizeCluster([
      { id: 'a', isVoter: true, isHealthy: true },
      { id: 'b', isVoter: true, isHealthy: false },
      { id: 'c', isVoter: true, isHealthy: false },
    ]);
    expect(s.hasHealthyQuorum).toBe(false);
    expect(s.failureTolerance).toBe(0);
    expect(s.unhealthyIds).toEqual(['b', 'c']);
  });

  it('rejects a server listed twice', () => {
    expect(() =>
      summarizeCluster([
        { id: 'a', isVoter: true, isHealthy: true },
        { id: 'a', isVoter: true, isHealthy: true },
      ]),
    ).toThrow(AssertionError);
  });
});

describe('assessCluster', () => {
  const now = 50_000;
  const peer = (id: string, over: Partial<PeerProgressInput> = {}): PeerProgressInput => ({
    id,
    isVoter: true,
    matchIndex: 100,
    lastContactAtMs: now - 50,
    ...over,
  });

  it('five healthy voters tolerate two failures', () => {
    const r = assessCluster({ leaderId: 'n1', leaderLastIndex: 100, nowMs: now }, [peer('n2'), peer('n3'), peer('n4'), peer('n5')]);
    expect(r.summary.failureTolerance).toBe(2);
    expect(r.summary.isHealthy).toBe(true);
    expect(r.peers.map((p) => p.id)).toEqual(['n2', 'n3', 'n4', 'n5']);
  });

  it('an unreachable voter and a lagging learner lower health, only the voter lowers tolerance', () => {
    const r = assessCluster({ leaderId: 'n1', leaderLastIndex: 5_000, nowMs: now }, [
      peer('n2', { matchIndex: 5_000 }),
      peer('n3', { matchIndex: 5_000, lastContactAtMs: undefined }),
      peer('n4', { isVoter: false, matchIndex: 10 }),
    ]);
    expect(r.summary).toMatchObject({ isHealthy: false, voters: 3, healthyVoters: 2, failureTolerance: 0, unhealthyIds: ['n3', 'n4'] });
    expect(r.peers[1]?.reasons).toEqual([{ kind: 'never-contacted' }]);
    expect(r.peers[2]?.reasons.map((x) => x.kind)).toEqual(['too-many-trailing-logs']);
  });

  it('a lone leader is healthy with no tolerance', () => {
    const r = assessCluster({ leaderId: 'n1', leaderLastIndex: 0, nowMs: now }, []);
    expect(r.summary).toMatchObject({ isHealthy: true, voters: 1, healthyVoters: 1, quorum: 1, failureTolerance: 0 });
  });

  it('refuses the leader among its own peers', () => {
    expect(() => assessCluster({ leaderId: 'n1', leaderLastIndex: 0, nowMs: now }, [peer('n1')])).toThrow(AssertionError);
  });
});
