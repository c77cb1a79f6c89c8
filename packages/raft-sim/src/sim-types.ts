/** The options and result of one simulation run, and the events of its agenda. */
import type { NodeId } from '@coffer/base';
import type { Message, UnsafeTestingFaults } from '@coffer/raft';
import type { FaultKind } from './faults.js';
import type { Violation } from './invariants.js';
import type { SimNode } from './sim-node.js';

export interface SimOptions {
  readonly seed: number;
  /** Events in the faulty phase. */
  readonly steps: number;
  /** Pin the fault set (default: drawn from the seed). */
  readonly faults?: readonly FaultKind[];
  readonly unsafeTestingFaults?: UnsafeTestingFaults;
  /** Keep a line per event, for --verbose and the replay test. */
  readonly trace?: boolean;
  readonly linearizabilityBudget?: number;
}

export interface SimResult {
  readonly seed: number;
  readonly nodeCount: number;
  readonly faults: readonly FaultKind[];
  readonly violations: readonly Violation[];
  readonly trace: readonly string[];
  readonly events: number;
  readonly simTimeMs: number;
  readonly completedOps: number;
  readonly historyOps: number;
  readonly linearizability: 'linearizable' | 'violation' | 'unknown' | 'skipped';
}

export type SimEvent =
  | { readonly kind: 'tick'; readonly node: SimNode; readonly epoch: number }
  | { readonly kind: 'deliver'; readonly msg: Message }
  | { readonly kind: 'disk'; readonly node: SimNode; readonly done: () => void }
  | { readonly kind: 'client'; readonly client: number; readonly attempt: number }
  | { readonly kind: 'fault' }
  | { readonly kind: 'heal' }
  | { readonly kind: 'restart'; readonly node: SimNode }
  | { readonly kind: 'crash'; readonly node: SimNode; readonly epoch: number; readonly restartAfterMs: number }
  | { readonly kind: 'unreachable'; readonly from: NodeId; readonly to: NodeId }
  | { readonly kind: 'snapshot-status'; readonly from: NodeId; readonly to: NodeId; readonly isOk: boolean };
