/**
 * The recorded history of a key-value register workload, as a client saw it. Plain data so that
 * a simulator, a load tester over HTTP or a test can all produce it.
 */

export type KvOpKind = 'put' | 'get';

export interface KvOperation {
  readonly clientId: string;
  readonly op: KvOpKind;
  readonly key: string;
  /** put: the value written. get: the value read, or null when the key was absent. */
  readonly value: string | null;
  /** When the client sent the request (any monotonic unit, as long as one unit for the whole history). */
  readonly invokeTime: number;
  /**
   * When the client saw the answer, or null when the outcome is unknown (a timeout, a lost
   * connection): the op may or may not have taken effect, so it is treated as returning at +infinity.
   */
  readonly returnTime: number | null;
  /**
   * false for an op that failed with an unknown outcome. A failed put is treated like an
   * indeterminate one (it may have taken effect); a failed get is ignored (nothing was observed).
   * A failed op that definitely did not happen should simply be left out by the caller.
   */
  readonly ok: boolean;
}

export type Verdict = 'linearizable' | 'violation' | 'unknown';

export interface CheckResult {
  readonly verdict: Verdict;
  /** The key (partition) that is not linearizable, or whose search ran out of budget. */
  readonly key?: string;
  /** For a violation: which ops could not be ordered. For unknown: why the search stopped. */
  readonly details?: string;
}

export interface CheckOptions {
  /**
   * Upper bound on search steps over the whole history (there is no clock in pure code). When the
   * search runs out, the verdict is 'unknown', never a pass.
   */
  readonly budget: number;
}
