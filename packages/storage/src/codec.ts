/**
 * On-disk encodings. Log entries use a compact binary layout because one is written per proposal;
 * the rarely written records (hard state, log start, snapshot meta) are small JSON documents,
 * validated when read back so that a corrupt record fails loudly at open instead of misleading
 * the core.
 *
 * Entry value:   term u64 BE | type u8 (0 normal, 1 conf-change) | data bytes
 * Index keys:    16-digit zero-padded decimal, so LevelDB's byte order is the index order
 *                (Number.MAX_SAFE_INTEGER has 16 digits).
 */
import { assert, logIndex, nodeId, term } from '@coffer/base';
import type { LogIndex, NodeId, Term } from '@coffer/base';
import type { ConfState, Entry, EntryType, HardState, SnapshotMeta } from '@coffer/raft';

const INDEX_KEY_DIGITS = 16;
const ENTRY_HEADER_BYTES = 9;

export function indexKey(index: number): string {
  assert(Number.isSafeInteger(index) && index >= 0, `index key out of range: ${index}`);
  return index.toString().padStart(INDEX_KEY_DIGITS, '0');
}

export function parseIndexKey(key: string): LogIndex {
  const n = Number(key);
  assert(key.length === INDEX_KEY_DIGITS && Number.isSafeInteger(n), `corrupt index key: ${key}`);
  return logIndex(n);
}

/** A plain Uint8Array view of the same bytes (LevelDB hands back Buffers). */
export function asView(bytes: Uint8Array, offset = 0, length = bytes.byteLength - offset): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + offset, length);
}

export function encodeU64(n: number): Uint8Array {
  assert(Number.isSafeInteger(n) && n >= 0, `u64 out of range: ${n}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

export function decodeU64(bytes: Uint8Array, offset = 0): number {
  assert(bytes.byteLength >= offset + 8, 'u64 record too short');
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
  assert(n <= BigInt(Number.MAX_SAFE_INTEGER), 'u64 beyond the safe integer range');
  return Number(n);
}

export function encodeEntryValue(entry: Entry): Uint8Array {
  const out = new Uint8Array(ENTRY_HEADER_BYTES + entry.data.byteLength);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(entry.term));
  view.setUint8(8, entry.type === 'normal' ? 0 : 1);
  out.set(entry.data, ENTRY_HEADER_BYTES);
  return out;
}

export function decodeEntryValue(index: LogIndex, value: Uint8Array): Entry {
  assert(value.byteLength >= ENTRY_HEADER_BYTES, `corrupt entry ${index}: too short`);
  const typeByte = value[8];
  assert(typeByte === 0 || typeByte === 1, `corrupt entry ${index}: type byte ${String(typeByte)}`);
  const type: EntryType = typeByte === 0 ? 'normal' : 'conf-change';
  const data = asView(value, ENTRY_HEADER_BYTES);
  return { index, term: term(decodeU64(value, 0)), type, data };
}

/** The log's start point: entry `index` (term `term`) is the last one compacted away or covered by a snapshot. */
export interface LogStart {
  readonly index: LogIndex;
  readonly term: Term;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function encodeJson(value: unknown): Uint8Array {
  return utf8.encode(JSON.stringify(value));
}

function decodeJson(what: string, bytes: Uint8Array): Record<string, unknown> {
  const parsed: unknown = JSON.parse(utf8Decoder.decode(bytes));
  assert(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), `corrupt ${what}`);
  return parsed as Record<string, unknown>;
}

function safeNumber(what: string, v: unknown): number {
  assert(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, `corrupt ${what}`);
  return v;
}

function nodeIds(what: string, v: unknown): NodeId[] {
  assert(Array.isArray(v) && v.every((x) => typeof x === 'string'), `corrupt ${what}`);
  return (v as string[]).map(nodeId);
}

export const encodeHardState = (hs: HardState): Uint8Array =>
  encodeJson({ term: hs.term, vote: hs.vote, commit: hs.commit });

export function decodeHardState(bytes: Uint8Array): HardState {
  const o = decodeJson('hard state', bytes);
  assert(o['vote'] === null || typeof o['vote'] === 'string', 'corrupt hard state vote');
  return {
    term: term(safeNumber('hard state term', o['term'])),
    vote: o['vote'] === null ? null : nodeId(o['vote']),
    commit: logIndex(safeNumber('hard state commit', o['commit'])),
  };
}

export const encodeLogStart = (s: LogStart): Uint8Array => encodeJson({ index: s.index, term: s.term });

export function decodeLogStart(bytes: Uint8Array): LogStart {
  const o = decodeJson('log start', bytes);
  return { index: logIndex(safeNumber('log start index', o['index'])), term: term(safeNumber('log start term', o['term'])) };
}

export const encodeSnapshotMeta = (m: SnapshotMeta): Uint8Array =>
  encodeJson({ index: m.index, term: m.term, voters: m.confState.voters, learners: m.confState.learners });

export function decodeSnapshotMeta(bytes: Uint8Array): SnapshotMeta {
  const o = decodeJson('snapshot meta', bytes);
  const confState: ConfState = {
    voters: nodeIds('snapshot voters', o['voters']),
    learners: nodeIds('snapshot learners', o['learners']),
  };
  return {
    index: logIndex(safeNumber('snapshot index', o['index'])),
    term: term(safeNumber('snapshot term', o['term'])),
    confState,
  };
}
