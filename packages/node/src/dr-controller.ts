/**
 * DR replication on one node (issue 7): the pieces of @coffer/dr-replication wired to this node's
 * raft and state machine, and the background work the cluster's LEADER does for its DR role.
 *
 * - Every node serves the DR primary service (mounted on its cluster port by the server); only
 *   the leader answers, the others hint at it.
 * - On a DR secondary, the leader runs the `DrStreamer`, pulling the primary's committed entries
 *   into this cluster's raft (RaftEntrySink). `reconcile` (every `reconcileIntervalMs`, and
 *   right after a DR command applies here) starts it on the leader of a secondary that follows
 *   a primary, and stops it on leadership loss, promote, disable or a new link: whatever the
 *   DR record and the role say now is what runs. A stopped streamer has no apply in flight.
 * - On a promoted primary, the leader tells the former primary it is superseded
 *   (NotifyNewerPrimary) until it answers: a returning old primary fences itself (refuses writes)
 *   within one `notifyIntervalMs` of both being up.
 *
 * The secondary credential lives in the cluster-local DR record and is never logged.
 */
import { randomBytes } from 'node:crypto';
import { SeededRng, type Clock, type Logger } from '@coffer/base';
import type { Barrier } from '@coffer/barrier';
import {
  buildDrStatus,
  DrPrimaryServer,
  DrStreamer,
  hashSecret,
  notifyOldPrimary,
  OperationTokenGenerator,
  systemClock,
  type DrState,
  type DrStatus,
  type DrStreamerOptions,
  type DrTlsOptions,
  type RandomBytes,
  type SecondaryStreamState,
} from '@coffer/dr-replication';
import { RaftEntrySink } from './dr-entry-sink.js';
import { RaftEntrySource } from './dr-entry-source.js';
import { RaftDrPrimaryNode } from './dr-primary-node.js';
import { DrProposer } from './dr-propose.js';
import type { NodeOps } from './node-ops.js';
import type { NodeRuntime } from './runtime.js';
import type { SecretsStateMachine } from './secrets-state-machine.js';

export interface DrControllerDeps {
  readonly rt: NodeRuntime;
  readonly ops: NodeOps;
  readonly sm: SecretsStateMachine;
  readonly barrier: Barrier;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Mutual TLS for the DR channels (the cluster's certificates); absent: plaintext (loopback/dev). */
  readonly tls?: DrTlsOptions;
  readonly reconcileIntervalMs?: number;
  readonly notifyIntervalMs?: number;
  readonly streamer?: Pick<Partial<DrStreamerOptions>, 'reconnectInitialMs' | 'reconnectMaxMs' | 'idleTimeoutMs' | 'maxBatchBytes'>;
}

export class DrController {
  readonly proposer: DrProposer;
  readonly source: RaftEntrySource;
  readonly primaryNode: RaftDrPrimaryNode;
  readonly sink: RaftEntrySink;
  readonly server: DrPrimaryServer;
  /** DR operation token generation (generate-root style); in memory on the node that runs it (the leader). */
  readonly tokens: OperationTokenGenerator;
  readonly clock: Clock;
  /** Cryptographic random bytes: tokens, nonces, credentials. */
  readonly random: RandomBytes = (n) => new Uint8Array(randomBytes(n));
  private streaming: { readonly key: string; readonly streamer: DrStreamer } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> | undefined;
  private isStopped = false;
  private lastNotifyAtMs = Number.NEGATIVE_INFINITY;
  private lastNotifyError: string | undefined;
  private readonly rng = new SeededRng(randomBytes(4).readUInt32BE(0));

  constructor(readonly deps: DrControllerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.proposer = new DrProposer(deps.rt, deps.ops);
    this.source = new RaftEntrySource(deps.rt, deps.sm);
    this.primaryNode = new RaftDrPrimaryNode({ rt: deps.rt, sm: deps.sm, proposer: this.proposer });
    this.sink = new RaftEntrySink(deps.sm, this.proposer);
    this.server = new DrPrimaryServer({ node: this.primaryNode, source: this.source, clock: this.clock, logger: deps.logger });
    this.tokens = new OperationTokenGenerator((shares) => deps.barrier.verifyShares(shares), this.random);
  }

  start(): void {
    this.timer = setInterval(() => void this.reconcile(), this.deps.reconcileIntervalMs ?? 200);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.server.close();
    await this.reconciling;
    const s = this.streaming;
    this.streaming = undefined;
    await s?.streamer.stop();
  }

  state(): DrState {
    return this.deps.sm.drState();
  }

  /** sys/replication/dr/status on this node (the streamer's numbers only on the secondary's leader). */
  status(): DrStatus {
    const position = this.deps.sm.drPosition();
    return buildDrStatus({
      state: this.state(),
      lastIndex: this.source.lastIndex(),
      connections: this.server.connections(),
      ...(this.streaming === undefined ? {} : { streamer: this.streaming.streamer.status() }),
      lastAppliedPrimaryIndex: position?.lastAppliedPrimaryIndex ?? 0,
    });
  }

  /** The DR addresses of this cluster's members (their cluster ports, where the DR service is mounted). */
  drAddresses(): string[] {
    return [...this.deps.rt.peers.all().values()];
  }

  /** Brings what runs in line with the DR record and this node's role. One at a time. */
  reconcile(): Promise<void> {
    this.reconciling ??= this.reconcileOnce().finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    if (this.isStopped) return;
    const { rt } = this.deps;
    const state = this.state();
    const isLeader = !rt.isStopped && rt.roleNow() === 'leader';
    const wanted = isLeader && state.mode === 'secondary' && state.primary !== undefined ? linkKey(state) : undefined;
    if (this.streaming !== undefined && this.streaming.key !== wanted) {
      const s = this.streaming;
      this.streaming = undefined;
      await s.streamer.stop();
      this.deps.logger.info('dr streaming stopped', { reason: isLeader ? 'the DR record changed' : 'not the leader' });
    }
    if (wanted !== undefined && this.streaming === undefined && state.mode === 'secondary' && state.primary !== undefined) {
      const streamer = new DrStreamer({
        link: state.primary,
        epoch: state.epoch,
        sink: this.sink,
        clock: this.clock,
        rng: this.rng,
        logger: this.deps.logger,
        ...(this.deps.tls === undefined ? {} : { tls: this.deps.tls }),
        ...this.deps.streamer,
        onStateChange: (s) => void this.recordStreamState(s),
      });
      this.streaming = { key: wanted, streamer };
      streamer.start();
      this.deps.logger.info('dr streaming started', { primary: state.primary.primaryClusterId, secondaryId: state.primary.secondaryId });
    }
    if (isLeader && state.mode === 'primary' && state.formerPrimary !== undefined) await this.notifyFormerPrimary(state);
  }

  /** The record keeps the substate too (any node's status shows it); only changes are proposed. */
  private async recordStreamState(streamState: SecondaryStreamState): Promise<void> {
    const s = this.state();
    if (s.mode !== 'secondary' || s.streamState === streamState || this.deps.rt.roleNow() !== 'leader') return;
    const r = await this.primaryNode.propose({ kind: 'set-stream-state', streamState });
    if (!r.ok) this.deps.logger.debug('dr stream state not recorded', { kind: r.error.kind });
  }

  private async notifyFormerPrimary(state: DrState & { readonly mode: 'primary' }): Promise<void> {
    const former = state.formerPrimary;
    const nowMs = this.clock.monotonicMs();
    if (former === undefined || nowMs - this.lastNotifyAtMs < (this.deps.notifyIntervalMs ?? 1_000)) return;
    this.lastNotifyAtMs = nowMs;
    const r = await notifyOldPrimary(
      {
        oldPrimaryClusterId: former.primaryClusterId,
        oldPrimaryAddresses: former.primaryAddresses,
        secondaryId: former.secondaryId,
        credential: former.credential,
        newEpoch: state.epoch,
        newPrimaryClusterId: state.clusterId,
        newPrimaryAddresses: this.drAddresses(),
      },
      { ...(this.deps.tls === undefined ? {} : { tls: this.deps.tls }), deadlineMs: 2_000 },
    );
    if (!r.ok) {
      // Expected for as long as the old primary's site is down: say so once per distinct reason.
      if (r.error.message !== this.lastNotifyError) this.deps.logger.warn('the former DR primary was not told it is superseded yet; retrying', { primary: former.primaryClusterId, reason: r.error.message });
      this.lastNotifyError = r.error.message;
      return;
    }
    this.deps.logger.info('the former DR primary knows it is superseded', { primary: former.primaryClusterId, fenced: r.value.fenced });
    const forgot = await this.primaryNode.propose({ kind: 'forget-former-primary' });
    if (!forgot.ok) this.deps.logger.debug('former primary not forgotten yet', { kind: forgot.error.kind });
  }
}

/** What identifies a link: a change of any part restarts the streamer. No secret in it. */
function linkKey(s: DrState & { readonly mode: 'secondary' }): string {
  const p = s.primary;
  return p === undefined ? '' : `${p.primaryClusterId}|${p.secondaryId}|${s.epoch}|${p.primaryAddresses.join(',')}|${hashSecret(p.credential)}`;
}
