/**
 * Chooses and applies topology faults (partitions, one-way links, leader isolation, crashes,
 * pauses) from the run's fault plan. Each fault schedules its own end (heal, restart, resume).
 */
import type { NodeId, SeededRng } from '@coffer/base';
import { TOPOLOGY_FAULTS, type FaultPlan } from './faults.js';
import type { SimNetwork } from './network.js';
import type { SimNode } from './sim-node.js';

export interface FaultHost {
  nowMs(): number;
  readonly nodes: readonly SimNode[];
  readonly network: SimNetwork;
  scheduleHeal(delayMs: number): void;
  scheduleRestart(node: SimNode, delayMs: number): void;
  crash(node: SimNode): void;
  pause(node: SimNode, durationMs: number): void;
  /** One step of the membership plan (add the spare as a learner, promote it, remove a voter). */
  changeMembership(): void;
  trace(line: string): void;
}

export function hasTopologyFaults(plan: FaultPlan): boolean {
  return TOPOLOGY_FAULTS.some((f) => plan.enabled.has(f));
}

/** The node that leads in the highest term, as the nodes themselves see it. */
export function currentLeader(nodes: readonly SimNode[]): SimNode | undefined {
  let best: SimNode | undefined;
  let bestTerm = -1;
  for (const n of nodes) {
    const s = n.raft?.status();
    if (s !== undefined && s.role === 'leader' && s.term > bestTerm) {
      best = n;
      bestTerm = s.term;
    }
  }
  return best;
}

export function injectFault(host: FaultHost, plan: FaultPlan, rng: SeededRng): void {
  // leader-churn is driven by elections (see onNewLeader), not by the fault timer.
  const kinds = TOPOLOGY_FAULTS.filter((f) => f !== 'leader-churn' && plan.enabled.has(f));
  const kind = kinds[rng.int(0, kinds.length)];
  if (kind === undefined) return;
  const ids = host.nodes.map((n) => n.id);
  const up = host.nodes.filter((n) => n.isUp && n.pausedUntilMs <= host.nowMs());
  const leader = currentLeader(host.nodes);
  // Leaders are the interesting victims: half the time the fault aims at the current one.
  const victim = leader !== undefined && rng.next() < 0.5 ? leader : up[rng.int(0, up.length)];
  switch (kind) {
    case 'partition': {
      const shuffled = shuffle(ids, rng);
      const cut = rng.int(1, ids.length);
      host.network.partition(shuffled.slice(0, cut), shuffled.slice(cut));
      host.trace(`fault partition ${shuffled.slice(0, cut).join(',')} | ${shuffled.slice(cut).join(',')}`);
      host.scheduleHeal(rng.int(100, 800));
      return;
    }
    case 'one-way': {
      const links = rng.int(1, ids.length);
      for (let i = 0; i < links; i++) {
        const from = ids[rng.int(0, ids.length)] as NodeId;
        const to = ids[rng.int(0, ids.length)] as NodeId;
        if (from !== to) host.network.blockOneWay(from, to);
      }
      host.trace(`fault one-way ${host.network.describe()}`);
      host.scheduleHeal(rng.int(100, 800));
      return;
    }
    case 'isolate-leader': {
      const target = leader ?? victim;
      if (target === undefined) return;
      host.network.isolate(target.id, ids);
      host.trace(`fault isolate ${target.id}`);
      host.scheduleHeal(rng.int(200, 1000));
      return;
    }
    case 'crash': {
      if (victim === undefined || up.length <= 1) return;
      host.crash(victim);
      host.scheduleRestart(victim, rng.int(10, 600));
      return;
    }
    case 'membership':
      host.changeMembership();
      return;
    case 'pause': {
      if (victim === undefined) return;
      host.pause(victim, rng.int(100, 700));
      return;
    }
    default:
      return;
  }
}

function shuffle<T>(items: readonly T[], rng: SeededRng): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/**
 * leader-churn: leaders die young. A fresh leader is often cut off or crashes before its no-op
 * or its catch-up of earlier terms has reached everyone, and a leader is sometimes cut off right
 * after advancing its commit index (messages in flight are lost), before the followers hear of
 * it. Many short terms with partial replication are the schedule of the paper's Figure 8.
 */
export function onLeaderProgress(
  host: FaultHost,
  leader: SimNode,
  what: 'elected' | 'committed' | 'committed-earlier-term',
  rng: SeededRng,
): { crashAfterMs: number; restartAfterMs: number } | undefined {
  const draw = rng.next();
  // A correct leader never advances its commit to an entry of an earlier term (only its own
  // term's entries commit by counting), so the last case is the Figure 8 moment of a faulty one.
  const isolateP = what === 'elected' ? 0.5 : what === 'committed' ? 0.1 : 0.9;
  const crashP = isolateP + (what === 'elected' ? 0.2 : 0.05);
  if (draw < isolateP) {
    host.network.isolate(leader.id, host.nodes.map((n) => n.id));
    host.trace(`fault isolate leader ${leader.id} (${what})`);
    host.scheduleHeal(rng.int(50, 400));
    return undefined;
  }
  if (draw >= crashP) return undefined;
  return { crashAfterMs: what === 'elected' ? rng.int(0, 40) : rng.int(0, 3), restartAfterMs: rng.int(20, 300) };
}
