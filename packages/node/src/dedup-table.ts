/**
 * Per client, the last applied request id and its result, so that a command retried after a
 * leader change is answered from the record instead of applied twice (raft-pitfalls: client
 * semantics). Kept in the state machine's state so that snapshots and restarts carry it.
 *
 * Invariant: for each client, `seq` only grows. A request older than the record is refused: its
 * result is gone, and the client has moved on (it issues one request at a time per client id).
 */
import { ByteReader, ByteWriter, fromUtf8, utf8 } from './bytes.js';
import type { ClientRequestId, KvPair, KvWrite } from './ports.js';

export const DEDUP_PREFIX = utf8('c/');

export type DedupVerdict =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly result: Uint8Array }
  /** Older than the record: `recordSeq` and `result` are the newer request's (see SecretsStateMachine's slots). */
  | { readonly kind: 'stale'; readonly recordSeq: number; readonly result: Uint8Array };

interface DedupRecord {
  readonly seq: number;
  readonly result: Uint8Array;
}

export class DedupTable {
  private readonly records = new Map<string, DedupRecord>();

  check(id: ClientRequestId): DedupVerdict {
    const rec = this.records.get(id.clientId);
    if (rec === undefined || id.seq > rec.seq) return { kind: 'new' };
    if (id.seq === rec.seq) return { kind: 'duplicate', result: rec.result };
    return { kind: 'stale', recordSeq: rec.seq, result: rec.result };
  }

  /** Records the result of a new request and returns the store write that persists it. */
  record(id: ClientRequestId, result: Uint8Array): KvWrite {
    this.records.set(id.clientId, { seq: id.seq, result });
    return { type: 'put', key: keyOf(id.clientId), value: new ByteWriter().f64(id.seq).raw(result).finish() };
  }

  get size(): number {
    return this.records.size;
  }

  clear(): void {
    this.records.clear();
  }

  pairs(): KvPair[] {
    return [...this.records].map(([clientId, rec]) => [keyOf(clientId), new ByteWriter().f64(rec.seq).raw(rec.result).finish()] as const);
  }

  /** Loads one stored pair; false when the key is not a dedup record. */
  load(key: Uint8Array, value: Uint8Array): boolean {
    if (!hasPrefix(key, DEDUP_PREFIX)) return false;
    const r = new ByteReader(value);
    const seq = r.f64();
    this.records.set(fromUtf8(key.subarray(DEDUP_PREFIX.length)), { seq, result: r.rest().slice() });
    return true;
  }
}

function keyOf(clientId: string): Uint8Array {
  const id = utf8(clientId);
  const k = new Uint8Array(DEDUP_PREFIX.length + id.length);
  k.set(DEDUP_PREFIX);
  k.set(id, DEDUP_PREFIX.length);
  return k;
}

export function hasPrefix(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
