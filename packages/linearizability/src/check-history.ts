/**
 * Checks a key-value history for linearizability. A register per key is independent of the
 * others, so by P-compositionality (Herlihy & Wing's locality) the history is linearizable iff
 * each key's sub-history is: each key is searched on its own, which keeps the search small.
 */
import { assert } from '@coffer/base';
import { registerModel, type RegisterInput, type RegisterOutput } from './model.js';
import type { CheckOptions, CheckResult, KvOperation } from './types.js';
import { searchLinearization, type TimedOp } from './wgl.js';

export function checkHistory(history: readonly KvOperation[], options: CheckOptions): CheckResult {
  assert(Number.isFinite(options.budget) && options.budget >= 0, 'checkHistory: budget must be a finite number >= 0');
  const byKey = partitionByKey(history);
  let stepsLeft = options.budget;
  let firstUnknown: CheckResult | undefined;
  // Sorted keys: the verdict and its details do not depend on the history's order.
  for (const key of [...byKey.keys()].sort()) {
    const ops = byKey.get(key) ?? [];
    const impossible = findReadOfUnwrittenValue(key, ops);
    if (impossible !== undefined) return impossible;
    const result = searchLinearization(registerModel, ops, stepsLeft);
    stepsLeft -= result.steps;
    if (result.kind === 'violation') return { verdict: 'violation', key, details: `key ${JSON.stringify(key)}: ${result.details}` };
    if (result.kind === 'budget-exhausted' && firstUnknown === undefined) {
      firstUnknown = {
        verdict: 'unknown',
        key,
        details: `key ${JSON.stringify(key)}: search budget of ${options.budget} steps ran out over ${ops.length} ops`,
      };
    }
  }
  // A violation found in another key still wins over an unknown: keep searching, then report.
  return firstUnknown ?? { verdict: 'linearizable' };
}

type RegisterOp = TimedOp<RegisterInput, RegisterOutput>;

function partitionByKey(history: readonly KvOperation[]): Map<string, RegisterOp[]> {
  const byKey = new Map<string, RegisterOp[]>();
  for (const h of history) {
    const returnTime = h.returnTime === null || !h.ok ? Infinity : h.returnTime;
    // A get with no answer observed nothing: it constrains no order.
    if (h.op === 'get' && returnTime === Infinity) continue;
    assert(returnTime >= h.invokeTime, `checkHistory: op of client ${h.clientId} returns before it is invoked`);
    const input: RegisterInput = h.op === 'put' ? { kind: 'put', value: h.value } : { kind: 'get' };
    const op: RegisterOp = {
      input,
      output: h.op === 'get' ? h.value : null,
      callTime: h.invokeTime,
      returnTime,
      label: `client ${h.clientId}`,
    };
    const ops = byKey.get(h.key);
    if (ops === undefined) byKey.set(h.key, [op]);
    else ops.push(op);
  }
  return byKey;
}

/** A cheap, precise diagnosis of the plainest violation before the search. */
function findReadOfUnwrittenValue(key: string, ops: readonly RegisterOp[]): CheckResult | undefined {
  const written = new Set<string | null>([null]);
  for (const op of ops) if (op.input.kind === 'put') written.add(op.input.value);
  const bad = ops.find((op) => op.input.kind === 'get' && !written.has(op.output));
  if (bad === undefined) return undefined;
  return {
    verdict: 'violation',
    key,
    details: `key ${JSON.stringify(key)}: ${bad.label} read ${JSON.stringify(bad.output)} at [${bad.callTime}, ${bad.returnTime}], a value never written`,
  };
}
