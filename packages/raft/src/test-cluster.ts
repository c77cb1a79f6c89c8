/**
 * A minimal deterministic cluster for the core's own unit tests: instant delivery, no faults.
 * (The seeded, fault-injecting simulator lives in @coffer/raft-sim.)
 */
import type { NodeId } from '@coffer/base';
import { SeededRng, assert, nodeId } from '@coffer/base';
import type { RaftConfig } from './config.js';
import { MemoryStorage } from './memory-storage.js';
import { Raft } from './raft.js';
import type { Entry, Message, ReadState } from './types.js';

export interface TestNode {
  readonly id: NodeId;
  raft: Raft;
  readonly storage: MemoryStorage;
  readonly applied: Entry[];
  readonly readStates: ReadState[];
}

export class TestCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  readonly inFlight: Message[] = [];
  readonly isolated = new Set<NodeId>();

  constructor(ids: readonly string[], extra: Partial<RaftConfig> = {}, seed = 1) {
    const voters = ids.map(nodeId);
    const rng = new SeededRng(seed);
    for (const id of voters) {
      const storage = MemoryStorage.bootstrap({ voters, learners: [] });
      const raft = new Raft({ id, storage, rng: rng.fork(), electionTicks: 10, heartbeatTicks: 1, ...extra });
      this.nodes.set(id, { id, raft, storage, applied: [], readStates: [] });
    }
  }

  node(id: string): TestNode {
    const n = this.nodes.get(nodeId(id));
    assert(n !== undefined, `no node ${id}`);
    return n;
  }

  /** Process every node's Ready once; returns true when anything happened. */
  processReadies(): boolean {
    let any = false;
    for (const n of this.nodes.values()) {
      while (n.raft.hasReady()) {
        any = true;
        const rd = n.raft.ready();
        if (rd.snapshot !== undefined) n.storage.applySnapshot(rd.snapshot);
        n.storage.append(rd.entries);
        if (rd.hardState !== undefined) n.storage.setHardState(rd.hardState);
        for (const m of rd.messages) {
          if (!this.isolated.has(m.from) && !this.isolated.has(m.to)) this.inFlight.push(m);
        }
        n.applied.push(...rd.committedEntries);
        n.readStates.push(...rd.readStates);
        n.raft.advance();
      }
    }
    return any;
  }

  /** Deliver until quiet (bounded). */
  stabilize(maxRounds = 1000): void {
    for (let i = 0; i < maxRounds; i++) {
      const progressed = this.processReadies();
      const batch = this.inFlight.splice(0);
      for (const m of batch) this.nodes.get(m.to)?.raft.step(m);
      if (!progressed && batch.length === 0) return;
    }
    throw new Error('cluster did not stabilize');
  }

  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) for (const node of this.nodes.values()) node.raft.tick();
  }

  leader(): TestNode | undefined {
    return [...this.nodes.values()].find((n) => n.raft.status().role === 'leader');
  }
}
