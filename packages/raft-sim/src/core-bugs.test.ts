/**
 * Minimal reproductions of raft core bugs the simulation found, kept as regression tests. Each
 * was first seen as a sweep failure (named in its test).
 */
import { nodeId, SeededRng, type NodeId } from '@coffer/base';
import { MemoryStorage, Raft } from '@coffer/raft';
import { describe, expect, it } from 'vitest';

const n1 = nodeId('n1');

function drain(raft: Raft, storage: MemoryStorage): void {
  for (let i = 0; i < 100 && raft.hasReady(); i++) {
    const rd = raft.ready();
    if (rd.snapshot !== undefined) storage.applySnapshot(rd.snapshot);
    storage.append(rd.entries);
    if (rd.hardState !== undefined) storage.setHardState(rd.hardState);
    raft.advance();
  }
}

function singleVoter(): { raft: Raft; storage: MemoryStorage } {
  const voters: NodeId[] = [n1];
  const storage = MemoryStorage.bootstrap({ voters, learners: [] });
  const raft = new Raft({ id: n1, storage, rng: new SeededRng(1), electionTicks: 10, heartbeatTicks: 2 });
  raft.campaign();
  drain(raft, storage);
  return { raft, storage };
}

describe('raft core (found by raft-sim)', () => {
  // Seen in snapshot seeds before core commit b7d94b9 ("keep compacted conf changes"): after
  // compaction past the bootstrap conf-change entries, nodes ended with an empty voter set and
  // nobody ever campaigned again (a convergence failure with `voters=` empty on every node).
  it('keeps its configuration after the log is compacted past the bootstrap conf-change entries', () => {
    const { raft, storage } = singleVoter();
    expect(raft.status().role).toBe('leader');
    for (let i = 0; i < 5; i++) expect(raft.propose(new TextEncoder().encode(`v${i}`)).ok).toBe(true);
    drain(raft, storage);
    const applied = raft.status().applied;
    expect(applied).toBeGreaterThan(4);
    // What a runtime does after applying: snapshot at the applied index, compact behind it.
    expect(storage.createSnapshot(applied, raft.status().confState, new Uint8Array(0)).ok).toBe(true);
    expect(storage.compact(applied).ok).toBe(true);
    expect(raft.propose(new TextEncoder().encode('after-compaction')).ok).toBe(true);
    drain(raft, storage);
    expect(raft.status().confState.voters).toEqual([n1]);
  });
});
