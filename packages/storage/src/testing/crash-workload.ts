/**
 * Test support: the deterministic workload of the crash test, shared by the child that writes it
 * and the parent that checks what survived. Entry i and the state machine's record k<i> are pure
 * functions of i, so the checker needs nothing from the child but its acknowledgements.
 */
import { logIndex, term } from '@coffer/base';
import type { HardState, Entry } from '@coffer/raft';

export const ENTRY_BYTES = 256;
/** Snapshot and compact every this many applied entries, keeping a tail of COMPACT_LAG entries. */
export const SNAPSHOT_EVERY = 40;
export const COMPACT_LAG = 10;

export const termFor = (index: number): number => 1 + Math.floor(index / 100);

export function entryFor(index: number): Entry {
  const data = new Uint8Array(ENTRY_BYTES);
  for (let n = 0; n < ENTRY_BYTES; n++) data[n] = (index * 131 + n * 7) & 0xff;
  return { index: logIndex(index), term: term(termFor(index)), type: 'normal', data };
}

/** The hard state persisted with a batch whose last entry is `lastIndex`. */
export const hardStateFor = (lastIndex: number): HardState => ({ term: term(termFor(lastIndex)), vote: null, commit: logIndex(lastIndex) });

export const stateKeyFor = (index: number): string => `k${index}`;

export function stateValueFor(index: number): Uint8Array {
  return new TextEncoder().encode(`v${index}`);
}
