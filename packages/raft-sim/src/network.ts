/**
 * The network twin: decides, for each message, whether and when it arrives. Links are directed,
 * so a one-way partition is one blocked direction. All randomness comes from the run's Rng.
 */
import type { NodeId, SeededRng } from '@coffer/base';
import type { FaultPlan } from './faults.js';

export class SimNetwork {
  /** Blocked directed links, as `from>to`. */
  private readonly blocked = new Set<string>();
  /** Set for the settle phase: no more drops, duplicates or long delays. */
  private isCalm = false;

  constructor(
    private readonly rng: SeededRng,
    private readonly plan: FaultPlan,
  ) {}

  /** Arrival times (0, 1 or 2 of them) for a message sent at `nowMs`; a blocked link drops it. */
  deliveries(from: NodeId, to: NodeId, nowMs: number): number[] {
    if (this.blocked.has(`${from}>${to}`)) return [];
    if (this.isCalm) return [nowMs + this.plan.latencyMinMs];
    if (this.plan.dropRate > 0 && this.rng.next() < this.plan.dropRate) return [];
    const times = [nowMs + this.latencyMs()];
    if (this.plan.duplicateRate > 0 && this.rng.next() < this.plan.duplicateRate) times.push(nowMs + this.latencyMs());
    return times;
  }

  /** Whether a message in flight may still land (a partition that starts mid-flight cuts it). */
  isLinkOpen(from: NodeId, to: NodeId): boolean {
    return !this.blocked.has(`${from}>${to}`);
  }

  private latencyMs(): number {
    let latency = this.plan.latencyMinMs;
    if (this.plan.latencySpreadMs > 0) latency += this.rng.int(0, this.plan.latencySpreadMs + 1);
    if (this.plan.delayRate > 0 && this.rng.next() < this.plan.delayRate) latency += this.rng.int(0, this.plan.delayMaxMs + 1);
    return latency;
  }

  /** Splits the nodes into two sides that cannot talk in either direction. */
  partition(sideA: readonly NodeId[], sideB: readonly NodeId[]): void {
    for (const a of sideA) for (const b of sideB) this.blockBoth(a, b);
  }

  blockOneWay(from: NodeId, to: NodeId): void {
    this.blocked.add(`${from}>${to}`);
  }

  isolate(node: NodeId, all: readonly NodeId[]): void {
    for (const other of all) if (other !== node) this.blockBoth(node, other);
  }

  calm(): void {
    this.isCalm = true;
  }

  heal(): void {
    this.blocked.clear();
  }

  describe(): string {
    return this.blocked.size === 0 ? 'healed' : [...this.blocked].join(' ');
  }

  private blockBoth(a: NodeId, b: NodeId): void {
    this.blocked.add(`${a}>${b}`);
    this.blocked.add(`${b}>${a}`);
  }
}
