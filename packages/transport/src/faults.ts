/**
 * Fault injection for tests: per-peer drop probability, fixed delay, and partitions (both ways or
 * one way). It is off unless the transport was built with `unsafeFaultInjection: true`; without
 * that flag every control method throws, so a production node cannot be partitioned by a stray
 * API call. The control surface is a plain object so that the node runtime can pass it through
 * its API to multi-process tests unchanged.
 *
 * Where each fault applies:
 *   dropRate, delayMs, blockOutbound: to messages this node sends to `peer` (snapshots included:
 *     a dropped or blocked snapshot is reported as failed, like a broken connection).
 *   blockInbound: to messages this node receives from `peer` (acknowledged at the transport level
 *     and then discarded, so the sender's stream stays up, as with a lossy network).
 */
import type { NodeId } from '@coffer/base';
import { nodeId } from '@coffer/base';

export interface FaultSpec {
  readonly peer: string;
  /** Probability in [0, 1] that one outbound message is dropped. */
  readonly dropRate?: number;
  /** Every outbound message is delayed this long (order is kept). */
  readonly delayMs?: number;
  readonly blockOutbound?: boolean;
  readonly blockInbound?: boolean;
}

export type OutboundVerdict = { readonly kind: 'send'; readonly delayMs: number } | { readonly kind: 'drop' };

const SEND_NOW: OutboundVerdict = { kind: 'send', delayMs: 0 };
const DROP: OutboundVerdict = { kind: 'drop' };

export class FaultInjector {
  private readonly faults = new Map<NodeId, Required<FaultSpec>>();

  constructor(
    private readonly isEnabled: boolean,
    private readonly random: () => number,
  ) {}

  /** Replaces the faults for `spec.peer` (fields left out are off). */
  set(spec: FaultSpec): void {
    this.requireEnabled();
    const dropRate = spec.dropRate ?? 0;
    const delayMs = spec.delayMs ?? 0;
    if (typeof spec.peer !== 'string' || spec.peer.length === 0) throw new RangeError('setFaults: peer is required');
    if (!(dropRate >= 0 && dropRate <= 1)) throw new RangeError(`setFaults: dropRate ${dropRate} is not in [0, 1]`);
    if (!(Number.isFinite(delayMs) && delayMs >= 0 && delayMs <= 60_000)) {
      throw new RangeError(`setFaults: delayMs ${delayMs} is not in [0, 60000]`);
    }
    this.faults.set(nodeId(spec.peer), {
      peer: spec.peer,
      dropRate,
      delayMs,
      blockOutbound: spec.blockOutbound ?? false,
      blockInbound: spec.blockInbound ?? false,
    });
  }

  /** Heals one peer, or every peer when `peer` is omitted. */
  clear(peer?: string): void {
    this.requireEnabled();
    if (peer === undefined) this.faults.clear();
    else this.faults.delete(nodeId(peer));
  }

  list(): FaultSpec[] {
    this.requireEnabled();
    return [...this.faults.values()].map((f) => ({ ...f }));
  }

  outbound(peer: NodeId): OutboundVerdict {
    const f = this.faults.get(peer);
    if (f === undefined) return SEND_NOW;
    if (f.blockOutbound) return DROP;
    if (f.dropRate > 0 && this.random() < f.dropRate) return DROP;
    return f.delayMs > 0 ? { kind: 'send', delayMs: f.delayMs } : SEND_NOW;
  }

  isInboundBlocked(peer: NodeId): boolean {
    return this.faults.get(peer)?.blockInbound ?? false;
  }

  private requireEnabled(): void {
    if (!this.isEnabled) {
      throw new Error('fault injection is disabled: construct the transport with unsafeFaultInjection: true (tests only)');
    }
  }
}
