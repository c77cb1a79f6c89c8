/**
 * The node's replicated state machine: the secrets `StorageFsm` (keyless, deterministic, so
 * sealed nodes apply every entry too), the request-id dedup table, and the raw KV test facility.
 *
 * Log payload = [u8 kind][body]:
 * - KIND_TXN: a secrets `Txn` (`encodeTxn`): ciphertext writes guarded by checks. Everything a
 *   client stores goes this way (KV v2, init, rotation, rekey).
 * - KIND_RAW_KV: an `encodeKvCommand` command. INTERNAL test/bench facility only (the existing
 *   multi-process tests and scripts/bench-cluster.ts drive raft through it); it stores bytes in
 *   clear under `k/`, so it must never carry secrets. The node serves it only when started with
 *   `--unsafe-raw-kv`.
 *
 * - KIND_RESTORE: an operator's snapshot restore (`restorePayload`): the data records (`f/`, `k/`)
 *   of a validated snapshot file; applying it replaces every data record, atomically in the
 *   entry's batch, on every node. The dedup table is kept: it describes requests, not data, so a
 *   request applied before the restore is still never applied twice.
 *
 * - KIND_DR, KIND_DR_BATCH, KIND_DR_SNAPSHOT: DR replication (dr-local-state.ts, dr-apply.ts):
 *   the cluster-local DR record, and on a DR secondary the primary's entries or snapshot applied
 *   atomically with the stream position. They bypass the dedup table.
 *
 * Store keys: `f/<path>` FSM records (`encodeStoredRecord`: modIndex + envelope), `c/<client>`
 * dedup records, `k/<key>` raw KV, `d/` the cluster-local DR record and stream position. Keys
 * beginning with 0x00 belong to the runtime.
 */
import { assert, logIndex, type LogIndex, type Result } from '@coffer/base';
import { writeRefusal, type DrState, type StreamPosition } from '@coffer/dr-replication';
import { encodeStoredRecord, StorageFsm, type StoredEntry, type TxnOutcome } from '@coffer/secrets';
import { ByteReader, ByteWriter, decodePairs, encodePairs, fromUtf8, sortPairsByKey, toHex, utf8 } from './bytes.js';
import { DedupTable, hasPrefix } from './dedup-table.js';
import { applyDrPayload, isDrKind } from './dr-apply.js';
import { DrLocalState } from './dr-local-state.js';
import { KvStateMachine } from './kv-state-machine.js';
import type { ApplyOutcome, ClientRequestId, Command, KvPair, KvWrite, StateMachine } from './ports.js';
import { FSM_PREFIX, keyringGuard, KV_PREFIX, parseRestoreContent, type RestoreContent } from './restore-content.js';

export { parseRestoreContent, type RestoreContent } from './restore-content.js';

export const KIND_TXN = 1;
/** Txn slots per logical request: attempt k of request seq s proposes under seq s * SEQ_STRIDE + k. */
export const SEQ_STRIDE = 16;
export const KIND_RAW_KV = 2;
export const KIND_RESTORE = 3;
/** The largest snapshot content a restore entry may carry (it is one raft entry, replicated whole). */
export const MAX_RESTORE_BYTES = 32 * 1024 * 1024;

/** Outcome codes carried as the proposal's result (and in the dedup record). */
/** The malformed-outcome message for a request id older than the client's last one. */
export const STALE_REQUEST = 'stale request id';
const OUTCOME = { ok: 0, conflict: 1, rejected: 2, malformed: 3, unknownKind: 4 } as const;

export function txnPayload(encodedTxn: Uint8Array): Uint8Array {
  return new ByteWriter().u8(KIND_TXN).raw(encodedTxn).finish();
}

export function rawKvPayload(kvCommand: Uint8Array): Uint8Array {
  return new ByteWriter().u8(KIND_RAW_KV).raw(kvCommand).finish();
}

export function restorePayload(content: Uint8Array): Uint8Array {
  return new ByteWriter().u8(KIND_RESTORE).raw(content).finish();
}

export function encodeOutcome(o: TxnOutcome): Uint8Array {
  if (o.ok) return Uint8Array.of(OUTCOME.ok);
  const detail = o.kind === 'conflict' ? o.conflict : o.kind === 'rejected' ? o.path : o.message;
  return new ByteWriter().u8(OUTCOME[o.kind]).bytes(utf8(detail)).finish();
}

export function decodeOutcome(b: Uint8Array): TxnOutcome {
  const r = new ByteReader(b);
  const code = r.u8();
  if (code === OUTCOME.ok) return { ok: true };
  const detail = fromUtf8(r.bytes());
  if (code === OUTCOME.conflict) return { ok: false, kind: 'conflict', conflict: detail };
  if (code === OUTCOME.rejected) return { ok: false, kind: 'rejected', path: detail };
  return { ok: false, kind: 'malformed', message: detail };
}

export type CoreWriteListener = (path: string, value: Uint8Array) => void;

export class SecretsStateMachine implements StateMachine {
  private fsmNow = new StorageFsm({ putGuard: keyringGuard });
  private readonly dedup = new DedupTable();
  private readonly kv = new KvStateMachine();
  private readonly dr = new DrLocalState();
  private lastCommand = 0;
  private readonly listeners: CoreWriteListener[] = [];

  get fsm(): StorageFsm {
    return this.fsmNow;
  }

  /** Called after an applied put under `core/` (and for every `core/` record after a restore). */
  onCoreWrite(listener: CoreWriteListener): void {
    this.listeners.push(listener);
  }

  get(path: string): StoredEntry | undefined {
    return this.fsmNow.get(path);
  }

  listChildren(prefix: string): string[] {
    return this.fsmNow.listChildren(prefix);
  }

  /** True when a command with exactly this request id has applied (its dedup record holds it). */
  hasApplied(id: ClientRequestId): boolean {
    return this.dedup.check(id).kind === 'duplicate';
  }

  /** The committed DR record (cluster-local). */
  drState(): DrState {
    return this.dr.state;
  }

  /** On a DR secondary: the last primary index applied here, atomically with its entries. */
  drPosition(): StreamPosition | undefined {
    return this.dr.position;
  }

  /** The index of the last command applied (0 after a load): what a DR snapshot taken now holds. */
  lastCommandIndex(): number {
    return this.lastCommand;
  }

  apply(command: Command, index: LogIndex): ApplyOutcome {
    this.lastCommand = index;
    const kind = command.payload[0];
    if (kind !== undefined && isDrKind(kind)) return applyDrPayload(this.drHost, kind, command.payload.subarray(1), index);
    // A DR secondary's data is the primary's (applied at the primary's indexes, dr-apply.ts): a
    // local write must not land there. The node refuses them before proposing; this is the backstop.
    const refusal = writeRefusal(this.dr.state);
    if (this.dr.state.mode === 'secondary' && refusal !== undefined) return { writes: [], result: encodeOutcome({ ok: false, kind: 'malformed', message: refusal }) };
    return this.applyReplicated(command, index);
  }

  /** What a DR secondary's batch apply calls for each of the primary's commands (with the primary's index). */
  private readonly drHost = {
    dr: this.dr,
    applyReplicated: (command: Command, index: number): ApplyOutcome => this.applyReplicated(command, index),
    replaceReplicated: (content: RestoreContent): KvWrite[] => this.replaceData(content, true),
    rebase: (): void => this.rebase(),
  };

  /** Replicated data commands (what a DR primary's log carries), through the dedup table. */
  private applyReplicated(command: Command, index: number): ApplyOutcome {
    const verdict = this.dedup.check(command.requestId);
    if (verdict.kind === 'duplicate') return { writes: [], result: verdict.result };
    if (verdict.kind === 'stale') {
      // A logical request's txns use slots seq * SEQ_STRIDE + attempt. A request retried from its
      // first slot (its leader was replaced mid-request) after a later slot of the SAME request
      // applied gets that slot's result: it must not fail as stale, nor apply twice.
      const isSameRequest = command.payload[0] === KIND_TXN && Math.floor(verdict.recordSeq / SEQ_STRIDE) === Math.floor(command.requestId.seq / SEQ_STRIDE);
      if (isSameRequest) return { writes: [], result: verdict.result };
      return { writes: [], result: encodeOutcome({ ok: false, kind: 'malformed', message: STALE_REQUEST }) };
    }
    const kind = command.payload[0];
    const body = command.payload.subarray(1);
    const writes: KvWrite[] = [];
    let result: Uint8Array;
    if (kind === KIND_TXN) {
      const applied = this.fsmNow.applyEncoded(body, index);
      for (const w of applied.writes) {
        writes.push(w.type === 'put' ? { type: 'put', key: fsmKey(w.key), value: w.value } : { type: 'del', key: fsmKey(w.key) });
      }
      result = encodeOutcome(applied.outcome);
      if (applied.outcome.ok) this.notifyCore(applied.writes.filter((w) => w.type === 'put').map((w) => w.key));
    } else if (kind === KIND_RESTORE) {
      const r = this.applyRestore(body);
      writes.push(...r.writes);
      result = encodeOutcome(r.outcome);
    } else if (kind === KIND_RAW_KV) {
      // The KV twin keeps its own dedup; give it a fresh id space so it never answers "duplicate".
      const out = this.kv.apply({ requestId: { clientId: '', seq: index }, payload: body }, logIndex(index));
      for (const w of out.writes) if (hasPrefix(w.key, KV_PREFIX)) writes.push(w);
      result = out.result;
    } else {
      result = Uint8Array.of(OUTCOME.unknownKind);
    }
    writes.push(this.dedup.record(command.requestId, result));
    return { writes, result };
  }

  /**
   * Replaces every data record with the restored ones: deletes the records the restore does not
   * hold, puts the rest (one batch with the entry's index). Core listeners then see every `core/`
   * record, so an unsealed node installs the restored keyring (or seals: LogicalService).
   */
  private applyRestore(content: Uint8Array): { writes: KvWrite[]; outcome: TxnOutcome } {
    const parsed = parseRestoreContent(content);
    if (!parsed.ok) return { writes: [], outcome: { ok: false, kind: 'malformed', message: parsed.error } };
    return { writes: this.replaceData(parsed.value, false), outcome: { ok: true } };
  }

  /** The restore's writes: deletes what `content` does not hold, puts the rest; the dedup table too when `isDedupReplaced`. */
  private replaceData(content: RestoreContent, isDedupReplaced: boolean): KvWrite[] {
    const { fsm, fsmPaths, pairs, kvPairs, dedupPairs } = content;
    const kept = new Set(pairs.map(([k]) => toHex(k)));
    const writes: KvWrite[] = [];
    // Only the current KEYS are needed (encoding every current record here cost as much as the rest).
    for (const k of this.replicatedKeys(isDedupReplaced)) if (!kept.has(toHex(k))) writes.push({ type: 'del', key: k });
    for (const [k, v] of pairs) writes.push({ type: 'put', key: k, value: v });
    this.fsmNow = fsm;
    this.kv.load(kvPairs);
    if (isDedupReplaced) {
      this.dedup.clear();
      for (const [k, v] of dedupPairs) this.dedup.load(k, v);
    }
    this.notifyCore(fsmPaths.filter((p) => p.startsWith('core/')));
    return writes;
  }

  /**
   * After a DR secondary stops following (promote, disable): its FSM and raw KV applied the
   * primary's indexes, which run ahead of this cluster's own log. Reload them at index 0 so this
   * cluster's next entries apply (StorageFsm asserts increasing indexes).
   */
  private rebase(): void {
    const records = this.fsmNow.list('').map(([path, e]) => ({ key: path, value: encodeStoredRecord(e) }));
    const loaded = StorageFsm.load(records, 0, { putGuard: keyringGuard });
    assert(loaded.ok, 'the applied records reload');
    this.fsmNow = loaded.value;
    this.kv.load(this.kv.dataPairs());
  }

  /** The keys of the data records (and of the dedup table when `isDedupIncluded`), unencoded values skipped. */
  private replicatedKeys(isDedupIncluded: boolean): Uint8Array[] {
    const keys = this.fsmNow.list('').map(([path]) => fsmKey(path));
    for (const [k] of this.kv.dataPairs()) keys.push(k);
    if (isDedupIncluded) for (const [k] of this.dedup.pairs()) keys.push(k);
    return keys;
  }

  /** What a DR primary sends in a snapshot: the data records and the dedup table, not the cluster-local `d/` keys. */
  replicatedPairs(): KvPair[] {
    return sortPairsByKey([...this.dataPairs(), ...this.dedup.pairs()]);
  }

  /** The data records only (`f/`, `k/`), in key order: the content of an operator's snapshot file. */
  dataPairs(): KvPair[] {
    const out: KvPair[] = this.fsmNow.list('').map(([path, e]) => [fsmKey(path), encodeStoredRecord(e)] as const);
    out.push(...this.kv.dataPairs());
    return sortPairsByKey(out);
  }

  /** Raw KV read (test facility). */
  query(query: Uint8Array): Result<Uint8Array> {
    return this.kv.query(query);
  }

  snapshot(): Uint8Array {
    return encodePairs(this.snapshotPairs());
  }

  restore(data: Uint8Array): readonly KvPair[] {
    const pairs = decodePairs(data);
    this.load(pairs);
    return pairs;
  }

  load(pairs: readonly KvPair[]): void {
    this.dedup.clear();
    this.dr.clear();
    this.lastCommand = 0;
    const records: { key: string; value: Uint8Array }[] = [];
    const kvPairs: KvPair[] = [];
    for (const [k, v] of pairs) {
      if (hasPrefix(k, FSM_PREFIX)) records.push({ key: fromUtf8(k.subarray(FSM_PREFIX.length)), value: v });
      else if (hasPrefix(k, KV_PREFIX)) kvPairs.push([k, v]);
      else if (!this.dr.load(k, v)) this.dedup.load(k, v);
    }
    const loaded = StorageFsm.load(records, 0, { putGuard: keyringGuard });
    assert(loaded.ok, `stored state machine records are corrupt: ${loaded.ok ? '' : loaded.error.message}`);
    this.fsmNow = loaded.value;
    this.kv.load(kvPairs);
    this.notifyCore(records.filter((r) => r.key.startsWith('core/')).map((r) => r.key));
  }

  private notifyCore(paths: readonly string[]): void {
    for (const path of paths) {
      if (!path.startsWith('core/')) continue;
      const entry = this.fsmNow.get(path);
      if (entry !== undefined) for (const l of this.listeners) l(path, entry.value);
    }
  }

  /** All pairs in key order: equal states give equal snapshots (and digests). */
  /**
   * The snapshot by reference now; the per-record encoding (one allocation per record: ~10 ms
   * per 1,000 records) runs later in slices, so a follower's event loop never stalls long
   * enough for the leader to lose its quorum (seen: 500-700 ms pauses at 11 MB, both followers
   * at once). Entries are replaced on write, never mutated, so the references stay exact.
   */
  captureSnapshot(isClusterLocalIncluded = true): () => Promise<readonly KvPair[]> {
    const records = this.fsmNow.list('');
    const rest: KvPair[] = [...this.dedup.pairs(), ...this.kv.dataPairs(), ...(isClusterLocalIncluded ? this.dr.pairs() : [])];
    return async () => {
      const out: KvPair[] = [];
      for (let i = 0; i < records.length; i++) {
        const [path, e] = records[i] as [string, StoredEntry];
        out.push([fsmKey(path), encodeStoredRecord(e)]);
        if (i % 1024 === 1023) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      out.push(...rest);
      return sortPairsByKey(out);
    };
  }

  snapshotPairs(): KvPair[] {
    const out: KvPair[] = this.fsmNow.list('').map(([path, e]) => [fsmKey(path), encodeStoredRecord(e)] as const);
    out.push(...this.dedup.pairs());
    out.push(...this.kv.dataPairs());
    out.push(...this.dr.pairs());
    return sortPairsByKey(out);
  }

  private kvPairs(): KvPair[] {
    const r = new ByteReader(this.kv.snapshot());
    const n = r.u32();
    const out: KvPair[] = [];
    for (let i = 0; i < n; i++) {
      const k = r.bytes().slice();
      const v = r.bytes().slice();
      if (hasPrefix(k, KV_PREFIX)) out.push([k, v]);
    }
    return out;
  }
}

function fsmKey(path: string): Uint8Array {
  const p = utf8(path);
  const k = new Uint8Array(FSM_PREFIX.length + p.length);
  k.set(FSM_PREFIX);
  k.set(p, FSM_PREFIX.length);
  return k;
}

