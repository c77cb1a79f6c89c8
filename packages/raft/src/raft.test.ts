import { nodeId } from '@coffer/base';
import { describe, expect, it } from 'vitest';
import { TestCluster } from './test-cluster.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('Raft core', () => {
  it('elects a leader and replicates a proposal to every node', () => {
    const c = new TestCluster(['n1', 'n2', 'n3']);
    c.node('n1').raft.campaign();
    c.stabilize();
    expect(c.leader()?.id).toBe('n1');
    const r = c.node('n1').raft.propose(enc('hello'));
    expect(r.ok).toBe(true);
    c.stabilize();
    c.tickAll(1);
    c.stabilize();
    for (const n of c.nodes.values()) {
      const data = n.applied.filter((e) => e.type === 'normal' && e.data.length > 0).map((e) => dec(e.data));
      expect(data).toEqual(['hello']);
      expect(n.raft.status().commit).toBe(5); // 3 bootstrap entries, the no-op, hello
    }
  });

  it('refuses proposals on a follower with a leader hint', () => {
    const c = new TestCluster(['n1', 'n2', 'n3']);
    c.node('n1').raft.campaign();
    c.stabilize();
    const r = c.node('n2').raft.propose(enc('x'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('not-leader');
      expect(r.error.leaderHint).toBe('n1');
    }
  });

  it('elects a new leader by timeout after the leader is cut off, and the old one steps down', () => {
    const c = new TestCluster(['n1', 'n2', 'n3']);
    c.node('n1').raft.campaign();
    c.stabilize();
    c.isolated.add(nodeId('n1'));
    for (let i = 0; i < 40; i++) {
      c.tickAll();
      c.stabilize();
    }
    const roles = [...c.nodes.values()].map((n) => [n.id, n.raft.status().role]);
    expect(roles.filter(([, r]) => r === 'leader').length).toBe(1);
    expect(c.node('n1').raft.status().role).not.toBe('leader');
  });

  it('serves ReadIndex after a heartbeat round, on the leader and through a follower', () => {
    const c = new TestCluster(['n1', 'n2', 'n3']);
    c.node('n1').raft.campaign();
    c.stabilize();
    const commit = c.node('n1').raft.status().commit;
    c.isolated.add(nodeId('n2'));
    c.isolated.add(nodeId('n3'));
    c.node('n1').raft.readIndex('r1');
    c.stabilize();
    // Cut off from both followers, the leader cannot confirm it still leads.
    expect(c.node('n1').readStates).toEqual([]);
    c.isolated.clear();
    c.tickAll(1);
    c.stabilize();
    expect(c.node('n1').readStates).toEqual([{ ctx: 'r1', index: commit }]);
    c.node('n2').raft.readIndex('r2');
    c.stabilize();
    c.tickAll(1);
    c.stabilize();
    expect(c.node('n2').readStates).toEqual([{ ctx: 'r2', index: commit }]);
  });

  it('transfers leadership to a caught-up follower', () => {
    const c = new TestCluster(['n1', 'n2', 'n3']);
    c.node('n1').raft.campaign();
    c.stabilize();
    expect(c.node('n1').raft.transferLeadership(nodeId('n3')).ok).toBe(true);
    c.stabilize();
    expect(c.leader()?.id).toBe('n3');
  });

  it('adds a learner, promotes it and removes the old leader', () => {
    const c = new TestCluster(['n1', 'n2', 'n3']);
    c.node('n1').raft.campaign();
    c.stabilize();
    const add = c.node('n1').raft.proposeConfChange({ type: 'add-learner', node: nodeId('n4') });
    expect(add.ok).toBe(true);
    c.stabilize();
    expect(c.node('n1').raft.status().confState.learners).toEqual(['n4']);
    const second = c.node('n1').raft.proposeConfChange({ type: 'promote', node: nodeId('n4') });
    expect(second.ok).toBe(true);
    c.stabilize();
    expect(c.node('n2').raft.status().confState.voters).toContain('n4');
    const rm = c.node('n1').raft.proposeConfChange({ type: 'remove', node: nodeId('n1') });
    expect(rm.ok).toBe(true);
    c.stabilize();
    expect(c.node('n1').raft.status().role).toBe('follower');
  });
});

describe('Raft core regressions', () => {
  it('keeps the bootstrap configuration after the log holding it is compacted (sim seed 29)', () => {
    const c = new TestCluster(['n1', 'n2', 'n3']);
    c.node('n1').raft.campaign();
    c.stabilize();
    for (let i = 0; i < 5; i++) c.node('n1').raft.propose(enc(`v${i}`));
    c.stabilize();
    const n2 = c.node('n2');
    const applied = n2.raft.status().applied;
    expect(n2.storage.createSnapshot(applied, n2.raft.confStateAt(applied), new Uint8Array(0)).ok).toBe(true);
    expect(n2.storage.compact(applied).ok).toBe(true);
    c.node('n1').raft.propose(enc('after'));
    c.stabilize();
    expect(n2.raft.status().confState.voters).toEqual(['n1', 'n2', 'n3']);
  });
});
