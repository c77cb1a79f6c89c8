/**
 * The membership fault: a spare node (started with an empty log, outside the configuration) is
 * added as a learner, promoted once the leader accepts it, and then a voter (any, the leader
 * included) is removed. One step per fault-timer firing, one change at a time, each through
 * `proposeConfChange` on the current leader; a refusal (a change still pending, no entry of the
 * term committed yet) just waits for the next firing.
 */
import type { NodeId, SeededRng } from '@coffer/base';
import type { ConfChange } from '@coffer/raft';
import { currentLeader } from './fault-injector.js';
import type { SimNode } from './sim-node.js';

export interface MembershipHost {
  readonly nodes: readonly SimNode[];
  trace(line: string): void;
}

export class MembershipPlan {
  private hasRemoved = false;

  constructor(private readonly spare: NodeId) {}

  step(host: MembershipHost, rng: SeededRng): void {
    const leader = currentLeader(host.nodes);
    const raft = leader?.raft;
    if (leader === undefined || raft === null || raft === undefined || this.hasRemoved) return;
    const conf = raft.status().confState;
    let change: ConfChange;
    if (!conf.voters.includes(this.spare) && !conf.learners.includes(this.spare)) change = { type: 'add-learner', node: this.spare };
    else if (conf.learners.includes(this.spare)) change = { type: 'promote', node: this.spare };
    else {
      const others = conf.voters.filter((v) => v !== this.spare);
      const victim = others[rng.int(0, others.length)];
      if (victim === undefined) return;
      change = { type: 'remove', node: victim };
    }
    const r = raft.proposeConfChange(change);
    host.trace(`membership ${change.type} ${change.node} on ${leader.id}: ${r.ok ? `at ${r.value.index}` : r.error.kind}`);
    if (r.ok && change.type === 'remove') this.hasRemoved = true;
    leader.processReady();
  }
}
