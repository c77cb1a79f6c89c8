/**
 * One seeded run: N raft nodes, the network and disk twins, the clients and the checkers, driven
 * by one discrete-event loop in simulated milliseconds. Everything random comes from one
 * SeededRng seeded with the run's seed, so a seed replays the same run, event for event.
 *
 * Phases: a faulty phase of `steps` events, then a settle phase (faults healed, crashed nodes
 * restarted, no new client ops) that must converge; then state agreement and linearizability.
 *
 * (Near 400 lines: the event loop and the host ports it implements for nodes, clients and
 * faults share its state; the pieces that do not — types, convergence, trace format — live apart.)
 */
import { nodeId, SeededRng, type NodeId, type Term } from '@coffer/base';
import { checkHistory } from '@coffer/linearizability';
import type { Entry, Message, Ready, Snapshot } from '@coffer/raft';
import { describeStuckCluster, findStateDivergence, isConverged } from './convergence.js';
import { EventQueue } from './event-queue.js';
import { hasTopologyFaults, injectFault, onLeaderProgress, type FaultHost } from './fault-injector.js';
import { drawFaultPlan, type FaultPlan } from './faults.js';
import { InvariantChecker, type InvariantName } from './invariants.js';
import { MembershipPlan } from './membership.js';
import { SimNetwork } from './network.js';
import { SimNode, type NodeHost } from './sim-node.js';
import type { SimEvent, SimOptions, SimResult } from './sim-types.js';
import { describeMessage } from './trace-format.js';
import { Workload, type WorkloadHost } from './workload.js';

export type { SimOptions, SimResult } from './sim-types.js';

const ELECTION_TICKS = 10;
const HEARTBEAT_TICKS = 2;
const BASE_TICK_MS = 10;
const SETTLE_MAX_EVENTS = 60_000;
const SETTLE_MAX_MS = 20_000;
/** How long the transport twin takes to notice a broken stream. */
const UNREACHABLE_DETECT_MS = 30;

export function runSimulation(options: SimOptions): SimResult {
  return new Simulation(options).run();
}

class Simulation implements NodeHost, WorkloadHost, FaultHost {
  private readonly rng: SeededRng;
  private readonly plan: FaultPlan;
  private readonly queue = new EventQueue<SimEvent>();
  private readonly traceLines: string[] = [];
  private readonly checker: InvariantChecker;
  private readonly workload: Workload;
  readonly network: SimNetwork;
  readonly nodes: SimNode[] = [];
  readonly nodeIds: NodeId[] = [];
  private timeMs = 0;
  private events = 0;
  private isFaulty = true;
  private readonly membership: MembershipPlan | undefined;
  /** The term each node last led in (for leader-churn). */
  private readonly ledTerm = new Map<NodeId, number>();
  private readonly leaderCommit = new Map<NodeId, number>();

  constructor(private readonly options: SimOptions) {
    this.rng = new SeededRng(options.seed);
    const nodeCount = this.rng.next() < 0.5 ? 3 : 5;
    // (The spare of the membership fault, if any, is node nodeCount+1.)
    this.plan = drawFaultPlan(this.rng, options.faults);
    this.network = new SimNetwork(this.rng.fork(), this.plan);
    this.checker = new InvariantChecker(() => this.timeMs);
    for (let i = 1; i <= nodeCount; i++) this.nodeIds.push(nodeId(`n${i}`));
    const founders = [...this.nodeIds];
    if (this.plan.enabled.has('membership')) {
      // A spare that starts outside the configuration, with an empty log.
      const spare = nodeId(`n${nodeCount + 1}`);
      this.nodeIds.push(spare);
      this.membership = new MembershipPlan(spare);
    }
    const drift = this.plan.enabled.has('drift');
    for (const id of this.nodeIds) {
      // Clock drift: each node's tick interval within ±30% of the base.
      const tickIntervalMs = drift ? BASE_TICK_MS + this.rng.int(-3, 4) : BASE_TICK_MS;
      const node = new SimNode(
        {
          id,
          voters: founders.includes(id) ? founders : [],
          electionTicks: ELECTION_TICKS,
          heartbeatTicks: HEARTBEAT_TICKS,
          tickIntervalMs,
          diskLatencyMaxMs: this.plan.diskLatencyMaxMs,
          snapshotEveryEntries: this.plan.snapshotEveryEntries,
          snapshotTrailingEntries: this.plan.snapshotTrailingEntries,
          maxSizePerMsgBytes: this.plan.maxSizePerMsgBytes,
          maxInflightMsgs: this.plan.maxInflightMsgs,
          unsafeTestingFaults: options.unsafeTestingFaults ?? {},
        },
        this.rng.fork(),
        this,
      );
      this.nodes.push(node);
      this.queue.push(this.rng.int(0, tickIntervalMs), { kind: 'tick', node, epoch: node.epoch });
    }
    const clientCount = 2 + this.rng.int(0, 3);
    const keyCount = 3 + this.rng.int(0, 3);
    this.workload = new Workload(this, this.rng.fork(), { clientCount, keyCount, attemptTimeoutMs: this.plan.clientAttemptTimeoutMs });
    if (hasTopologyFaults(this.plan)) this.queue.push(this.plan.faultIntervalMs, { kind: 'fault' });
    this.trace(`seed ${options.seed}: ${nodeCount} nodes, ${clientCount} clients, ${keyCount} keys, faults [${[...this.plan.enabled].join(',')}]`);
  }

  run(): SimResult {
    let linearizability: SimResult['linearizability'] = 'skipped';
    try {
      this.runFaultyPhase();
      if (!this.checker.isViolated) this.settle();
      if (!this.checker.isViolated) linearizability = this.checkLinearizability();
    } catch (e: unknown) {
      // A thrown assertion inside the core (or the harness) is a finding, with its seed.
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      this.checker.violations.push({ invariant: 'crash', message, timeMs: this.timeMs });
    }
    return {
      seed: this.options.seed,
      nodeCount: this.nodes.length,
      faults: [...this.plan.enabled],
      violations: this.checker.violations,
      trace: this.traceLines,
      events: this.events,
      simTimeMs: this.timeMs,
      completedOps: this.workload.completedOps,
      historyOps: this.workload.history.length,
      linearizability,
    };
  }

  private runFaultyPhase(): void {
    for (let i = 0; i < this.options.steps && !this.checker.isViolated; i++) if (!this.step()) return;
  }

  private settle(): void {
    this.isFaulty = false;
    this.network.heal();
    this.network.calm();
    this.workload.isIssuing = false;
    for (const n of this.nodes) {
      n.pausedUntilMs = Math.min(n.pausedUntilMs, this.timeMs);
      if (!n.isUp) this.restart(n);
    }
    this.trace('settle: healed, all nodes up, clients stop issuing');
    const deadlineMs = this.timeMs + SETTLE_MAX_MS;
    for (let i = 0; i < SETTLE_MAX_EVENTS && this.timeMs < deadlineMs && !this.checker.isViolated; i++) {
      if (!this.workload.hasPending && isConverged(this.nodes)) return this.compareStates();
      if (!this.step()) break;
    }
    if (!this.checker.isViolated) {
      this.fail('convergence', `cluster did not converge within ${SETTLE_MAX_MS} ms after healing (${describeStuckCluster(this.nodes)})`);
    }
  }

  private compareStates(): void {
    const divergence = findStateDivergence(this.nodes);
    if (divergence !== undefined) this.fail('state-machine-safety', divergence);
    else this.trace(`converged: every member applied ${this.nodes.map((n) => n.sm.applied).reduce((a, b) => Math.max(a, b), 0)}`);
  }

  private checkLinearizability(): SimResult['linearizability'] {
    this.workload.abandonAll();
    const result = checkHistory(this.workload.history, { budget: this.options.linearizabilityBudget ?? 2_000_000 });
    if (result.verdict === 'violation') this.fail('linearizability', result.details ?? 'history is not linearizable');
    this.trace(`linearizability: ${result.verdict} over ${this.workload.history.length} ops`);
    return result.verdict;
  }

  /** Processes one event; false when nothing is left to do. */
  private step(): boolean {
    const next = this.queue.pop();
    if (next === undefined) return false;
    this.timeMs = next.timeMs;
    this.events++;
    this.handle(next.event);
    this.checkInvariants();
    return true;
  }

  private handle(ev: SimEvent): void {
    switch (ev.kind) {
      case 'tick': {
        const n = ev.node;
        if (!n.isUp || n.epoch !== ev.epoch) return; // a tick of a previous life
        this.queue.push(this.timeMs + n.tickIntervalMs, { kind: 'tick', node: n, epoch: n.epoch });
        if (this.isPaused(n)) return; // a paused process misses its ticks
        n.raft?.tick();
        n.processReady();
        return;
      }
      case 'deliver': {
        const n = this.nodeById(ev.msg.to);
        // A crashed peer refuses the connection; a partition breaks it: either way the message is lost.
        if (n === undefined || !n.isUp || !this.network.isLinkOpen(ev.msg.from, ev.msg.to)) return this.reportLost(ev.msg);
        if (this.isPaused(n)) return this.defer(n, ev, `peer:${ev.msg.from}`);
        if (this.options.trace === true) this.trace(`deliver ${describeMessage(ev.msg)}`);
        n.raft?.step(ev.msg);
        n.processReady();
        // The transport tells the leader its snapshot got through (the Ready contract's reportSnapshot).
        if (ev.msg.type === 'snapshot') this.queue.push(this.timeMs, { kind: 'snapshot-status', from: ev.msg.from, to: ev.msg.to, isOk: true });
        return;
      }
      case 'disk':
        if (this.isPaused(ev.node)) return this.defer(ev.node, ev, 'disk');
        ev.done();
        return;
      case 'client': {
        const target = this.nodeById(this.workload.targetOf(ev.client));
        // Only a request waits for a paused node; the client's own timeout still fires.
        if (target !== undefined && this.isPaused(target) && this.workload.wouldSendRequest(ev.client, ev.attempt)) {
          return this.defer(target, ev, `client:${ev.client}`);
        }
        this.workload.wake(ev.client, ev.attempt);
        if (target !== undefined) target.processReady();
        for (const n of this.nodes) n.processReady();
        return;
      }
      case 'fault':
        if (!this.isFaulty) return;
        injectFault(this, this.plan, this.rng);
        this.queue.push(this.timeMs + this.rng.int(this.plan.faultIntervalMs / 2, this.plan.faultIntervalMs * 1.5), { kind: 'fault' });
        return;
      case 'heal':
        if (!this.isFaulty) return;
        this.network.heal();
        this.trace('heal');
        return;
      case 'crash':
        if (!this.isFaulty || !ev.node.isUp || ev.node.epoch !== ev.epoch) return;
        if (this.nodes.filter((n) => n.isUp).length <= 1) return;
        this.crash(ev.node);
        this.scheduleRestart(ev.node, ev.restartAfterMs);
        return;
      case 'restart':
        if (!ev.node.isUp) this.restart(ev.node);
        return;
      case 'snapshot-status': {
        const n = this.nodeById(ev.from);
        if (n === undefined || n.raft === null || this.isPaused(n)) return;
        n.raft.reportSnapshot(ev.to, ev.isOk);
        n.processReady();
        return;
      }
      case 'unreachable': {
        const n = this.nodeById(ev.from);
        if (n === undefined || n.raft === null || this.isPaused(n)) return;
        n.raft.reportUnreachable(ev.to);
        n.processReady();
        return;
      }
    }
  }

  private checkInvariants(): void {
    for (const n of this.nodes) {
      const raft = n.raft;
      if (raft === null) continue;
      const s = raft.status();
      // Not raft.hasReady(): it flushes, and a checker must not change what the system does.
      this.checker.checkNode(n.id, s, n.storage, !n.isWriting);
      if (s.role !== 'leader') continue;
      const isNewLeader = this.ledTerm.get(n.id) !== s.term;
      const hasCommitAdvanced = !isNewLeader && (this.leaderCommit.get(n.id) ?? 0) < s.commit;
      this.leaderCommit.set(n.id, s.commit);
      if (isNewLeader) {
        this.ledTerm.set(n.id, s.term);
        this.trace(`${n.id} leads term ${s.term}`);
      }
      if ((isNewLeader || hasCommitAdvanced) && this.isFaulty && this.plan.enabled.has('leader-churn')) {
        const committedTerm = n.storage.term(s.commit);
        const what = isNewLeader ? 'elected' : committedTerm.ok && committedTerm.value < s.term ? 'committed-earlier-term' : 'committed';
        const churn = onLeaderProgress(this, n, what, this.rng);
        if (churn !== undefined) this.queue.push(this.timeMs + churn.crashAfterMs, { kind: 'crash', node: n, epoch: n.epoch, ...churn });
      }
    }
  }

  private isPaused(n: SimNode): boolean {
    return n.pausedUntilMs > this.timeMs;
  }

  /**
   * A paused process works through its backlog when it resumes: each connection (a peer, a
   * client, the disk) is read in order, but which connection goes first is anyone's guess.
   */
  private defer(n: SimNode, ev: SimEvent, source: string): void {
    let jitterMs = n.resumeJitterMs.get(source);
    if (jitterMs === undefined) {
      jitterMs = this.rng.int(0, 10);
      n.resumeJitterMs.set(source, jitterMs);
    }
    this.queue.push(n.pausedUntilMs + jitterMs, ev);
  }

  private restart(n: SimNode): void {
    n.start();
    this.checker.restarted(n.id);
    this.trace(`restart ${n.id}`);
    this.queue.push(this.timeMs + this.rng.int(1, n.tickIntervalMs + 1), { kind: 'tick', node: n, epoch: n.epoch });
    n.processReady();
  }

  private fail(invariant: InvariantName, message: string): void {
    this.checker.violations.push({ invariant, message, timeMs: this.timeMs });
  }

  private nodeById(id: NodeId | undefined): SimNode | undefined {
    return id === undefined ? undefined : this.nodes.find((n) => n.id === id);
  }

  // ---- NodeHost

  beforePersist(node: SimNode, rd: Ready, termAtReady: Term): void {
    if (rd.entries.length > 0) this.checker.beforeAppend(node.id, node.storage, rd.entries, termAtReady);
  }

  send(from: SimNode, messages: readonly Message[]): void {
    void from;
    for (const m of messages) {
      const arrivals = this.network.deliveries(m.from, m.to, this.timeMs);
      if (arrivals.length === 0) this.reportLost(m);
      for (const at of arrivals) this.queue.push(at, { kind: 'deliver', msg: m });
    }
  }

  /**
   * Over TCP a lost message means a broken connection, and both ends notice: each is told the
   * other is unreachable (a leader then falls back from pipelining to probing that peer).
   */
  private reportLost(m: Message): void {
    if (this.plan.enabled.has('silent-loss')) return;
    this.queue.push(this.timeMs + UNREACHABLE_DETECT_MS, { kind: 'unreachable', from: m.from, to: m.to });
    this.queue.push(this.timeMs + UNREACHABLE_DETECT_MS, { kind: 'unreachable', from: m.to, to: m.from });
    if (m.type === 'snapshot') this.queue.push(this.timeMs + UNREACHABLE_DETECT_MS, { kind: 'snapshot-status', from: m.from, to: m.to, isOk: false });
  }

  applied(node: SimNode, entry: Entry): void {
    this.checker.applied(node.id, entry, node.raft?.status().term ?? entry.term);
    this.workload.onApplied(node, entry);
  }

  snapshotApplied(node: SimNode, snapshot: Snapshot): void {
    this.trace(`${node.id} installed snapshot ${snapshot.meta.index}`);
    this.checker.snapshotApplied(node.id, snapshot.meta.index, snapshot.meta.term);
    this.workload.onSnapshotApplied(node, snapshot);
  }

  readReady(node: SimNode, ctx: string): void {
    this.workload.onReadReady(node, ctx);
  }

  readFailed(node: SimNode, ctx: string): void {
    this.workload.onReadFailed(node, ctx);
  }

  diskWrite(node: SimNode, latencyMs: number, done: () => void): void {
    this.queue.push(this.timeMs + latencyMs, { kind: 'disk', node, done });
  }

  // ---- WorkloadHost and FaultHost

  nowMs(): number {
    return this.timeMs;
  }

  node(id: NodeId): SimNode {
    const n = this.nodeById(id);
    if (n === undefined) throw new Error(`unknown node ${id}`);
    return n;
  }

  scheduleClient(client: number, attempt: number, delayMs: number): void {
    this.queue.push(this.timeMs + delayMs, { kind: 'client', client, attempt });
  }

  scheduleHeal(delayMs: number): void {
    this.queue.push(this.timeMs + delayMs, { kind: 'heal' });
  }

  scheduleRestart(node: SimNode, delayMs: number): void {
    this.queue.push(this.timeMs + delayMs, { kind: 'restart', node });
  }

  crash(node: SimNode): void {
    node.crash();
    this.trace(`crash ${node.id}`);
    this.workload.onCrash(node);
  }

  changeMembership(): void {
    this.membership?.step(this, this.rng);
  }

  pause(node: SimNode, durationMs: number): void {
    node.pausedUntilMs = this.timeMs + durationMs;
    node.resumeJitterMs.clear();
    this.trace(`pause ${node.id} for ${durationMs} ms`);
  }

  trace(line: string): void {
    if (this.options.trace === true) this.traceLines.push(`${String(this.timeMs).padStart(7)} ${line}`);
  }
}
