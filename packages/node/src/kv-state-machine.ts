/**
 * A simple replicated KV of bytes, with client-request dedup. It stands in for the secrets engine
 * (issue 5) behind the same `StateMachine` port. Keys are stored under the `k/` prefix; `c/` holds
 * the dedup records; keys beginning with byte 0x00 belong to the runtime.
 */
import { cofferError, err, ok, type LogIndex, type Result } from '@coffer/base';
import { ByteReader, ByteWriter, decodePairs, encodePairs, fromHex, sortPairsByKey, toHex, utf8 } from './bytes.js';
import { DedupTable, hasPrefix } from './dedup-table.js';
import type { ApplyOutcome, Command, KvPair, KvWrite, StateMachine } from './ports.js';

const DATA_PREFIX = utf8('k/');
const OP_PUT = 1;
const OP_DELETE = 2;

export type KvCommand =
  | { readonly op: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly op: 'delete'; readonly key: Uint8Array };

export function encodeKvCommand(c: KvCommand): Uint8Array {
  const w = new ByteWriter().u8(c.op === 'put' ? OP_PUT : OP_DELETE).bytes(c.key);
  return c.op === 'put' ? w.bytes(c.value).finish() : w.finish();
}

export function decodeKvCommand(b: Uint8Array): KvCommand | undefined {
  try {
    const r = new ByteReader(b);
    const op = r.u8();
    const key = r.bytes();
    if (op === OP_PUT) return { op: 'put', key, value: r.bytes() };
    if (op === OP_DELETE) return { op: 'delete', key };
  } catch {
    // Truncated: fall through to undefined.
  }
  return undefined;
}

/** Results: 1 = applied, 0 = delete of a missing key, 0xff = malformed command, 0xfe = stale request id. */
export const KV_RESULT = { ok: 1, missing: 0, malformed: 0xff, stale: 0xfe } as const;

export class KvStateMachine implements StateMachine {
  /** hex(key) -> value; hex keeps Map keys comparable. */
  private readonly data = new Map<string, Uint8Array>();
  private readonly dedup = new DedupTable();

  apply(command: Command, _index: LogIndex): ApplyOutcome {
    const verdict = this.dedup.check(command.requestId);
    if (verdict.kind === 'duplicate') return { writes: [], result: verdict.result };
    if (verdict.kind === 'stale') return { writes: [], result: Uint8Array.of(KV_RESULT.stale) };
    const writes: KvWrite[] = [];
    const c = decodeKvCommand(command.payload);
    let result: Uint8Array;
    if (c === undefined) {
      result = Uint8Array.of(KV_RESULT.malformed);
    } else if (c.op === 'put') {
      this.data.set(toHex(c.key), c.value);
      writes.push({ type: 'put', key: dataKey(c.key), value: c.value });
      result = Uint8Array.of(KV_RESULT.ok);
    } else {
      const existed = this.data.delete(toHex(c.key));
      writes.push({ type: 'del', key: dataKey(c.key) });
      result = Uint8Array.of(existed ? KV_RESULT.ok : KV_RESULT.missing);
    }
    writes.push(this.dedup.record(command.requestId, result));
    return { writes, result };
  }

  query(query: Uint8Array): Result<Uint8Array> {
    const v = this.data.get(toHex(query));
    return v === undefined ? err(cofferError('not-found', 'no such key')) : ok(v);
  }

  get size(): number {
    return this.data.size;
  }

  snapshot(): Uint8Array {
    return encodePairs(this.snapshotPairs());
  }

  /** The data pairs by reference (values are never mutated after apply), in no particular order. */
  dataPairs(): KvPair[] {
    return [...this.data].map(([hex, v]) => [dataKey(fromHex(hex)), v] as const);
  }

  restore(data: Uint8Array): readonly KvPair[] {
    const pairs = decodePairs(data);
    this.load(pairs);
    return pairs;
  }

  load(pairs: readonly KvPair[]): void {
    this.data.clear();
    this.dedup.clear();
    for (const [k, v] of pairs) {
      if (hasPrefix(k, DATA_PREFIX)) this.data.set(toHex(k.subarray(DATA_PREFIX.length)), v);
      else this.dedup.load(k, v);
    }
  }

  /** All pairs in key order: deterministic, so equal states give equal snapshots (and digests). */
  snapshotPairs(): KvPair[] {
    const out: KvPair[] = this.dataPairs();
    out.push(...this.dedup.pairs());
    return sortPairsByKey(out);
  }
}

function dataKey(key: Uint8Array): Uint8Array {
  const k = new Uint8Array(DATA_PREFIX.length + key.length);
  k.set(DATA_PREFIX);
  k.set(key, DATA_PREFIX.length);
  return k;
}
