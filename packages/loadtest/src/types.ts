/**
 * The data a load test records and reports. Times are milliseconds since the run's start on a
 * monotonic clock (performance.now()), so a history never goes backwards when the wall clock moves.
 */

export type OpKind = 'write' | 'read' | 'encrypt';

/**
 * What the client saw: `ok` (acknowledged), `fail` (definitely did not take effect: refused before
 * it was sent, or refused by a sealed node), `indeterminate` (a timeout, a reset connection, a 5xx
 * after forwarding: a write may or may not have taken effect, now or later).
 */
export type OpOutcome = 'ok' | 'fail' | 'indeterminate';

export interface OpRecord {
  readonly clientId: string;
  readonly kind: OpKind;
  /** The key within the run's key space (k0..kN-1); the transit key name for an encrypt. */
  readonly key: string;
  /**
   * write: the unique value id written (`<client>.<counter>`). read: the value id read, or null
   * when the key was absent (404, the register's initial value). encrypt: null.
   */
  readonly value: string | null;
  readonly invokeMs: number;
  /** When the answer (or the error) arrived. */
  readonly completeMs: number;
  readonly outcome: OpOutcome;
  /** Error class (see `classifyError`), absent when ok. */
  readonly error?: string;
  /** The error's message (method, path, status, the server's errors; never a token or a body). */
  readonly errorDetail?: string;
  /** The node whose HTTP address the request was sent to. */
  readonly node: string;
  /** Ops of the warm-up are checked for correctness but left out of the statistics. */
  readonly isWarmup: boolean;
}

export type FaultKind = 'kill' | 'pause' | 'step-down' | 'partition' | 'command';
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'pause', 'step-down', 'partition', 'command'];

export interface FaultRecord {
  readonly kind: FaultKind;
  /** The node the fault hit (the leader at the time), or '' when none was found. */
  readonly node: string;
  readonly injectMs: number;
  /** When the node was restarted / resumed / healed; null for faults with no recovery step. */
  recoverMs: number | null;
  /** Why the injection or the recovery failed, if it did. */
  error?: string;
}

export interface LeaderInfo {
  readonly id: string;
  /** The raft term, when the control can see it (not through sys/leader). */
  readonly term?: number;
}

export interface LeaderSample {
  readonly atMs: number;
  /** null: no leader known at that time. */
  readonly leader: string | null;
  readonly term: number | null;
}

export interface ClusterNode {
  readonly id: string;
  /** Base URL of the node's HTTP API, e.g. http://127.0.0.1:8200. */
  readonly apiUrl: string;
}

/**
 * The port through which the load tester sees and hurts a cluster; the load tester itself speaks
 * only HTTP. The `coffer loadtest --spawn N` command implements it over child processes and the
 * node API; `httpClusterControl` implements what HTTP alone can (leader, step-down) for `--addr`.
 * A fault kind is usable when its methods are present.
 */
export interface ClusterControl {
  nodes(): readonly ClusterNode[];
  /** The current leader, or undefined when none is known (an election, an unreachable cluster). */
  leader(): Promise<LeaderInfo | undefined>;
  kill?(id: string): Promise<void>;
  restart?(id: string): Promise<void>;
  pause?(id: string): Promise<void>;
  resume?(id: string): Promise<void>;
  partition?(id: string): Promise<void>;
  heal?(id: string): Promise<void>;
  stepDown?(id: string): Promise<void>;
  /** Runs the operator's fault command with {node} = id. */
  command?(id: string): Promise<void>;
}
