/**
 * Durability: after the run (faults healed, clients stopped) each key is read once more. The final
 * value must come from a write that no acknowledged write is ordered after: the last acknowledged
 * write, a concurrent one, or an indeterminate one (it may have taken effect late). Anything else
 * means an acknowledged write was lost: the key is absent although a write was acknowledged, a
 * write that completed before an acknowledged one started is what remains, or the value was never
 * written at all. Values are synthetic ids (`<client>.<counter>`), never secrets, so they are named.
 */
import type { VerdictStatus } from './linearizability-verdict.js';
import type { OpRecord } from './types.js';

export interface FinalRead {
  readonly key: string;
  /** undefined: the read could not be made (the verdict is then unknown for that key). */
  readonly value: string | null | undefined;
}

export interface DurabilityViolation {
  readonly key: string;
  readonly finalValue: string | null;
  readonly lostValue: string | null;
  readonly reason: string;
}

export interface DurabilityVerdict {
  readonly verdict: VerdictStatus;
  readonly keysChecked: number;
  readonly acknowledgedWrites: number;
  readonly unreadKeys: readonly string[];
  readonly violations: readonly DurabilityViolation[];
}

export function checkDurability(records: readonly OpRecord[], finalReads: readonly FinalRead[]): DurabilityVerdict {
  const writesByKey = new Map<string, OpRecord[]>();
  let acknowledgedWrites = 0;
  for (const r of records) {
    if (r.kind !== 'write' || r.outcome === 'fail') continue;
    if (r.outcome === 'ok') acknowledgedWrites++;
    const list = writesByKey.get(r.key);
    if (list === undefined) writesByKey.set(r.key, [r]);
    else list.push(r);
  }
  const violations: DurabilityViolation[] = [];
  const unreadKeys: string[] = [];
  let keysChecked = 0;
  for (const fr of finalReads) {
    if (fr.value === undefined) {
      unreadKeys.push(fr.key);
      continue;
    }
    keysChecked++;
    const v = violationOf(fr.key, fr.value, writesByKey.get(fr.key) ?? []);
    if (v !== undefined) violations.push(v);
  }
  // Every key written must have been read back.
  const readKeys = new Set(finalReads.map((f) => f.key));
  for (const key of writesByKey.keys()) if (!readKeys.has(key)) unreadKeys.push(key);
  const verdict: VerdictStatus = violations.length > 0 ? 'fail' : unreadKeys.length > 0 ? 'unknown' : 'pass';
  return { verdict, keysChecked, acknowledgedWrites, unreadKeys, violations };
}

function violationOf(key: string, finalValue: string | null, writes: readonly OpRecord[]): DurabilityViolation | undefined {
  const acked = writes.filter((w) => w.outcome === 'ok');
  // The acknowledged write that started last: the one most obviously lost if the key is wrong.
  const latestAck = acked.reduce<OpRecord | undefined>((best, w) => (best === undefined || w.invokeMs > best.invokeMs ? w : best), undefined);
  if (finalValue === null) {
    if (latestAck === undefined) return undefined;
    return { key, finalValue, lostValue: latestAck.value, reason: `the key is absent, but ${acked.length} write(s) were acknowledged` };
  }
  const source = writes.find((w) => w.value === finalValue);
  if (source === undefined) return { key, finalValue, lostValue: latestAck?.value ?? null, reason: 'the final value was never written by this run' };
  if (source.outcome !== 'ok') return undefined; // indeterminate: may have taken effect at any time after its call
  const superseding = acked.find((a) => a !== source && source.completeMs < a.invokeMs);
  if (superseding === undefined) return undefined;
  return {
    key,
    finalValue,
    lostValue: superseding.value,
    reason: `write ${superseding.value} was acknowledged at ${superseding.completeMs.toFixed(1)} ms, after ${finalValue} had completed at ${source.completeMs.toFixed(1)} ms, yet ${finalValue} is what remains`,
  };
}
