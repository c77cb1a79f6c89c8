/**
 * The byte format of a state machine snapshot (the `data` of a raft snapshot):
 *
 *   "CFSM" | version u8 = 1 | appliedIndex u64 BE | records... | crc32 u32 BE of all bytes before it
 *   record: keyLength u32 BE | key (utf8) | valueLength u32 BE | value
 *
 * Records are in key order. The checksum makes a truncated or damaged transfer fail the import
 * instead of silently installing a partial store.
 */
import { crc32 } from 'node:zlib';
import { cofferError, err, logIndex, ok } from '@coffer/base';
import type { CofferError, LogIndex, Result } from '@coffer/base';
import { asView, decodeU64, encodeU64 } from './codec.js';

const MAGIC = [0x43, 0x46, 0x53, 0x4d]; // "CFSM"
const VERSION = 1;
const HEADER_BYTES = MAGIC.length + 1 + 8;
const CRC_BYTES = 4;

export interface StateRecord {
  readonly key: string;
  readonly value: Uint8Array;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Accumulates records and produces the snapshot bytes in one allocation at the end. */
export class StateSnapshotWriter {
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;

  constructor(appliedIndex: LogIndex) {
    const header = new Uint8Array(HEADER_BYTES);
    header.set(MAGIC, 0);
    header[MAGIC.length] = VERSION;
    header.set(encodeU64(appliedIndex), MAGIC.length + 1);
    this.push(header);
  }

  add(key: string, value: Uint8Array): void {
    const keyBytes = utf8.encode(key);
    const lengths = new Uint8Array(4);
    new DataView(lengths.buffer).setUint32(0, keyBytes.byteLength);
    this.push(lengths);
    this.push(keyBytes);
    const valueLength = new Uint8Array(4);
    new DataView(valueLength.buffer).setUint32(0, value.byteLength);
    this.push(valueLength);
    this.push(value);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.bytes + CRC_BYTES);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    new DataView(out.buffer).setUint32(at, crc32(out.subarray(0, at)));
    return out;
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
  }
}

export interface DecodedStateSnapshot {
  readonly appliedIndex: LogIndex;
  readonly records: readonly StateRecord[];
}

const corrupt = (why: string): Result<never, CofferError> => err(cofferError('invalid-request', `state snapshot is corrupt: ${why}`));

export function decodeStateSnapshot(bytes: Uint8Array): Result<DecodedStateSnapshot, CofferError> {
  if (bytes.byteLength < HEADER_BYTES + CRC_BYTES) return corrupt('too short');
  if (MAGIC.some((b, i) => bytes[i] !== b)) return corrupt('bad magic');
  if (bytes[MAGIC.length] !== VERSION) return corrupt(`unknown version ${String(bytes[MAGIC.length])}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bodyEnd = bytes.byteLength - CRC_BYTES;
  if (view.getUint32(bodyEnd) !== crc32(bytes.subarray(0, bodyEnd))) return corrupt('checksum mismatch');
  const appliedIndex = logIndex(decodeU64(bytes, MAGIC.length + 1));
  const records: StateRecord[] = [];
  let at = HEADER_BYTES;
  const field = (): Uint8Array | undefined => {
    if (at + 4 > bodyEnd) return undefined;
    const length = view.getUint32(at);
    at += 4;
    if (at + length > bodyEnd) return undefined;
    const out = asView(bytes, at, length);
    at += length;
    return out;
  };
  while (at < bodyEnd) {
    const key = field();
    const value = field();
    if (key === undefined || value === undefined) return corrupt('truncated record');
    let keyText: string;
    try {
      keyText = utf8Decoder.decode(key);
    } catch {
      return corrupt('key is not utf8');
    }
    records.push({ key: keyText, value });
  }
  return ok({ appliedIndex, records });
}
