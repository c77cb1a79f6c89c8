/**
 * In-memory twins of the ports, for this package's tests and the node's: a primary log
 * (`MemoryEntrySource`), a primary node (`MemoryDrPrimaryNode`), a secondary state machine
 * (`MemoryEntrySink`), a controllable clock, and a bounded wait for a condition.
 */
import type { Clock, CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import type { DrCommand } from './dr-command.js';
import { applyDrCommand } from './dr-command.js';
import type { DrState } from './dr-state.js';
import type { DrEntryRecord, DrPrimaryNode, DrSnapshot, EntrySink, EntrySource, Leadership } from './ports.js';
import type { StreamPosition } from './stream-position.js';
import { planBatch } from './stream-position.js';

/** Each entry's data is its index as text, so a sink can check what it got. */
export class MemoryEntrySource implements EntrySource {
  private log: DrEntryRecord[] = [];
  private first = 1;
  private readonly timestamps = new Map<number, number>();
  private snap: DrSnapshot = { index: 0, term: 0, data: encodeIndexes(0) };
  private waiters: { after: number; resolve: () => void }[] = [];

  constructor(private readonly clock: () => number = () => Date.now()) {}

  append(count: number, term = 1): void {
    for (let i = 0; i < count; i++) {
      const index = this.lastIndex() + 1;
      this.log.push({ index, term, type: 'normal', data: new TextEncoder().encode(String(index)) });
      this.timestamps.set(index, this.clock());
    }
    const last = this.lastIndex();
    const ready = this.waiters.filter((w) => last > w.after);
    this.waiters = this.waiters.filter((w) => last <= w.after);
    for (const w of ready) w.resolve();
  }

  /** Compacts everything up to `index` into a snapshot (whose data lists the indexes 1..index). */
  compact(index: number): void {
    const kept = this.log.filter((e) => e.index > index);
    const at = this.log.find((e) => e.index === index);
    this.snap = { index, term: at?.term ?? 1, data: encodeIndexes(index) };
    this.log = kept;
    this.first = index + 1;
  }

  firstIndex(): number {
    return this.first;
  }

  lastIndex(): number {
    return this.first - 1 + this.log.length;
  }

  entries(fromIndex: number, maxBytes: number): Promise<Result<readonly DrEntryRecord[], CofferError>> {
    if (fromIndex < this.first) return Promise.resolve(err(cofferError('compacted', `first index is ${this.first}`)));
    const out: DrEntryRecord[] = [];
    let bytes = 0;
    for (let i = fromIndex - this.first; i < this.log.length; i++) {
      const e = this.log[i];
      if (e === undefined) break;
      if (out.length > 0 && bytes + e.data.length > maxBytes) break;
      out.push(e);
      bytes += e.data.length;
    }
    return Promise.resolve(ok(out));
  }

  snapshot(): Promise<Result<DrSnapshot, CofferError>> {
    return Promise.resolve(ok(this.snap));
  }

  entryTimestampMs(index: number): number | undefined {
    return this.timestamps.get(index);
  }

  setTimestamp(index: number, ms: number): void {
    this.timestamps.set(index, ms);
  }

  waitForCommit(afterIndex: number, timeoutMs: number): Promise<void> {
    if (this.lastIndex() > afterIndex) return Promise.resolve();
    return new Promise((resolve) => {
      const w = { after: afterIndex, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve();
      }, timeoutMs);
    });
  }
}

/** Snapshot data: the applied indexes 1..index, as JSON (only for the twins). */
export function encodeIndexes(lastIndex: number): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ lastIndex }));
}

export class MemoryDrPrimaryNode implements DrPrimaryNode {
  leader: Leadership = { kind: 'leader' };
  readonly proposed: DrCommand[] = [];

  constructor(
    private readonly id: string,
    public state: DrState,
  ) {}

  clusterId(): string {
    return this.id;
  }

  leadership(): Leadership {
    return this.leader;
  }

  drState(): DrState {
    return this.state;
  }

  propose(command: DrCommand): Promise<Result<DrState, CofferError>> {
    this.proposed.push(command);
    const next = applyDrCommand(this.state, command);
    if (next.ok) this.state = next.value;
    return Promise.resolve(next);
  }
}

/**
 * The secondary's state machine: the primary indexes it holds, in apply order. Counts anything a
 * correct stream never causes: duplicates (entries planBatch had to skip) and gaps.
 */
export class MemoryEntrySink implements EntrySink {
  readonly applied: number[] = [];
  duplicates = 0;
  gaps = 0;
  snapshotsInstalled = 0;
  /** Awaited before each apply (tests hold the secondary back with it). */
  beforeApply: (batch: readonly DrEntryRecord[]) => Promise<void> | void = () => undefined;
  private pos: StreamPosition | undefined;

  constructor(position?: StreamPosition) {
    this.pos = position;
    if (position !== undefined) for (let i = 1; i <= position.lastAppliedPrimaryIndex; i++) this.applied.push(i);
  }

  position(): StreamPosition | undefined {
    return this.pos;
  }

  async apply(batch: { readonly primaryClusterId: string; readonly entries: readonly DrEntryRecord[] }): Promise<Result<StreamPosition, CofferError>> {
    await this.beforeApply(batch.entries);
    const last = this.pos?.primaryClusterId === batch.primaryClusterId ? this.pos.lastAppliedPrimaryIndex : 0;
    const plan = planBatch(last, batch.entries);
    if (plan.kind === 'gap') {
      this.gaps++;
      return err(cofferError('conflict', `gap: expected ${plan.expectedIndex}, got ${plan.firstIndex}`));
    }
    this.duplicates += batch.entries.length - plan.entries.length;
    for (const e of plan.entries) this.applied.push(Number(new TextDecoder().decode(e.data)));
    this.pos = { primaryClusterId: batch.primaryClusterId, lastAppliedPrimaryIndex: plan.lastIndex };
    return ok(this.pos);
  }

  installSnapshot(s: DrSnapshot & { readonly primaryClusterId: string }): Promise<Result<StreamPosition, CofferError>> {
    const { lastIndex } = JSON.parse(new TextDecoder().decode(s.data)) as { lastIndex: number };
    this.applied.length = 0;
    for (let i = 1; i <= lastIndex; i++) this.applied.push(i);
    this.snapshotsInstalled++;
    this.pos = { primaryClusterId: s.primaryClusterId, lastAppliedPrimaryIndex: s.index };
    return Promise.resolve(ok(this.pos));
  }
}

/** A clock whose wall time the test sets; monotonic time is real (for timers). */
export class ManualClock implements Clock {
  constructor(public wallMs: number) {}
  nowMs(): number {
    return this.wallMs;
  }
  monotonicMs(): number {
    return performance.now();
  }
}

export const systemClock: Clock = { nowMs: () => Date.now(), monotonicMs: () => performance.now() };

/** Waits (bounded) for `cond`; throws with `what` on timeout. Never a fixed sleep. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
