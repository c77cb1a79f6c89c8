/**
 * The per-node runtime: the thin concurrency shell around the pure raft core (etcd's node.go).
 * It owns the only timer (ticks from a monotonic clock), the strictly sequential Ready loop, and the
 * apply path. Client operations (propose, read, membership) live in node-ops.ts on top of it.
 *
 * Ready loop order (the core's contract): 1. persist in one synced batch; 2. only then send;
 * 3. apply (snapshot, then committed entries, in one state-store batch with the applied index);
 * 4. advance(). Whatever arrives while a round awaits its I/O is batched into the next round
 * (group commit).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { assert, cofferError, logIndex, type LogIndex, type Logger, type NodeId, type Result, type Term } from '@coffer/base';
import { decodeConfChange, type Entry, type RaftStatus, type Ready, type Role } from '@coffer/raft';
import { AppendTimestampRing, lagEntries, timeLag, timeLagMs } from '@coffer/replication-lag';
import { CommitSpans, type NodeMetrics } from '@coffer/telemetry';
import { encodePairs, encodePairsAsync } from './bytes.js';
import { decodeEnvelope } from './envelope.js';
import { PendingProposals } from './pending-proposals.js';
import { decodeSnapshotData, encodeSnapshotData, PeerDirectory } from './peer-directory.js';
import type { KvPair, KvWrite, LeaderForwarder, LogStore, RaftCore, StateMachine, StateStore, Transport } from './ports.js';
import { MonotonicTicker } from './ticker.js';
import { ChangeSignal, IndexWaiters, PendingReads } from './waiters.js';

export interface RuntimeTiming {
  readonly tickMs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
}

export interface SnapshotPolicy {
  /** Take a snapshot once this many entries were applied since the last one. */
  readonly thresholdEntries: number;
  /** Entries kept in the log behind a snapshot, so a briefly slow follower catches up from the log. */
  readonly trailingEntries: number;
}

export interface RuntimeDeps {
  readonly id: NodeId;
  readonly selfAddress: string;
  readonly raft: RaftCore;
  readonly logStore: LogStore;
  readonly stateStore: StateStore;
  readonly stateMachine: StateMachine;
  readonly transport: Transport;
  readonly forwarder: LeaderForwarder;
  /** Addresses known from the configuration (bootstrap peers / join target). */
  readonly peers: ReadonlyMap<NodeId, string>;
  readonly timing: RuntimeTiming;
  readonly snapshots: SnapshotPolicy;
  readonly logger: Logger;
  readonly metrics?: NodeMetrics;
  readonly monotonicMs?: () => number;
  readonly nowMs?: () => number;
  /** Called once if the Ready loop hits an I/O error: the process must exit (state is unknown). */
  readonly onFatal?: (error: unknown) => void;
}

export class NodeRuntime {
  readonly id: NodeId;
  readonly deps: RuntimeDeps;
  readonly peers: PeerDirectory;
  /** Trace spans of proposals (propose -> persisted -> committed -> applied); empty when not tracing. */
  private readonly commitSpans = new CommitSpans();
  readonly pending: PendingProposals = new TracedPendingProposals(this.commitSpans);
  readonly reads = new PendingReads();
  readonly applied = new IndexWaiters();
  /** Fires on every change of leader or role. */
  readonly leaderChange = new ChangeSignal();
  readonly ring = new AppendTimestampRing(4096);
  private ticker: MonotonicTicker;
  private readonly monotonicMs: () => number;
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private tickTimer: NodeJS.Timeout | undefined;
  private loopRunning = false;
  private loopIdle: Promise<void> = Promise.resolve();
  private appliedIndex: LogIndex = logIndex(0);
  private snapshotIndex: LogIndex = logIndex(0);
  /** Extra entries this node waits before its next snapshot (redrawn after each one). */
  private snapshotJitterEntries: number;
  /** The background write of the latest snapshot, if one is running. */
  private snapshotInFlight: Promise<void> | undefined;
  private role: Role = 'follower';
  private leader: NodeId | null = null;
  private stopped = false;
  private readSeq = 0;
  /** Ticks due on the monotonic clock and not yet given to the core. */
  private owedTicks = 0;
  private isTickFlushScheduled = false;

  constructor(deps: RuntimeDeps) {
    this.deps = deps;
    this.id = deps.id;
    this.peers = new PeerDirectory(deps.peers);
    this.snapshotJitterEntries = Math.floor(Math.random() * (deps.snapshots.thresholdEntries / 2));
    this.monotonicMs = deps.monotonicMs ?? (() => performance.now());
    this.ticker = new MonotonicTicker(deps.timing.tickMs, this.monotonicMs);
  }

  get electionTimeoutMs(): number {
    return this.deps.timing.tickMs * this.deps.timing.electionTicks;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  now(): number {
    return (this.deps.nowMs ?? Date.now)();
  }

  appliedNow(): LogIndex {
    return this.appliedIndex;
  }

  snapshotIndexNow(): LogIndex {
    return this.snapshotIndex;
  }

  roleNow(): Role {
    return this.role;
  }

  leaderNow(): NodeId | null {
    return this.leader;
  }

  status(): RaftStatus {
    this.catchUpTicks(true);
    return this.deps.raft.status();
  }

  /** Per follower (leader only): entries behind and the age of its first missing entry (ms, -1 unknown). */
  followerLag(): { readonly peer: NodeId; readonly entries: number; readonly ms: number }[] {
    const st = this.deps.raft.status();
    const nowMs = this.now();
    return st.progress.map((p) => ({
      peer: p.id,
      entries: lagEntries(st.lastIndex, p.match),
      ms: timeLagMs(timeLag({ leaderLastIndex: st.lastIndex, matchIndex: p.match, nowMs, timestamps: this.ring })) ?? -1,
    }));
  }

  eventLoopDelayP99Ms(): number {
    return this.loopDelay.percentile(99) / 1e6;
  }

  /** Loads the state machine from its store (and from a newer log snapshot), then starts I/O. */
  async start(): Promise<void> {
    const { stateStore, stateMachine, logStore, transport } = this.deps;
    const smPairs = this.peers.loadFrom(await stateStore.loadAll());
    stateMachine.load(smPairs);
    this.appliedIndex = stateStore.appliedIndex();
    const snap = logStore.raftStorage.snapshot();
    if (snap.ok) {
      this.snapshotIndex = snap.value.meta.index;
      // Crash between persisting an incoming snapshot and installing it: install it now.
      if (snap.value.meta.index > this.appliedIndex) await this.installSnapshot(snap.value.data, snap.value.meta.index);
    }
    transport.setPeers(this.peersExceptSelf());
    transport.onMessage((m) => {
      if (this.stopped) return;
      this.catchUpTicks();
      this.deps.raft.step(m);
      this.kick();
    });
    transport.onUnreachable((peer) => {
      this.deps.raft.reportUnreachable(peer);
      this.kick();
    });
    transport.onSnapshotStatus((peer, isOk) => {
      this.deps.raft.reportSnapshot(peer, isOk);
      this.kick();
    });
    await transport.start();
    // Time starts now: loading the store is not time the cluster was silent.
    this.ticker = new MonotonicTicker(this.deps.timing.tickMs, this.monotonicMs);
    this.loopDelay.enable();
    this.tickTimer = setInterval(() => this.catchUpTicks(), this.deps.timing.tickMs);
    this.kick();
  }

  /**
   * Delivers every tick elapsed on the monotonic clock. Called by the timer and before serving
   * any request or message, so that after a pause the core first learns how much time passed.
   */
  catchUpTicks(isUrgent = false): void {
    if (this.stopped) return;
    this.owedTicks += this.ticker.due();
    if (this.owedTicks === 0) return;
    const isJump = this.owedTicks > Math.max(1, Math.floor(this.deps.timing.electionTicks / 2));
    if (isJump && !isUrgent) {
      // A jump in time (the process was paused, or the loop starved by GC or load). Let the
      // messages that queued up meanwhile be stepped first (I/O poll phase), then the ticks
      // (check phase): a leader whose followers did answer stays leader, while one that was
      // really cut off still steps down. Reads pass isUrgent, so no read is served on stale time.
      if (!this.isTickFlushScheduled) {
        this.isTickFlushScheduled = true;
        setImmediate(() => {
          this.isTickFlushScheduled = false;
          this.catchUpTicks(true);
        });
      }
      return;
    }
    const n = this.owedTicks;
    this.owedTicks = 0;
    if (n > this.deps.timing.electionTicks) {
      this.deps.logger.warn('caught up ticks after a pause', { ticks: n, pausedMs: n * this.deps.timing.tickMs });
      this.deps.metrics?.ticksCaughtUp(n);
    }
    for (let i = 0; i < n; i++) this.deps.raft.tick();
    this.kick();
  }

  /** Schedules a Ready round unless one is running (it re-checks hasReady when done). */
  kick(): void {
    if (this.loopRunning || this.stopped) return;
    if (!this.deps.raft.hasReady()) return;
    this.loopRunning = true;
    this.loopIdle = new Promise((resolve) => setImmediate(() => void this.runLoop().finally(resolve)));
  }

  nextReadCtx(): string {
    this.readSeq += 1;
    return `${this.id}:${this.readSeq}`;
  }

  private async runLoop(): Promise<void> {
    try {
      // Bounded by the work available: each round consumes what the core had pending.
      while (!this.stopped && this.deps.raft.hasReady()) {
        const started = performance.now();
        await this.processReady(this.deps.raft.ready());
        this.deps.metrics?.readyRoundDone(performance.now() - started);
      }
    } catch (e: unknown) {
      this.deps.logger.error('ready loop failed; stopping', { error: e instanceof Error ? e.message : String(e) });
      this.stopped = true;
      this.deps.onFatal?.(e);
      return;
    } finally {
      this.loopRunning = false;
    }
    if (!this.stopped && this.deps.raft.hasReady()) this.kick();
  }

  private async processReady(rd: Ready): Promise<void> {
    const { logStore, transport, raft } = this.deps;
    if (rd.softState !== undefined) this.onSoftState(rd.softState.role, rd.softState.leader);
    // 1. persist, one synced batch
    if (rd.snapshot !== undefined || rd.entries.length > 0 || rd.hardState !== undefined) {
      const t0 = performance.now();
      await logStore.persist({
        mustSync: rd.mustSync,
        entries: rd.entries,
        ...(rd.hardState !== undefined ? { hardState: rd.hardState } : {}),
        ...(rd.snapshot !== undefined ? { snapshot: rd.snapshot } : {}),
      });
      this.deps.metrics?.appendDone(performance.now() - t0, rd.entries.length);
      this.commitSpans.mark('persisted', rd.entries);
      const last = rd.entries[rd.entries.length - 1];
      if (this.role === 'leader' && last !== undefined) this.recordAppend(last.index);
    }
    // 2. send, only after the persist is durable
    if (rd.messages.length > 0) transport.send(rd.messages);
    // 3. apply
    this.commitSpans.mark('committed', rd.committedEntries);
    if (rd.snapshot !== undefined) await this.installSnapshot(rd.snapshot.data, rd.snapshot.meta.index);
    if (rd.committedEntries.length > 0) await this.applyEntries(rd.committedEntries);
    for (const rs of rd.readStates) this.reads.confirmed(rs.ctx, rs.index);
    for (const rf of rd.readFailures) this.reads.failed(rf.ctx);
    // 4. advance
    raft.advance();
    this.maybeSnapshot();
  }

  private recordAppend(index: LogIndex): void {
    const newest = this.ring.newest();
    if (newest === undefined || index > newest.index) this.ring.append(index, this.now());
  }

  private onSoftState(role: Role, leader: NodeId | null): void {
    const wasLeader = this.role === 'leader';
    if (leader !== this.leader) {
      this.deps.metrics?.leaderChanged();
      this.deps.logger.info('leader changed', { leader: leader ?? '', role });
    }
    this.role = role;
    this.leader = leader;
    if (wasLeader && role !== 'leader') {
      // Pending entries may still commit under the next leader; the proposer retries with the
      // same request id and the dedup record answers it.
      this.pending.failAll(cofferError('not-leader', 'leadership lost', leader ?? undefined));
      this.ring.clear();
    }
    this.leaderChange.fire();
  }

  private async applyEntries(entries: readonly Entry[]): Promise<void> {
    const { stateMachine, stateStore } = this.deps;
    const writes: KvWrite[] = [];
    const results: { index: LogIndex; term: Term; result: Uint8Array }[] = [];
    for (const e of entries) {
      if (e.index <= this.appliedIndex) continue; // already covered by a snapshot
      if (e.type === 'conf-change') {
        const cc = decodeConfChange(e.data);
        this.deps.logger.info('membership change applied', { type: cc.type, node: cc.node, index: e.index });
        this.deps.transport.setPeers(this.peersExceptSelf());
        results.push({ index: e.index, term: e.term, result: new Uint8Array(0) });
        continue;
      }
      if (e.data.length === 0) continue; // a new leader's no-op
      const env = decodeEnvelope(e.data);
      assert(env !== undefined, `entry ${e.index} holds an unknown envelope`);
      if (env.kind === 'peer-address') {
        writes.push(this.peers.set(env.id as NodeId, env.address));
        this.deps.transport.setPeers(this.peersExceptSelf());
        results.push({ index: e.index, term: e.term, result: new Uint8Array(0) });
      } else {
        const out = stateMachine.apply(env.command, e.index);
        writes.push(...out.writes);
        results.push({ index: e.index, term: e.term, result: out.result });
      }
    }
    const last = entries[entries.length - 1];
    if (last === undefined || last.index <= this.appliedIndex) return;
    await stateStore.applyBatch(writes, last.index);
    this.appliedIndex = last.index;
    for (const r of results) this.pending.applied(r.index, r.term, r.result);
    this.applied.advanceTo(this.appliedIndex);
  }

  private async installSnapshot(data: Uint8Array, index: LogIndex): Promise<void> {
    const { peerPairs, stateMachine: smData } = decodeSnapshotData(data);
    const peers = this.peers.loadFrom(peerPairs);
    assert(peers.length === 0, 'snapshot peer section holds only peer pairs');
    let smPairs: readonly KvPair[] = [];
    if (smData.length > 0) smPairs = this.deps.stateMachine.restore(smData);
    else this.deps.stateMachine.load([]);
    await this.deps.stateStore.replaceAll([...this.peers.pairs(), ...smPairs], index);
    this.appliedIndex = index;
    this.snapshotIndex = index;
    this.deps.transport.setPeers(this.peersExceptSelf());
    this.pending.settledUpTo(index, cofferError('not-leader', 'superseded by a snapshot'));
    this.applied.advanceTo(index);
    this.deps.metrics?.snapshotInstalled(data.length);
    this.deps.logger.info('snapshot installed', { index, bytes: data.length });
  }

  /**
   * Takes the state machine's snapshot at the applied index (synchronously, so it is exactly that
   * state), then writes it and compacts the log in the background: the Ready loop must not wait on
   * a large write, or heartbeats and acks stall and the leader loses its quorum (seen under load
   * with a 13 MB state: 0.8 s per snapshot inside the loop).
   */
  private maybeSnapshot(): void {
    const { thresholdEntries, trailingEntries } = this.deps.snapshots;
    if (this.snapshotInFlight !== undefined || this.appliedIndex - this.snapshotIndex < thresholdEntries + this.snapshotJitterEntries) return;
    // Members apply the same entries at about the same time: without jitter they would all
    // snapshot (and pause for GC) together, and a majority pausing at once looks like a dead
    // leader to check-quorum. Stagger them, as Vault staggers its snapshot interval.
    this.snapshotJitterEntries = Math.floor(Math.random() * (thresholdEntries / 2));
    const index = this.appliedIndex;
    // Exactly the state at `index`, by reference; serialized below in slices.
    const sm = this.deps.stateMachine;
    const captured = sm.captureSnapshot?.();
    const pairsNow = captured === undefined ? sm.snapshotPairs() : undefined;
    const head = encodePairs(this.peers.pairs());
    // The configuration in effect at the snapshot's index, not the newest appended one.
    const confState = this.deps.raft.confStateAt(index);
    const write = async (): Promise<void> => {
      const pairs = pairsNow ?? (await (captured as () => Promise<readonly KvPair[]>)());
      const data = await encodePairsAsync(pairs, head);
      await this.deps.logStore.createSnapshot(index, confState, data);
      if (index > this.snapshotIndex) this.snapshotIndex = index;
      const compactTo = index - trailingEntries;
      if (compactTo > this.deps.logStore.raftStorage.firstIndex()) await this.deps.logStore.compact(logIndex(compactTo));
      this.deps.metrics?.snapshotCreated(data.length);
      this.deps.logger.info('snapshot created', { index, bytes: data.length });
    };
    this.snapshotInFlight = write()
      .catch((e: unknown) => {
        // A failed write leaves the storage refusing further writes: the Ready loop stops next.
        this.deps.logger.error('snapshot failed', { index, error: e instanceof Error ? e.message : String(e) });
        this.deps.onFatal?.(e);
      })
      .finally(() => {
        this.snapshotInFlight = undefined;
      });
  }

  /** The state at the applied index, in the snapshot format. */
  snapshotData(): Uint8Array {
    return encodeSnapshotData(this.peers, this.deps.stateMachine.snapshot());
  }

  /**
   * A fresh node joining through sys/storage/raft/join learns the members' addresses from the
   * leader. Only while nothing was applied (afterwards addresses come from the log alone); kept in
   * memory: the first snapshot it installs or takes persists them. False (nothing done) otherwise.
   */
  adoptPeerAddresses(addresses: ReadonlyMap<NodeId, string>): boolean {
    if (this.appliedIndex !== 0) return false;
    for (const [id, address] of addresses) if (id !== this.id) this.peers.set(id, address);
    this.deps.transport.setPeers(this.peersExceptSelf());
    return true;
  }

  peersExceptSelf(): Map<NodeId, string> {
    const out = new Map(this.peers.all());
    out.delete(this.id);
    return out;
  }

  /** Stops the timer and the loop after the current round; closes transport and stores. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.tickTimer !== undefined) clearInterval(this.tickTimer);
    this.loopDelay.disable();
    await this.loopIdle;
    await this.snapshotInFlight;
    this.pending.failAll(cofferError('unavailable', 'node is stopping', this.leader ?? undefined));
    this.reads.failAll();
    this.applied.failAll();
    this.leaderChange.fire();
    this.deps.forwarder.close();
    await this.deps.transport.close();
    await this.deps.logStore.close();
    await this.deps.stateStore.close();
  }
}

/** Opens a commit span per traced proposal and ends it when the proposal settles (any way). */
class TracedPendingProposals extends PendingProposals {
  constructor(private readonly spans: CommitSpans) {
    super();
  }

  override wait(index: LogIndex, term: Term): Promise<Result<Uint8Array>> {
    const span = this.spans.begin(index, term);
    const settled = super.wait(index, term);
    if (span === undefined) return settled;
    return settled.then((r) => {
      this.spans.end(index, span, r.ok ? undefined : r.error.kind);
      return r;
    });
  }
}
