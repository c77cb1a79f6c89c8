/**
 * The Raft core: state, role transitions, and the public API (tick/step/propose/ready/advance).
 * Role-specific message handling lives in leader-step.ts and follower-step.ts; log replication in
 * replication.ts. Fields marked internal are shared with those modules, not with callers.
 */
import type { CofferError, LogIndex, Logger, NodeId, Result, Term } from '@coffer/base';
import { assert, cofferError, err, logIndex, ok, term as toTerm } from '@coffer/base';
import { ElectionTimer, LeaderLease, LeadershipTransfer, QuorumActivity, VoteTally, decideVote } from '@coffer/election';
import type { RaftConfig, ResolvedRaftConfig } from './config.js';
import { resolveConfig } from './config.js';
import { ConfHistory } from './conf-change.js';
import { stepFollower, stepCandidate } from './follower-step.js';
import { stepLeader } from './leader-step.js';
import { Progress } from './progress.js';
import { RaftLog } from './raft-log.js';
import { ReadOnlyQueue } from './read-only.js';
import { bcastHeartbeat, maybeCommit, sendAppendsTo, sendTimeoutNow } from './replication.js';
import { answerRead, failPendingReads, handleReadRequest, leaseTicksRemaining } from './read-index.js';
import { ReadyTracker } from './ready-tracker.js';
import { propose, proposeConfChange } from './proposals.js';
import { buildStatus } from './status.js';
import type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  Message,
  RaftStatus,
  ReadFailure,
  ReadState,
  Ready,
  Role,
  VoteMessage,
} from './types.js';

const NO_LEADER = null;

export class Raft {
  /** @internal */ readonly cfg: ResolvedRaftConfig;
  /** @internal */ readonly id: NodeId;
  /** @internal */ term: Term = toTerm(0);
  /** @internal */ vote: NodeId | null = null;
  /** @internal */ role: Role = 'follower';
  /** @internal */ leader: NodeId | null = NO_LEADER;
  /** @internal */ readonly log: RaftLog;
  /** @internal */ readonly conf: ConfHistory;
  /** @internal */ prs = new Map<NodeId, Progress>();
  /** @internal */ msgs: Message[] = [];
  /** @internal */ readStates: ReadState[] = [];
  /** @internal */ readFailures: ReadFailure[] = [];
  /** @internal */ readonly electionTimer: ElectionTimer;
  /** @internal */ heartbeatElapsed = 0;
  /** @internal */ leaderTicks = 0;
  /** @internal */ heartbeatSeq = 0;
  /** @internal */ votes: VoteTally = new VoteTally([]);
  /** @internal */ quorumActivity = new QuorumActivity();
  /** @internal */ lease: LeaderLease;
  /** @internal */ readonly transfer: LeadershipTransfer<NodeId>;
  /** @internal */ readOnly = new ReadOnlyQueue();
  /** Read requests that arrived before this leader committed an entry of its term. */
  /** @internal */ readsAwaitingTermCommit: { ctx: string; from: NodeId }[] = [];
  /** @internal */ pendingConfIndex: LogIndex = logIndex(0);
  /** @internal */ uncommittedBytes = 0;
  /** @internal */ needsBroadcast = false;
  /** A restarted node has no lease knowledge: it refuses to vote until one minimum timeout passed. */
  /** @internal */ isStartupQuiet: boolean;
  /** @internal */ readonly logger: Logger | undefined;

  private readonly readyTracker: ReadyTracker;

  constructor(config: RaftConfig) {
    this.cfg = resolveConfig(config);
    this.id = this.cfg.id;
    this.logger = this.cfg.logger;
    this.log = new RaftLog(this.cfg.storage, this.cfg.applied);
    const init = this.cfg.storage.initialState();
    this.term = init.hardState.term;
    this.vote = init.hardState.vote;
    this.conf = new ConfHistory(init.confState, logIndex(this.log.firstIndex() - 1));
    this.replayConfFromLog();
    this.electionTimer = new ElectionTimer(this.cfg.electionTicks, this.cfg.rng);
    this.transfer = new LeadershipTransfer<NodeId>(this.cfg.electionTicks);
    this.lease = new LeaderLease(0);
    // Only lease reads depend on it; elsewhere a quick first election matters more.
    this.isStartupQuiet = this.cfg.readOnlyOption === 'lease';
    this.resetProgress();
    this.readyTracker = new ReadyTracker(this);
  }

  private replayConfFromLog(): void {
    const first = this.log.firstIndex();
    const last = this.log.lastIndex();
    if (last < first) return;
    const ents = this.log.slice(first, logIndex(last + 1), Number.POSITIVE_INFINITY);
    assert(ents.ok, 'the stored log must be readable at start');
    this.conf.sync(ents.value, (i, t) => this.log.holdsEntry(i, toTerm(t)));
  }

  // ---------------------------------------------------------------- queries

  /** @internal */ voters(): readonly NodeId[] {
    return this.conf.current().voters;
  }

  /** @internal */ isPromotable(): boolean {
    return this.voters().includes(this.id);
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  status(): RaftStatus {
    return buildStatus(this);
  }

  /** The configuration in effect at log index i (for snapshots taken at the applied index). */
  confStateAt(i: LogIndex): ConfState {
    return this.conf.at(i);
  }

  /** True once this leader has committed an entry of its own term (the no-op). */
  /** @internal */ hasCommittedInTerm(): boolean {
    return this.log.zeroTermOnMiss(this.log.committed) === this.term;
  }

  // ---------------------------------------------------------------- transitions

  /** @internal */ send(m: Message): void {
    this.msgs.push(m);
  }

  private reset(t: Term): void {
    if (this.term !== t) {
      this.term = t;
      this.vote = null;
    }
    this.leader = NO_LEADER;
    this.electionTimer.reset();
    this.heartbeatElapsed = 0;
    this.transfer.abort();
    this.failPendingReads();
    this.resetProgress();
    this.uncommittedBytes = 0;
    this.needsBroadcast = false;
  }

  /** @internal */ resetProgress(): void {
    const conf = this.conf.current();
    const next = logIndex(this.log.lastIndex() + 1);
    const prs = new Map<NodeId, Progress>();
    for (const id of [...conf.voters, ...conf.learners]) {
      const pr = new Progress(next, conf.learners.includes(id), this.cfg.maxInflightMsgs, this.cfg.maxInflightBytes);
      if (id === this.id) pr.match = this.log.lastIndex();
      prs.set(id, pr);
    }
    this.prs = prs;
  }

  /** Bring the progress map in line with the configuration (after a conf change took effect). */
  /** @internal */ syncProgressToConf(): void {
    const conf = this.conf.current();
    const members = new Set([...conf.voters, ...conf.learners]);
    for (const id of [...this.prs.keys()]) if (!members.has(id)) this.prs.delete(id);
    for (const id of members) {
      const existing = this.prs.get(id);
      if (existing !== undefined) {
        existing.isLearner = conf.learners.includes(id);
        continue;
      }
      const pr = new Progress(logIndex(this.log.lastIndex() + 1), conf.learners.includes(id), this.cfg.maxInflightMsgs, this.cfg.maxInflightBytes);
      if (id === this.id) pr.match = this.log.lastIndex();
      this.prs.set(id, pr);
    }
    if (this.transfer.transferee !== null && !conf.voters.includes(this.transfer.transferee)) this.transfer.abort();
  }

  /** @internal */ becomeFollower(t: Term, leader: NodeId | null): void {
    this.reset(t);
    this.role = 'follower';
    this.leader = leader;
  }

  private becomePreCandidate(): void {
    assert(this.role !== 'leader', 'a leader cannot become a pre-candidate');
    // Pre-vote changes neither term nor vote: a node that cannot win disturbs nobody.
    this.failPendingReads();
    this.role = 'pre-candidate';
    this.leader = NO_LEADER;
    this.electionTimer.reset();
    this.votes = new VoteTally(this.voters());
  }

  private becomeCandidate(): void {
    assert(this.role !== 'leader', 'a leader cannot become a candidate');
    this.reset(toTerm(this.term + 1));
    this.vote = this.id;
    this.role = 'candidate';
    this.votes = new VoteTally(this.voters());
  }

  /** @internal */ becomeLeader(): void {
    assert(this.role !== 'follower', 'a follower must campaign before it leads');
    this.reset(this.term);
    this.role = 'leader';
    this.leader = this.id;
    this.leaderTicks = 0;
    this.heartbeatSeq = 0;
    this.quorumActivity.resetAll(this.voters(), 0);
    this.lease = new LeaderLease(this.cfg.readOnlyOption === 'lease' ? this.cfg.electionTicks - this.cfg.leaseDriftMarginTicks : 0);
    this.readOnly = new ReadOnlyQueue();
    // No membership change until an entry of this term commits: it may be that an earlier
    // leader's change is still in the uncommitted tail.
    this.pendingConfIndex = this.log.lastIndex();
    // The no-op: lets this term commit, and with it every earlier entry (Figure 8).
    this.appendEntries([{ term: this.term, index: logIndex(0), type: 'normal', data: new Uint8Array(0) }]);
    this.logger?.info('became leader', { id: this.id, term: this.term });
  }

  /** Start an election: a pre-vote round first when enabled, unless a transfer asked us to. */
  /** @internal */ startElection(isTransfer: boolean): void {
    if (!this.isPromotable()) return;
    if (this.cfg.preVote && !isTransfer) {
      this.becomePreCandidate();
      this.requestVotes('pre-vote', toTerm(this.term + 1), false);
    } else {
      this.becomeCandidate();
      this.requestVotes('vote', this.term, isTransfer);
    }
  }

  private requestVotes(type: 'vote' | 'pre-vote', voteTerm: Term, isTransfer: boolean): void {
    this.votes.record(this.id, true);
    if (this.evaluateTally()) return;
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const v of this.voters()) {
      if (v === this.id) continue;
      const m: VoteMessage = { type, from: this.id, to: v, term: voteTerm, lastIndex, lastTerm, isTransfer };
      this.send(m);
    }
  }

  /** Acts on the tally; returns true when the election ended (won or lost). */
  /** @internal */ evaluateTally(isTransfer = false): boolean {
    const r = this.votes.result();
    if (r === 'pending') return false;
    if (r === 'lost') {
      this.becomeFollower(this.term, NO_LEADER);
      return true;
    }
    if (this.role === 'pre-candidate') {
      this.becomeCandidate();
      this.requestVotes('vote', this.term, isTransfer);
    } else {
      this.becomeLeader();
    }
    return true;
  }

  /** Append entries to the leader's log, stamping term and index. */
  /** @internal */ appendEntries(ents: readonly Omit<Entry, 'index' | 'term'>[] | readonly Entry[]): Entry[] {
    let index = this.log.lastIndex();
    const stamped: Entry[] = ents.map((e) => ({ term: this.term, index: logIndex(++index), type: e.type, data: e.data }));
    this.log.append(stamped);
    for (const e of stamped) this.uncommittedBytes += e.data.length;
    this.conf.sync(stamped, (i, t) => this.log.holdsEntry(i, toTerm(t)));
    if (stamped.some((e) => e.type === 'conf-change')) this.syncProgressToConf();
    const self = this.prs.get(this.id);
    if (self !== undefined) self.maybeUpdate(this.log.lastIndex());
    // A single voter commits on its own append.
    maybeCommit(this);
    this.needsBroadcast = true;
    return stamped;
  }

  // ---------------------------------------------------------------- public API

  tick(): void {
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionTimer.tick();
    if (this.isStartupQuiet && !this.electionTimer.isWithinMinimumTimeout()) this.isStartupQuiet = false;
    if (this.isPromotable() && this.electionTimer.isExpired()) this.startElection(false);
  }

  private tickLeader(): void {
    this.leaderTicks++;
    this.heartbeatElapsed++;
    for (const [id, pr] of this.prs) {
      if (id === this.id) continue;
      pr.ticksSinceContact++;
      // A snapshot that was never acknowledged (lost, or the transport never reported) is retried.
      if (pr.state === 'snapshot' && ++pr.snapshotElapsedTicks > 3 * this.cfg.electionTicks) {
        pr.pendingSnapshot = logIndex(0);
        pr.becomeProbe();
      }
    }
    if (this.cfg.checkQuorum && !this.quorumActivity.hasQuorum(this.id, this.voters(), this.leaderTicks, this.cfg.electionTicks)) {
      this.logger?.warn('stepping down: no quorum heard within an election timeout', { id: this.id, term: this.term });
      this.becomeFollower(this.term, NO_LEADER);
      return;
    }
    this.transfer.tick();
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      bcastHeartbeat(this);
    }
    if (this.cfg.autoPromoteLearners) this.maybePromoteLearner();
  }

  private maybePromoteLearner(): void {
    if (this.pendingConfIndex > this.log.committed || !this.hasCommittedInTerm()) return;
    for (const id of this.conf.current().learners) {
      const pr = this.prs.get(id);
      if (pr === undefined || pr.match < this.log.committed || pr.ticksSinceContact > this.cfg.electionTicks) continue;
      this.proposeConfChange({ type: 'promote', node: id });
      return;
    }
  }

  /** Start an election now (a founding node may skip its first timeout). */
  campaign(): void {
    if (this.role === 'leader') return;
    this.startElection(false);
  }

  step(m: Message): void {
    if (m.to !== this.id) return;
    if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'pre-vote') {
        // In lease: we heard from a live leader within the minimum timeout (or just restarted
        // and cannot know): ignore, so a rejoining node cannot depose a healthy leader.
        const inLease =
          this.cfg.checkQuorum &&
          (this.leader !== NO_LEADER || this.isStartupQuiet) &&
          this.electionTimer.isWithinMinimumTimeout();
        if (inLease && !m.isTransfer) return;
      }
      if (m.type === 'pre-vote' || (m.type === 'pre-vote-resp' && !m.reject)) {
        // A pre-vote never changes terms; a granted pre-vote answer carries the future term.
      } else {
        const isFromLeader = m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot';
        this.becomeFollower(m.term, isFromLeader ? m.from : NO_LEADER);
      }
    } else if (m.term < this.term) {
      if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === 'append' || m.type === 'heartbeat')) {
        // A stale leader: tell it our term so it steps down (it may be cut off one way).
        this.send({ type: 'append-resp', from: this.id, to: m.from, term: this.term, reject: false, index: logIndex(0), hintIndex: logIndex(0), hintTerm: toTerm(0) });
      } else if (m.type === 'pre-vote') {
        this.send({ type: 'pre-vote-resp', from: this.id, to: m.from, term: this.term, reject: true });
      }
      return;
    }

    if (m.type === 'vote' || m.type === 'pre-vote') {
      this.handleVoteRequest(m);
      return;
    }
    switch (this.role) {
      case 'leader':
        stepLeader(this, m);
        return;
      case 'candidate':
      case 'pre-candidate':
        stepCandidate(this, m);
        return;
      case 'follower':
        stepFollower(this, m);
        return;
    }
  }

  private handleVoteRequest(m: VoteMessage): void {
    const decision = decideVote({
      isPreVote: m.type === 'pre-vote',
      requestTerm: m.term,
      voterTerm: this.term,
      votedFor: this.vote,
      knownLeader: this.leader,
      candidate: m.from,
      candidateLastTerm: m.lastTerm,
      candidateLastIndex: m.lastIndex,
      voterLastTerm: this.log.lastTerm(),
      voterLastIndex: this.log.lastIndex(),
      isInLeaderLease: false, // already handled before adopting the term
      isTransfer: m.isTransfer,
      ...(this.cfg.faults.skipVoteLogCheck === true ? { skipLogCheck: true } : {}),
    });
    const respType = m.type === 'vote' ? 'vote-resp' : 'pre-vote-resp';
    if (decision.kind === 'ignore') return;
    if (decision.kind === 'grant') {
      // A granted pre-vote answers in the candidate's future term so it can count it.
      this.send({ type: respType, from: this.id, to: m.from, term: m.term, reject: false });
      if (m.type === 'vote') {
        this.electionTimer.reset();
        this.vote = m.from;
      }
    } else {
      this.send({ type: respType, from: this.id, to: m.from, term: this.term, reject: true });
    }
  }

  propose(data: Uint8Array): Result<{ index: LogIndex; term: Term }, CofferError> {
    return propose(this, data);
  }

  proposeConfChange(cc: ConfChange): Result<{ index: LogIndex; term: Term }, CofferError> {
    return proposeConfChange(this, cc);
  }

  readIndex(ctx: string): void {
    if (this.role === 'leader') {
      this.handleReadRequest(ctx, this.id);
    } else if (this.leader !== NO_LEADER) {
      this.send({ type: 'read-index', from: this.id, to: this.leader, term: this.term, ctx });
    } else {
      this.readFailures.push({ ctx });
    }
  }

  /** @internal */ handleReadRequest(ctx: string, from: NodeId): void {
    handleReadRequest(this, ctx, from);
  }

  /** @internal */ answerRead(ctx: string, from: NodeId, index: LogIndex): void {
    answerRead(this, ctx, from, index);
  }

  /** @internal */ failPendingReads(): void {
    failPendingReads(this);
  }

  /** Ticks left on the leader's read lease (0 when none, disabled, or a transfer is running). */
  leaseTicksRemaining(): number {
    return leaseTicksRemaining(this);
  }

  transferLeadership(target: NodeId): Result<void, CofferError> {
    if (this.role !== 'leader') return err(cofferError('not-leader', 'only the leader can transfer leadership', ...(this.leader === null ? [] : [this.leader])));
    if (target === this.id) return ok(undefined);
    if (!this.voters().includes(target)) return err(cofferError('invalid-request', `${target} is not a voter`));
    if (this.transfer.transferee === target) return ok(undefined);
    this.transfer.start(target);
    const pr = this.prs.get(target);
    if (pr !== undefined && pr.match === this.log.lastIndex()) sendTimeoutNow(this, target);
    else sendAppendsTo(this, target, true); // even empty: it finds a gap from lost messages

    return ok(undefined);
  }

  reportUnreachable(peer: NodeId): void {
    const pr = this.prs.get(peer);
    if (this.role !== 'leader' || pr === undefined) return;
    if (pr.state === 'replicate') pr.becomeProbe();
  }

  reportSnapshot(peer: NodeId, isOk: boolean): void {
    const pr = this.prs.get(peer);
    if (this.role !== 'leader' || pr === undefined || pr.state !== 'snapshot') return;
    if (!isOk) pr.pendingSnapshot = logIndex(0);
    pr.becomeProbe();
    // Wait for the follower's answer to the snapshot before probing again.
    pr.isProbeSent = isOk;
  }

  // ---------------------------------------------------------------- Ready (ready-tracker.ts)

  hasReady(): boolean {
    return this.readyTracker.hasReady(this);
  }

  ready(): Ready {
    return this.readyTracker.ready(this);
  }

  advance(): void {
    this.readyTracker.advance(this);
  }
}
