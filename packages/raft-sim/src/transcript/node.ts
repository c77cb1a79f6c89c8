/**
 * One transcript node: a Raft core, its MemoryStorage (which survives a crash), its state machine
 * (which does not: a restart rebuilds it from the storage's snapshot and replays the log), and what
 * its read requests came back with.
 *
 * The Ready contract, in its order: persist (snapshot, entries, hard state), then send, then apply
 * (snapshot, then committed entries), then advance(). Persisting is synchronous here, so "durable
 * before send" holds by construction.
 */
import type { LogIndex, NodeId } from '@coffer/base';
import { SeededRng, assert, logIndex } from '@coffer/base';
import type { MemoryStorage, Message, RaftConfig } from '@coffer/raft';
import { Raft } from '@coffer/raft';
import { KvStateMachine } from './kv.js';
import { fail } from './parse.js';
import type { Trace } from './trace.js';

/** The parts of RaftConfig a `cluster` line sets; id, storage, rng and applied are per node. */
export type CoreOptions = Omit<RaftConfig, 'id' | 'storage' | 'rng' | 'applied'>;

/** A core that keeps producing Readys this many times in a row is stuck in a loop. */
const MAX_READYS_PER_STEP = 100;

export class SimNode {
  private core: Raft | null = null;
  private incarnation = 0;
  kv: KvStateMachine;
  readonly readStates = new Map<string, LogIndex>();
  readonly readFailures = new Set<string>();

  constructor(
    readonly id: NodeId,
    readonly storage: MemoryStorage,
    private readonly options: CoreOptions,
    private readonly seed: number,
    private readonly trace: Trace,
  ) {
    this.kv = new KvStateMachine(logIndex(0), storage.initialState().confState);
    this.start();
  }

  get isUp(): boolean {
    return this.core !== null;
  }

  /** The running core; a command that needs one on a crashed node is a transcript error. */
  get raft(): Raft {
    if (this.core === null) fail(`${this.id} is down`);
    return this.core;
  }

  /** Builds a fresh core from what the storage holds, as a process restart would. */
  start(): void {
    assert(this.core === null, `${this.id} is already running`);
    const snap = this.storage.snapshot();
    assert(snap.ok, `MemoryStorage always has a snapshot`);
    this.kv = KvStateMachine.fromSnapshot(snap.value);
    this.readStates.clear();
    this.readFailures.clear();
    this.incarnation++;
    // One fixed stream per node and incarnation: a transcript replays exactly.
    const rng = new SeededRng(hashSeed(`${this.seed}/${this.id}/${this.incarnation}`));
    this.core = new Raft({ ...this.options, id: this.id, storage: this.storage, rng, applied: this.kv.applied });
  }

  crash(): void {
    this.core = null;
  }

  /** Handles Readys until the core has none; returns the messages to send, in order. */
  handleReady(): Message[] {
    const out: Message[] = [];
    const raft = this.raft;
    for (let n = 0; raft.hasReady(); n++) {
      assert(n < MAX_READYS_PER_STEP, `${this.id} produced ${n} Readys in a row`);
      const rd = raft.ready();
      // 1. persist
      if (rd.snapshot !== undefined) {
        const applied = this.storage.applySnapshot(rd.snapshot);
        assert(applied.ok, `${this.id}: the core handed over a stale snapshot ${rd.snapshot.meta.index}`);
      }
      this.storage.append(rd.entries);
      if (rd.hardState !== undefined) this.storage.setHardState(rd.hardState);
      // 2. send
      out.push(...rd.messages);
      // 3. apply
      if (rd.snapshot !== undefined) {
        this.kv.restore(rd.snapshot);
        this.trace.add(`${this.id} applied snapshot ${rd.snapshot.meta.index}@t${rd.snapshot.meta.term}`);
      }
      for (const e of rd.committedEntries) this.kv.apply(e);
      for (const rs of rd.readStates) this.readStates.set(rs.ctx, rs.index);
      for (const rf of rd.readFailures) this.readFailures.add(rf.ctx);
      if (rd.softState !== undefined) {
        const s = raft.status();
        this.trace.add(`${this.id} is ${rd.softState.role} at term ${s.term}, leader ${rd.softState.leader ?? 'none'}`);
      }
      // 4. advance
      raft.advance();
    }
    return out;
  }
}

/** FNV-1a: a stable 32-bit seed from a string. */
function hashSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
