/** DR entries and snapshot chunks between memory and the wire, with validation of what arrives. */
import type { CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import { parseUint64 } from '@coffer/transport';
import type { DrEntry, DrEntry__Output, DrEntryBatch__Output } from '@coffer/wire';
import type { DrEntryRecord } from './ports.js';

export function entryToWire(e: DrEntryRecord): DrEntry {
  return {
    index: String(e.index),
    term: String(e.term),
    type: e.type === 'normal' ? 'DR_ENTRY_TYPE_NORMAL' : 'DR_ENTRY_TYPE_CONF_CHANGE',
    data: e.data,
  };
}

export function entryFromWire(w: DrEntry__Output): Result<DrEntryRecord, CofferError> {
  const index = parseUint64(w.index, 'entry.index');
  if (!index.ok) return index;
  const term = parseUint64(w.term, 'entry.term');
  if (!term.ok) return term;
  if (w.type !== 'DR_ENTRY_TYPE_NORMAL' && w.type !== 'DR_ENTRY_TYPE_CONF_CHANGE') {
    return err(cofferError('invalid-request', `entry ${index.value}: unknown type ${String(w.type)}`));
  }
  return ok({
    index: index.value,
    term: term.value,
    type: w.type === 'DR_ENTRY_TYPE_NORMAL' ? 'normal' : 'conf-change',
    data: new Uint8Array(w.data),
  });
}

export interface ReceivedBatch {
  readonly entries: readonly DrEntryRecord[];
  readonly primaryLastIndex: number;
  readonly primaryNowMs: number;
  /** 0 = none. */
  readonly nextEntryTimestampMs: number;
  /** Commit time of the batch's first entry on the primary; 0 = unknown (an older primary sends none). */
  readonly firstEntryTimestampMs: number;
  readonly epoch: number;
}

/** Decodes a batch and checks that its entries are contiguous and start at `expectedIndex`. */
export function batchFromWire(w: DrEntryBatch__Output, expectedIndex: number): Result<ReceivedBatch, CofferError> {
  const entries: DrEntryRecord[] = [];
  for (const we of w.entries) {
    const e = entryFromWire(we);
    if (!e.ok) return e;
    const want = expectedIndex + entries.length;
    if (e.value.index !== want) {
      return err(cofferError('internal', `the primary sent entry ${e.value.index} where ${want} was expected: gap or duplicate in the stream`));
    }
    entries.push(e.value);
  }
  const fields = [
    parseUint64(w.primary_last_index, 'primary_last_index'),
    parseUint64(w.primary_now_ms, 'primary_now_ms'),
    parseUint64(w.next_entry_timestamp_ms, 'next_entry_timestamp_ms'),
    parseUint64(w.epoch, 'epoch'),
    parseUint64(w.first_entry_timestamp_ms === '' ? '0' : w.first_entry_timestamp_ms, 'first_entry_timestamp_ms'),
  ] as const;
  for (const f of fields) if (!f.ok) return f;
  const [last, now, next, epoch, first] = fields.map((f) => (f.ok ? f.value : 0)) as [number, number, number, number, number];
  return ok({ entries, primaryLastIndex: last, primaryNowMs: now, nextEntryTimestampMs: next, firstEntryTimestampMs: first, epoch });
}
