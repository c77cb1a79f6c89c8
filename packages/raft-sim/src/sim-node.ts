/**
 * One simulated server: a raft core, its MemoryStorage standing for the durable disk, and its
 * KV state machine. It runs the Ready contract in order: persist (after an optional disk latency,
 * holding back that Ready's messages until the write is done), send, apply, advance.
 *
 * A crash drops the core, the state machine and any write still in flight; only the storage
 * survives. A restart rebuilds the state machine from the storage's snapshot and lets the core
 * replay the committed entries after it (applied = the snapshot's index).
 */
import { assert, logIndex, type LogIndex, type NodeId, type SeededRng, type Term } from '@coffer/base';
import { MemoryStorage, Raft, type Entry, type Message, type Ready, type Snapshot, type UnsafeTestingFaults } from '@coffer/raft';
import { KvStateMachine } from './kv-state-machine.js';

/** What a node needs from the simulation around it. */
export interface NodeHost {
  /** Before the persist step: lets the checkers see what the disk is about to hold. */
  /** `termAtReady`: the node's term when it produced this Ready (it may move on during the write). */
  beforePersist(node: SimNode, rd: Ready, termAtReady: Term): void;
  send(from: SimNode, messages: readonly Message[]): void;
  applied(node: SimNode, entry: Entry): void;
  snapshotApplied(node: SimNode, snapshot: Snapshot): void;
  readReady(node: SimNode, ctx: string): void;
  readFailed(node: SimNode, ctx: string): void;
  /** Schedules `done` after a simulated disk write of `latencyMs`. */
  diskWrite(node: SimNode, latencyMs: number, done: () => void): void;
}

export interface SimNodeConfig {
  readonly id: NodeId;
  /** The founding voters; empty for a node that joins later (it learns the configuration from the log). */
  readonly voters: readonly NodeId[];
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly tickIntervalMs: number;
  readonly diskLatencyMaxMs: number;
  readonly snapshotEveryEntries: number;
  readonly snapshotTrailingEntries: number;
  readonly maxSizePerMsgBytes: number;
  readonly maxInflightMsgs: number;
  readonly unsafeTestingFaults: UnsafeTestingFaults;
}

export class SimNode {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  raft: Raft | null = null;
  sm: KvStateMachine = new KvStateMachine();
  /** Bumped on every crash, so that events of a previous life are ignored. */
  epoch = 0;
  pausedUntilMs = 0;
  /** While paused: when, after resuming, each connection's backlog is read. */
  readonly resumeJitterMs = new Map<string, number>();
  isWriting = false;
  /** Confirmed reads waiting for the state machine to reach their index. */
  private readonly pendingReads = new Map<string, LogIndex>();
  private appliedSinceSnapshot = 0;

  constructor(
    private readonly config: SimNodeConfig,
    private readonly rng: SeededRng,
    private readonly host: NodeHost,
  ) {
    this.id = config.id;
    this.storage = config.voters.length > 0 ? MemoryStorage.bootstrap({ voters: [...config.voters], learners: [] }) : new MemoryStorage();
    this.start();
  }

  get isUp(): boolean {
    return this.raft !== null;
  }

  get tickIntervalMs(): number {
    return this.config.tickIntervalMs;
  }

  crash(): void {
    this.raft = null;
    this.isWriting = false;
    this.pendingReads.clear();
    this.epoch++;
  }

  start(): void {
    assert(this.raft === null, `node ${this.id} is already running`);
    const snap = this.storage.snapshot();
    assert(snap.ok, 'memory storage always has a snapshot');
    this.sm = KvStateMachine.restore(snap.value.data, snap.value.meta.index);
    this.appliedSinceSnapshot = 0;
    this.raft = new Raft({
      id: this.id,
      storage: this.storage,
      rng: this.rng.fork(),
      electionTicks: this.config.electionTicks,
      heartbeatTicks: this.config.heartbeatTicks,
      applied: snap.value.meta.index,
      preVote: true,
      checkQuorum: true,
      maxSizePerMsg: this.config.maxSizePerMsgBytes,
      maxInflightMsgs: this.config.maxInflightMsgs,
      unsafeTestingFaults: this.config.unsafeTestingFaults,
    });
  }

  /** Runs the Ready loop until the core has nothing more to do or a disk write is in flight. */
  processReady(): void {
    for (let guard = 0; guard < 1000; guard++) {
      const raft = this.raft;
      if (raft === null || this.isWriting || !raft.hasReady()) return;
      const termAtReady = raft.status().term;
      const rd = raft.ready();
      const latencyMs = rd.mustSync && this.config.diskLatencyMaxMs > 0 ? this.rng.int(0, this.config.diskLatencyMaxMs + 1) : 0;
      if (latencyMs === 0) {
        this.finishReady(raft, rd, termAtReady);
        continue;
      }
      this.isWriting = true;
      const epoch = this.epoch;
      this.host.diskWrite(this, latencyMs, () => {
        if (this.epoch !== epoch || this.raft !== raft) return; // crashed meanwhile: the write is lost
        this.isWriting = false;
        this.finishReady(raft, rd, termAtReady);
        this.processReady();
      });
      return;
    }
    assert(false, `node ${this.id}: the Ready loop did not settle`);
  }

  private finishReady(raft: Raft, rd: Ready, termAtReady: Term): void {
    // 1. persist: snapshot, entries, hard state (one batch, durable before anything is sent)
    this.host.beforePersist(this, rd, termAtReady);
    if (rd.snapshot !== undefined) {
      const r = this.storage.applySnapshot(rd.snapshot);
      assert(r.ok, `node ${this.id}: storage refused snapshot ${rd.snapshot.meta.index}`);
    }
    if (rd.entries.length > 0) this.storage.append(rd.entries);
    if (rd.hardState !== undefined) this.storage.setHardState(rd.hardState);
    // 2. send
    if (rd.messages.length > 0) this.host.send(this, rd.messages);
    // 3. apply
    if (rd.snapshot !== undefined) {
      this.sm = KvStateMachine.restore(rd.snapshot.data, rd.snapshot.meta.index);
      this.appliedSinceSnapshot = 0;
      this.host.snapshotApplied(this, rd.snapshot);
    }
    for (const e of rd.committedEntries) {
      if (e.index <= this.sm.applied) continue; // covered by a snapshot applied in this Ready
      this.sm.apply(e);
      this.appliedSinceSnapshot++;
      this.host.applied(this, e);
    }
    for (const rs of rd.readStates) this.pendingReads.set(rs.ctx, rs.index);
    for (const rf of rd.readFailures) this.host.readFailed(this, rf.ctx);
    // 4. advance
    raft.advance();
    this.serveReads();
    this.maybeSnapshot(raft);
  }

  private serveReads(): void {
    for (const [ctx, index] of this.pendingReads) {
      if (this.sm.applied < index) continue;
      this.pendingReads.delete(ctx);
      this.host.readReady(this, ctx);
    }
  }

  /** Every K applied entries: snapshot the state machine and compact, keeping a trailing tail. */
  private maybeSnapshot(raft: Raft): void {
    if (this.appliedSinceSnapshot < this.config.snapshotEveryEntries) return;
    const applied = this.sm.applied;
    const snap = this.storage.snapshot();
    if (!snap.ok || applied <= snap.value.meta.index || applied > this.storage.lastIndex()) return;
    // The configuration as of the applied index, not the latest appended one.
    const made = this.storage.createSnapshot(applied, raft.confStateAt(applied), this.sm.serialize());
    assert(made.ok, `node ${this.id}: snapshot at ${applied} refused`);
    this.appliedSinceSnapshot = 0;
    const compactTo = applied - this.config.snapshotTrailingEntries;
    if (compactTo > snap.value.meta.index) {
      const compacted = this.storage.compact(logIndex(compactTo));
      assert(compacted.ok, `node ${this.id}: compaction to ${compactTo} refused`);
    }
  }
}
