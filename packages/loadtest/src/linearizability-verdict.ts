/**
 * The linearizability verdict of a recorded history, with @coffer/linearizability's WGL checker
 * (one register per key, checked key by key). Bounded twice: a step budget per key (the checker's
 * own, pure) and a wall-clock limit over all keys (checked between keys). Running out of either
 * gives "unknown", never a pass; a violation in any key wins over an unknown.
 */
import { checkHistory, type KvOperation } from '@coffer/linearizability';
import type { OpRecord } from './types.js';

export type VerdictStatus = 'pass' | 'fail' | 'unknown';

export interface LinearizabilityVerdict {
  readonly verdict: VerdictStatus;
  readonly keysChecked: number;
  readonly keysUnknown: number;
  readonly opsChecked: number;
  /** Indeterminate writes whose value nobody read, left out as they may be placed last (see below). */
  readonly unobservedIndeterminateWrites: number;
  readonly elapsedMs: number;
  readonly details?: string;
}

export interface CheckLimits {
  readonly stepsPerKey: number;
  readonly timeLimitMs: number;
  readonly nowMs: () => number;
}

/**
 * Records -> the checker's ops. Definite failures are left out (they did not happen); a failed
 * or timed-out read observed nothing and is left out; an indeterminate write becomes an open-ended
 * put (returnTime null), which the checker may place anywhere after its call, or nowhere.
 *
 * One more reduction, sound because it does not change the verdict: an indeterminate write whose
 * value no read returned can always be linearized at the very end (after every other op), where it
 * constrains nothing, and conversely any linearization with it stays legal without it (no read sees
 * its value, so the next op after it is a write or nothing). Dropping these keeps the open-ended
 * ops, the search's expensive part, down to the few that were actually observed.
 */
export function toCheckerHistory(records: readonly OpRecord[]): { ops: KvOperation[]; droppedUnobserved: number } {
  const observed = new Set<string>();
  for (const r of records) if (r.kind === 'read' && r.outcome === 'ok' && r.value !== null) observed.add(`${r.key}\u0000${r.value}`);
  const ops: KvOperation[] = [];
  let droppedUnobserved = 0;
  for (const r of records) {
    if (r.kind === 'encrypt' || r.outcome === 'fail') continue;
    if (r.kind === 'read') {
      if (r.outcome === 'ok') ops.push({ clientId: r.clientId, op: 'get', key: r.key, value: r.value, invokeTime: r.invokeMs, returnTime: r.completeMs, ok: true });
      continue;
    }
    if (r.outcome === 'ok') {
      ops.push({ clientId: r.clientId, op: 'put', key: r.key, value: r.value, invokeTime: r.invokeMs, returnTime: r.completeMs, ok: true });
    } else if (observed.has(`${r.key}\u0000${r.value ?? ''}`)) {
      ops.push({ clientId: r.clientId, op: 'put', key: r.key, value: r.value, invokeTime: r.invokeMs, returnTime: null, ok: false });
    } else {
      droppedUnobserved++;
    }
  }
  return { ops, droppedUnobserved };
}

export function checkLinearizability(records: readonly OpRecord[], limits: CheckLimits): LinearizabilityVerdict {
  const startMs = limits.nowMs();
  const { ops, droppedUnobserved } = toCheckerHistory(records);
  const byKey = new Map<string, KvOperation[]>();
  for (const op of ops) {
    const list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, [op]);
    else list.push(op);
  }
  let keysChecked = 0;
  let keysUnknown = 0;
  let firstUnknown: string | undefined;
  const result = (verdict: VerdictStatus, details?: string): LinearizabilityVerdict => ({
    verdict, keysChecked, keysUnknown, opsChecked: ops.length, unobservedIndeterminateWrites: droppedUnobserved,
    elapsedMs: Math.round(limits.nowMs() - startMs), ...(details === undefined ? {} : { details }),
  });
  const keys = [...byKey.keys()].sort();
  for (const [i, key] of keys.entries()) {
    if (limits.nowMs() - startMs > limits.timeLimitMs) {
      keysUnknown += keys.length - i;
      firstUnknown ??= `the check ran out of its ${limits.timeLimitMs} ms time limit with ${keys.length - i} of ${keys.length} keys left`;
      break;
    }
    const r = checkHistory(byKey.get(key) ?? [], { budget: limits.stepsPerKey });
    keysChecked++;
    if (r.verdict === 'violation') return result('fail', r.details);
    if (r.verdict === 'unknown') {
      keysUnknown++;
      firstUnknown ??= r.details;
    }
  }
  return firstUnknown === undefined ? result('pass') : result('unknown', firstUnknown);
}
