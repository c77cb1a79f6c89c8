/**
 * DR replication's cluster-local state in the node's state machine, and the payloads that change it.
 *
 * Cluster-local (never streamed to a DR secondary, never replaced by a DR snapshot, see the
 * dr-replication README, invariant 1): the DR record (`d/record`) and the secondary's stream
 * position (`d/position`). Both are JSON. Everything else the state machine holds is replicated
 * data: the secrets records (`f/`), the raw KV (`k/`) and the request-id dedup table (`c/`). The
 * dedup table travels with the data on purpose: the secondary applies the primary's commands through
 * it, so a command the primary answered from its dedup record (a client retry) is skipped on the
 * secondary too, and after a promotion clients retrying a request still get the recorded answer.
 *
 * Payload kinds (after the u8 kind byte, see secrets-state-machine.ts):
 * - KIND_DR: a `DrCommand` as JSON, applied with `applyDrCommand`.
 * - KIND_DR_BATCH: primary cluster id + the primary's committed entries (`planBatch` on apply).
 * - KIND_DR_SNAPSHOT: primary cluster id, index, term + the primary's replicated pairs.
 * None of them goes through the dedup table (they are cluster-local; a DR batch is idempotent by
 * its indexes), and the apply of a DR batch skips them when they come from the primary.
 */
import { cofferError, err, ok, type CofferError, type Result } from '@coffer/base';
import { INITIAL_DR_STATE, type DrCommand, type DrEntryRecord, type DrState, type StreamPosition } from '@coffer/dr-replication';
import { ByteReader, ByteWriter, fromUtf8, utf8 } from './bytes.js';
import { hasPrefix } from './dedup-table.js';
import type { KvPair, KvWrite } from './ports.js';

export const KIND_DR = 4;
export const KIND_DR_BATCH = 5;
export const KIND_DR_SNAPSHOT = 6;
export const DR_PREFIX = utf8('d/');
const RECORD_KEY = utf8('d/record');
const POSITION_KEY = utf8('d/position');

export function drCommandPayload(command: DrCommand): Uint8Array {
  return new ByteWriter().u8(KIND_DR).raw(utf8(JSON.stringify(command))).finish();
}

export interface DrBatch {
  readonly primaryClusterId: string;
  readonly entries: readonly DrEntryRecord[];
}

export function drBatchPayload(batch: DrBatch): Uint8Array {
  const w = new ByteWriter().u8(KIND_DR_BATCH).bytes(utf8(batch.primaryClusterId)).u32(batch.entries.length);
  for (const e of batch.entries) w.f64(e.index).f64(e.term).u8(e.type === 'normal' ? 0 : 1).bytes(e.data);
  return w.finish();
}

/** Throws RangeError on truncated bytes (the caller turns it into a malformed outcome). */
export function decodeDrBatch(body: Uint8Array): DrBatch {
  const r = new ByteReader(body);
  const primaryClusterId = fromUtf8(r.bytes());
  const n = r.u32();
  const entries: DrEntryRecord[] = [];
  for (let i = 0; i < n; i++) {
    const index = r.f64();
    const term = r.f64();
    const type = r.u8() === 0 ? 'normal' : 'conf-change';
    entries.push({ index, term, type, data: r.bytes() });
  }
  return { primaryClusterId, entries };
}

export interface DrSnapshotBody {
  readonly primaryClusterId: string;
  readonly index: number;
  readonly term: number;
  /** `encodePairs` of the primary's replicated pairs (`f/`, `k/`, `c/`). */
  readonly content: Uint8Array;
}

export function drSnapshotPayload(s: DrSnapshotBody): Uint8Array {
  return new ByteWriter().u8(KIND_DR_SNAPSHOT).bytes(utf8(s.primaryClusterId)).f64(s.index).f64(s.term).raw(s.content).finish();
}

export function decodeDrSnapshot(body: Uint8Array): DrSnapshotBody {
  const r = new ByteReader(body);
  return { primaryClusterId: fromUtf8(r.bytes()), index: r.f64(), term: r.f64(), content: r.rest() };
}

/** The outcome of a DR payload, as the proposer receives it (never logged: a record may hold a credential). */
export type DrOutcome =
  | { readonly ok: true; readonly state?: DrState; readonly position?: StreamPosition }
  | { readonly ok: false; readonly kind: CofferError['kind']; readonly message: string };

export const encodeDrOutcome = (o: DrOutcome): Uint8Array => utf8(JSON.stringify(o));

export function decodeDrOutcome(b: Uint8Array): Result<DrOutcome> {
  try {
    return ok(JSON.parse(fromUtf8(b)) as DrOutcome);
  } catch {
    return err(cofferError('internal', 'the DR apply result does not decode (was the entry applied by an older node?)'));
  }
}

/** The DR record and stream position, as applied; written under `d/` in the entry's batch. */
export class DrLocalState {
  private stateNow: DrState = INITIAL_DR_STATE;
  private positionNow: StreamPosition | undefined;

  get state(): DrState {
    return this.stateNow;
  }

  get position(): StreamPosition | undefined {
    return this.positionNow;
  }

  setState(s: DrState): KvWrite {
    this.stateNow = s;
    return { type: 'put', key: RECORD_KEY, value: utf8(JSON.stringify(s)) };
  }

  setPosition(p: StreamPosition): KvWrite {
    this.positionNow = p;
    return { type: 'put', key: POSITION_KEY, value: utf8(JSON.stringify(p)) };
  }

  /** A new link starts over with a snapshot (stream-position.ts): forget the old primary's position. */
  clearPosition(): KvWrite | undefined {
    if (this.positionNow === undefined) return undefined;
    this.positionNow = undefined;
    return { type: 'del', key: POSITION_KEY };
  }

  clear(): void {
    this.stateNow = INITIAL_DR_STATE;
    this.positionNow = undefined;
  }

  /** Loads one stored pair; false when the key is not a DR key. */
  load(key: Uint8Array, value: Uint8Array): boolean {
    if (!hasPrefix(key, DR_PREFIX)) return false;
    const k = fromUtf8(key);
    if (k === fromUtf8(RECORD_KEY)) this.stateNow = JSON.parse(fromUtf8(value)) as DrState;
    else if (k === fromUtf8(POSITION_KEY)) this.positionNow = JSON.parse(fromUtf8(value)) as StreamPosition;
    return true;
  }

  pairs(): KvPair[] {
    const out: KvPair[] = [];
    if (this.stateNow !== INITIAL_DR_STATE) out.push([RECORD_KEY, utf8(JSON.stringify(this.stateNow))]);
    if (this.positionNow !== undefined) out.push([POSITION_KEY, utf8(JSON.stringify(this.positionNow))]);
    return out;
  }
}
