/**
 * Client operations on a running node: propose (local on the leader, forwarded by a follower),
 * linearizable reads (ReadIndex, followers too), membership, leadership transfer and a graceful
 * stop. Every operation is bounded by a deadline; waits during a leader change are bounded by
 * about two election timeouts.
 */
import { cofferError, err, ok, type CofferError, type LogIndex, type NodeId, type Result } from '@coffer/base';
import type { ConfChange } from '@coffer/raft';
import { encodeEnvelope, type Envelope } from './envelope.js';
import type { Command } from './ports.js';
import type { NodeRuntime } from './runtime.js';
import { unlessLeaderChanges } from './waiters.js';

export interface ProposeOutcome {
  readonly result: Uint8Array;
}

export interface ReadOutcome {
  readonly value: Uint8Array;
  readonly index: LogIndex;
}

/** Errors after which a retry (same request id) may succeed once a leader is known. */
const RETRYABLE: ReadonlySet<string> = new Set(['not-leader', 'no-leader', 'unavailable']);

export class NodeOps {
  constructor(private readonly rt: NodeRuntime) {}

  /** How long a request may wait through a leader change before it answers `timeout`/`no-leader`. */
  get requestTimeoutMs(): number {
    return Math.max(2000, 4 * this.rt.electionTimeoutMs);
  }

  /**
   * Proposes a client command. On a follower it forwards to the leader (once: a forwarded request
   * that reaches a non-leader answers not-leader so the forwarder retries); the request id makes a
   * retry apply at most once.
   */
  async propose(command: Command, isForwarded: boolean): Promise<Result<ProposeOutcome>> {
    const deadline = performance.now() + this.requestTimeoutMs;
    let lastError: CofferError = cofferError('no-leader', 'no leader elected yet; retry later');
    for (let attempt = 0; attempt < 1000 && performance.now() < deadline; attempt++) {
      if (this.rt.isStopped) return err(cofferError('unavailable', 'node is stopping', this.rt.leaderNow() ?? undefined));
      this.rt.catchUpTicks();
      const leader = this.rt.leaderNow();
      let r: Result<Uint8Array>;
      if (this.rt.roleNow() === 'leader') {
        r = await this.proposeLocal({ kind: 'command', command }, deadline);
      } else if (isForwarded) {
        return err(this.notLeader());
      } else if (leader !== null && leader !== this.rt.id) {
        const address = this.rt.peers.get(leader);
        if (address === undefined) return err(cofferError('unavailable', `no address known for leader ${leader}`));
        const forward = this.rt.deps.forwarder.propose(address, { requestId: command.requestId, payload: command.payload }, deadline - performance.now());
        // A frozen or cut-off leader keeps the forward hanging: give up on it when another leader appears.
        r = (await unlessLeaderChanges(this.rt.leaderChange, () => this.rt.leaderNow(), leader, forward, deadline)) ?? err(cofferError('not-leader', `leader ${leader} was replaced while the proposal waited on it`));
      } else {
        r = err(cofferError('no-leader', 'no leader elected yet; retry later'));
      }
      if (r.ok) return ok({ result: r.value });
      lastError = r.error;
      if (!RETRYABLE.has(r.error.kind)) return r;
      // The leader may already have changed while we waited (a transfer): retry at once then.
      if (this.rt.leaderNow() !== leader && this.rt.leaderNow() !== null) continue;
      // Otherwise wait for the next leader/role change, but re-check now and then: a forwarding
      // failure (dead leader) shows no change until the election completes.
      await this.rt.leaderChange.wait(Math.min(deadline - performance.now(), this.rt.electionTimeoutMs / 2));
    }
    return err(lastError.kind === 'no-leader' ? lastError : cofferError('timeout', `request not answered in ${this.requestTimeoutMs} ms: ${lastError.message}`));
  }

  /** On the leader: propose and wait until the entry applies (with this term) or the deadline. */
  async proposeLocal(envelope: Envelope, deadline: number): Promise<Result<Uint8Array>> {
    const r = this.rt.deps.raft.propose(encodeEnvelope(envelope));
    if (!r.ok) return r;
    this.rt.kick();
    const waiting = this.rt.pending.wait(r.value.index, r.value.term);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - performance.now()));
    });
    const outcome = await Promise.race([waiting, expired]);
    clearTimeout(timer);
    return outcome ?? err(cofferError('timeout', `entry ${r.value.index} not applied in time`));
  }

  /** A linearizable read goes through ReadIndex (the core forwards it to the leader on a follower). */
  async read(query: Uint8Array, isLinearizable: boolean): Promise<Result<ReadOutcome>> {
    const sm = this.rt.deps.stateMachine;
    if (isLinearizable) {
      const b = await this.readBarrier();
      if (!b.ok) return b;
    }
    const v = sm.query(query);
    return v.ok ? ok({ value: v.value, index: this.rt.appliedNow() }) : v;
  }

  /**
   * ReadIndex: resolves once this node has applied everything committed when the read arrived,
   * as confirmed by a quorum (no lease). What this node then reads is linearizable.
   */
  async readBarrier(): Promise<Result<LogIndex>> {
    const deadline = performance.now() + this.requestTimeoutMs;
    // As LogicalService.onLeader: no leader in sight for ~2 election timeouts answers at once (a
    // node cut off from the majority never learns of one).
    let noLeaderSinceMs: number | undefined;
    for (let attempt = 0; attempt < 1000 && performance.now() < deadline; attempt++) {
      if (this.rt.isStopped) return err(cofferError('unavailable', 'node is stopping'));
      this.rt.catchUpTicks(true);
      if (this.rt.leaderNow() === null) {
        noLeaderSinceMs ??= performance.now();
        if (performance.now() - noLeaderSinceMs > 4 * this.rt.electionTimeoutMs) {
          return err(cofferError('no-leader', `no leader known for ${4 * this.rt.electionTimeoutMs} ms: the read cannot be confirmed`));
        }
        await this.rt.leaderChange.wait(Math.min(deadline - performance.now(), this.rt.electionTimeoutMs));
        continue;
      }
      noLeaderSinceMs = undefined;
      const ctx = this.rt.nextReadCtx();
      const confirmed = this.rt.reads.wait(ctx, Math.min(deadline - performance.now(), this.rt.electionTimeoutMs));
      this.rt.deps.raft.readIndex(ctx);
      this.rt.kick();
      const index = await confirmed;
      if (index === undefined) {
        await this.rt.leaderChange.wait(Math.min(deadline - performance.now(), this.rt.electionTimeoutMs / 4));
        continue;
      }
      const reached = await this.rt.applied.waitFor(index, this.rt.appliedNow(), deadline - performance.now());
      if (!reached) break;
      return ok(this.rt.appliedNow());
    }
    return err(cofferError('timeout', `read not confirmed in ${this.requestTimeoutMs} ms`));
  }

  async addLearner(id: NodeId, address: string): Promise<Result<LogIndex>> {
    if (this.rt.roleNow() !== 'leader') return err(this.notLeader());
    const deadline = performance.now() + this.requestTimeoutMs;
    // The address first, so that every member can reach the learner once it is in the config.
    const a = await this.proposeLocal({ kind: 'peer-address', id, address }, deadline);
    if (!a.ok) return a;
    return this.changeMembership({ type: 'add-learner', node: id }, deadline);
  }

  promote(id: NodeId): Promise<Result<LogIndex>> {
    return this.changeMembership({ type: 'promote', node: id }, performance.now() + this.requestTimeoutMs);
  }

  remove(id: NodeId): Promise<Result<LogIndex>> {
    return this.changeMembership({ type: 'remove', node: id }, performance.now() + this.requestTimeoutMs);
  }

  private async changeMembership(change: ConfChange, deadline: number): Promise<Result<LogIndex>> {
    const raft = this.rt.deps.raft;
    if (this.rt.roleNow() !== 'leader') return err(this.notLeader());
    let r = raft.proposeConfChange(change);
    // 'unavailable' is transient: a new leader has not yet committed an entry of its term, or a
    // previous change is still uncommitted (typical right after a leadership transfer). Wait for
    // this leader to apply its log, then retry (bounded in count and by the deadline).
    for (let attempt = 0; attempt < 5 && !r.ok && r.error.kind === 'unavailable' && performance.now() < deadline; attempt++) {
      const target = raft.status().lastIndex;
      const remainingMs = deadline - performance.now();
      if (this.rt.appliedNow() < target) await this.rt.applied.waitFor(target, this.rt.appliedNow(), remainingMs);
      else await this.rt.leaderChange.wait(Math.min(remainingMs, this.rt.electionTimeoutMs / 2));
      if (this.rt.roleNow() !== 'leader') return err(this.notLeader());
      r = raft.proposeConfChange(change);
    }
    if (!r.ok) return r;
    this.rt.kick();
    const index = r.value.index;
    const reached = await this.rt.applied.waitFor(index, this.rt.appliedNow(), deadline - performance.now());
    return reached ? ok(index) : err(cofferError('timeout', `membership change at ${index} not applied in time`));
  }

  /** Transfers leadership to `target` (or the most up-to-date voter) and waits, bounded, for it. */
  async transferLeadership(target: NodeId | null, timeoutMs = 2 * this.rt.electionTimeoutMs): Promise<Result<NodeId>> {
    const raft = this.rt.deps.raft;
    if (this.rt.roleNow() !== 'leader') return err(this.notLeader());
    const to = target ?? this.bestTransferTarget();
    if (to === null) return err(cofferError('unavailable', 'no other voter to transfer leadership to'));
    const r = raft.transferLeadership(to);
    if (!r.ok) return r;
    this.rt.kick();
    const deadline = performance.now() + timeoutMs;
    while (this.rt.roleNow() === 'leader' && performance.now() < deadline) {
      await this.rt.leaderChange.wait(deadline - performance.now());
    }
    return this.rt.roleNow() === 'leader' ? err(cofferError('timeout', `transfer to ${to} did not complete`)) : ok(to);
  }

  /** The voter with the highest match index (ties: most recent contact). */
  bestTransferTarget(): NodeId | null {
    const st = this.rt.deps.raft.status();
    let best: { id: NodeId; match: number; contact: number } | null = null;
    for (const p of st.progress) {
      if (p.isLearner || p.id === this.rt.id) continue;
      if (best === null || p.match > best.match || (p.match === best.match && p.ticksSinceContact < best.contact)) {
        best = { id: p.id, match: p.match, contact: p.ticksSinceContact };
      }
    }
    return best?.id ?? null;
  }

  /** SIGTERM: hand leadership over first (bounded), then stop cleanly. */
  async gracefulStop(): Promise<void> {
    if (this.rt.roleNow() === 'leader' && this.rt.deps.raft.status().confState.voters.length > 1) {
      const r = await this.transferLeadership(null);
      this.rt.deps.logger.info('leadership handed over before stop', { ok: r.ok, to: r.ok ? r.value : '' });
    }
    await this.rt.stop();
  }

  notLeader(): CofferError {
    const leader = this.rt.leaderNow();
    return cofferError('not-leader', leader === null ? 'no leader known' : `leader is ${leader}`, leader ?? undefined);
  }
}
