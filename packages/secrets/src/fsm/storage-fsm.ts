/**
 * The replicated state machine: a storage-level, keyless, deterministic ordered map
 * path -> { value (ciphertext), modIndex (log index of the entry that last wrote it) }.
 *
 * Invariants:
 * - `apply` is a pure function of (state, txn, index): no clock, no randomness, no I/O, no keys.
 *   A sealed node applies exactly what an unsealed one does.
 * - A txn applies all of its ops or none: every check and every put guard is evaluated against
 *   the state before the first op runs.
 * - appliedIndex only moves forward; every put of entry i sets modIndex = i.
 * - Malformed commands (undecodable bytes) are refused as a typed outcome and still consume their
 *   index, so every node stays in step whatever a faulty leader proposed.
 */
import { assert } from '@coffer/base';
import type { Result } from '@coffer/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { OrderedMap } from './ordered-map.js';
import { decodeTxn } from './txn.js';
import type { Txn } from './txn.js';
import { decodeSnapshot, encodeSnapshot, decodeStoredRecord, encodeStoredRecord } from './snapshot-codec.js';

export interface StoredEntry {
  readonly value: Uint8Array;
  readonly modIndex: number;
}

export type TxnOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: 'conflict'; readonly conflict: string }
  | { readonly ok: false; readonly kind: 'rejected'; readonly path: string }
  | { readonly ok: false; readonly kind: 'malformed'; readonly message: string };

/** What the node persists, in one batch with the applied index. `value` is `encodeStoredRecord`. */
export type StorageWrite =
  | { readonly type: 'put'; readonly key: string; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: string };

export interface ApplyResult {
  readonly outcome: TxnOutcome;
  readonly writes: readonly StorageWrite[];
}

/**
 * A deterministic veto on a put, for records whose integrity rule the storage layer must enforce
 * even against a leader that read a stale view (the barrier's `checkKeyringWrite` on core/keyring).
 */
export type PutGuard = (path: string, stored: Uint8Array | undefined, incoming: Uint8Array) => boolean;

export interface StorageFsmOptions {
  readonly putGuard?: PutGuard;
}

export class StorageFsm {
  private readonly entries = new OrderedMap<StoredEntry>();
  private applied = 0;

  constructor(private readonly options: StorageFsmOptions = {}) {}

  get appliedIndex(): number {
    return this.applied;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Rebuilds the in-memory state from what the node persisted (`StorageWrite` values). */
  static load(records: Iterable<{ key: string; value: Uint8Array }>, appliedIndex: number, options: StorageFsmOptions = {}): Result<StorageFsm> {
    const fsm = new StorageFsm(options);
    for (const { key, value } of records) {
      const entry = decodeStoredRecord(value);
      if (!entry.ok) return entry;
      fsm.entries.set(key, entry.value);
    }
    fsm.applied = appliedIndex;
    return { ok: true, value: fsm };
  }

  /** Decodes and applies one committed raft entry. */
  applyEncoded(command: Uint8Array, index: number): ApplyResult {
    const txn = decodeTxn(command);
    if (!txn.ok) {
      this.advance(index);
      return { outcome: { ok: false, kind: 'malformed', message: txn.error.message }, writes: [] };
    }
    return this.apply(txn.value, index);
  }

  apply(txn: Txn, index: number): ApplyResult {
    this.advance(index);
    for (const c of txn.checks) {
      const cur = this.entries.get(c.path);
      const holds = 'absent' in c ? cur === undefined : cur !== undefined && cur.modIndex === c.modIndex;
      if (!holds) return { outcome: { ok: false, kind: 'conflict', conflict: c.path }, writes: [] };
    }
    const guard = this.options.putGuard;
    if (guard !== undefined) {
      for (const op of txn.ops) {
        if ('put' in op && !guard(op.put, this.entries.get(op.put)?.value, op.value)) {
          return { outcome: { ok: false, kind: 'rejected', path: op.put }, writes: [] };
        }
      }
    }
    const writes: StorageWrite[] = [];
    for (const op of txn.ops) {
      if ('put' in op) {
        const entry: StoredEntry = { value: op.value, modIndex: index };
        this.entries.set(op.put, entry);
        writes.push({ type: 'put', key: op.put, value: encodeStoredRecord(entry) });
      } else if ('del' in op) {
        if (this.entries.delete(op.del)) writes.push({ type: 'del', key: op.del });
      } else {
        for (const key of this.entries.deletePrefix(op.delPrefix)) writes.push({ type: 'del', key });
      }
    }
    return { outcome: { ok: true }, writes };
  }

  private advance(index: number): void {
    assert(Number.isSafeInteger(index) && index > this.applied, `apply: index ${index} does not pass applied ${this.applied}`);
    this.applied = index;
  }

  get(path: string): StoredEntry | undefined {
    return this.entries.get(path);
  }

  /** Entries under `prefix` in path order, after `after` (exclusive), at most `limit`. */
  list(prefix: string, opts: { after?: string; limit?: number } = {}): Array<[string, StoredEntry]> {
    return [...this.entries.range(prefix, opts.after, opts.limit)];
  }

  /**
   * The immediate children of `prefix` (which should end in '/' or be ''), Vault-style: a leaf
   * `a` and a directory `dir/` (once, however deep it is). Subtrees are skipped by binary search.
   */
  listChildren(prefix: string): string[] {
    const out: string[] = [];
    let i = this.entries.lowerBound(prefix);
    for (;;) {
      const key = this.entries.keyAt(i);
      if (key === undefined || !key.startsWith(prefix)) return out;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        out.push(rest);
        i++;
      } else {
        const dir = rest.slice(0, slash);
        out.push(`${dir}/`);
        // '0' is the character after '/': the first key past the whole subtree.
        i = this.entries.lowerBound(`${prefix}${dir}0`);
      }
    }
  }

  /** The whole state (applied index and every entry) as bytes; integrity-checked on restore. */
  snapshot(): Uint8Array {
    return encodeSnapshot(this.applied, this.entries.range(''));
  }

  /** Replaces the whole state. Refuses (typed error, state untouched) a corrupt snapshot. */
  restore(bytes: Uint8Array): Result<void> {
    const decoded = decodeSnapshot(bytes);
    if (!decoded.ok) return decoded;
    this.entries.clear();
    for (const [k, e] of decoded.value.entries) this.entries.set(k, e);
    this.applied = decoded.value.appliedIndex;
    return { ok: true, value: undefined };
  }

  /** A digest of the whole state, for determinism tests and replica comparison. */
  stateHash(): string {
    return bytesToHex(sha256(this.snapshot()));
  }
}
