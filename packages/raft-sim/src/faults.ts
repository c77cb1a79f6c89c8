/**
 * The fault options of the simulator. Each seed draws its own mix (so a sweep covers calm runs,
 * single faults and storms); `--faults` pins the set instead.
 */
import type { SeededRng } from '@coffer/base';

export type FaultKind =
  | 'drop'
  | 'duplicate'
  | 'reorder'
  | 'delay'
  | 'partition'
  | 'one-way'
  | 'isolate-leader'
  | 'crash'
  | 'pause'
  | 'disk-latency'
  | 'drift'
  | 'snapshot'
  | 'leader-churn'
  | 'silent-loss'
  | 'membership';

export const FAULT_KINDS: readonly FaultKind[] = [
  'drop',
  'duplicate',
  'reorder',
  'delay',
  'partition',
  'one-way',
  'isolate-leader',
  'crash',
  'pause',
  'disk-latency',
  'drift',
  'snapshot',
  'leader-churn',
  'silent-loss',
  'membership',
];

/** Faults that change who can talk to whom, or who is running. */
export const TOPOLOGY_FAULTS: readonly FaultKind[] = ['partition', 'one-way', 'isolate-leader', 'crash', 'pause', 'leader-churn', 'membership'];
/**
 * silent-loss: the transport never tells the sender that a message was lost (a datagram-like
 * network). Without it, a lost message reads as a broken stream that both ends notice.
 */
const NETWORK_FAULTS: readonly FaultKind[] = ['drop', 'duplicate', 'reorder', 'delay', 'disk-latency', 'drift', 'snapshot', 'silent-loss'];

export function isFaultKind(s: string): s is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(s);
}

/** Per-seed network and disk parameters, drawn once at the start of a run. */
export interface FaultPlan {
  readonly enabled: ReadonlySet<FaultKind>;
  readonly dropRate: number;
  readonly duplicateRate: number;
  /** Base one-way latency and its random spread (reorder = spread larger than the base). */
  readonly latencyMinMs: number;
  readonly latencySpreadMs: number;
  /** Rate and size of rare long delays. */
  readonly delayRate: number;
  readonly delayMaxMs: number;
  readonly diskLatencyMaxMs: number;
  /** Mean time between topology faults (partitions, crashes, pauses). */
  readonly faultIntervalMs: number;
  /** Snapshot every this many applied entries, keeping `snapshotTrailingEntries` behind. */
  readonly snapshotEveryEntries: number;
  readonly snapshotTrailingEntries: number;
  /**
   * Replication batching. Small messages (down to one entry each) make a new leader's catch-up
   * of earlier-term entries arrive ahead of its own no-op: the schedule of the paper's Figure 8.
   */
  readonly maxSizePerMsgBytes: number;
  readonly maxInflightMsgs: number;
  /** How long a client waits for one attempt before retrying elsewhere. */
  readonly clientAttemptTimeoutMs: number;
}

export function drawFaultPlan(rng: SeededRng, pinned: readonly FaultKind[] | undefined): FaultPlan {
  const enabled = new Set<FaultKind>();
  if (pinned !== undefined) for (const f of pinned) enabled.add(f);
  else {
    // A tenth of the seeds run calm; a third focus on one topology fault (clear schedules, such
    // as a paused leader); the rest enable each fault with probability one half (storms).
    const draw = rng.next();
    if (draw >= 0.1 && draw < 0.4) {
      enabled.add(TOPOLOGY_FAULTS[rng.int(0, TOPOLOGY_FAULTS.length)] as FaultKind);
      for (const f of NETWORK_FAULTS) if (rng.next() < 0.3) enabled.add(f);
    } else if (draw >= 0.4) {
      for (const f of FAULT_KINDS) if (rng.next() < 0.5) enabled.add(f);
    }
  }
  const reorder = enabled.has('reorder');
  return {
    enabled,
    dropRate: enabled.has('drop') ? 0.01 + rng.next() * 0.15 : 0,
    duplicateRate: enabled.has('duplicate') ? 0.01 + rng.next() * 0.1 : 0,
    latencyMinMs: 1 + rng.int(0, 5),
    latencySpreadMs: reorder ? 10 + rng.int(0, 40) : 0,
    delayRate: enabled.has('delay') ? 0.01 + rng.next() * 0.05 : 0,
    delayMaxMs: 100 + rng.int(0, 400),
    diskLatencyMaxMs: enabled.has('disk-latency') ? 1 + rng.int(0, 20) : 0,
    faultIntervalMs: 100 + rng.int(0, 400),
    snapshotEveryEntries: enabled.has('snapshot') ? 5 + rng.int(0, 20) : 1_000_000,
    snapshotTrailingEntries: enabled.has('snapshot') ? rng.int(0, 5) : 0,
    maxSizePerMsgBytes: [1, 256, 4096][rng.int(0, 3)] ?? 4096,
    maxInflightMsgs: [1, 4, 16][rng.int(0, 3)] ?? 16,
    clientAttemptTimeoutMs: 60 + rng.int(0, 340),
  };
}
