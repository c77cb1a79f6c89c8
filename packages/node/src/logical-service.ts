/**
 * The node's logical front: one Vault request in, one Vault response out (the Handle RPC).
 *
 * - Per node (this node's seal state): seal-status, unseal, seal, health, leader, key-status, GET init.
 * - On the leader (a standby forwards, same request id, waiting through a leader change, bounded):
 *   PUT init (the barrier's writes, proposed as one txn guarded by "core/seal-config absent"),
 *   rotate (the leader draws the term, every node installs it on apply), rekey, and every other
 *   path through the secrets `Executor` (reads pass ReadIndex first).
 * - Operator endpoints (step-down, metrics, sys/storage/raft/*): sys-routes.ts.
 * - A sealed node serves nothing but the per-node endpoints (and raft join): 503 "Coffer is sealed".
 *
 * Dedup: every txn proposed for a request carries (client id, seq * 16 + attempt), so a request
 * retried on a new leader with the same id is answered from the dedup record if its txn already
 * applied (at most once), never applied twice.
 */
import { randomBytes } from 'node:crypto';
import { cofferError, err, ok, type CofferError, type Logger, type Result } from '@coffer/base';
import { KEYRING_PATH, SEAL_CONFIG_PATH, type Barrier, type CoreWrite } from '@coffer/barrier';
import {
  AuditBroker, AuditEngine, auditBuiltins, encodeTxn, Executor, KvV2Engine, SysMountsEngine, tokenDescriber, TransitEngine, withAudit,
  type Engine, type Proposer, type Txn, type TxnOutcome, type LogicalRequest,
} from '@coffer/secrets';
import type { NodeOps } from './node-ops.js';
import type { HandleRequest, HandleResponse } from './ports.js';
import type { NodeRuntime } from './runtime.js';
import { decodeOutcome, SEQ_STRIDE, STALE_REQUEST, txnPayload, type SecretsStateMachine } from './secrets-state-machine.js';
import { errorResponse, fromCofferError, health, keyStatus, leader, sealStatus, SEALED, UNINITIALIZED, unseal } from './sys-local.js';
import { leaderInit, leaderRekey, leaderRotate } from './sys-leader.js';
import { raftJoin } from './sys-join.js';
import { routeOperatorSys } from './sys-routes.js';
import { drRefusal, routeReplication } from './sys-dr.js';
import type { DrController } from './dr-controller.js';
import { unlessLeaderChanges } from './waiters.js';

const RETRYABLE: ReadonlySet<string> = new Set(['not-leader', 'no-leader', 'unavailable']);
/** Attempts per request id: the executor's conflict retries plus init/rotate/rekey (one each). */
export { SEQ_STRIDE };

export interface LogicalServiceDeps {
  readonly rt: NodeRuntime;
  readonly ops: NodeOps;
  readonly sm: SecretsStateMachine;
  readonly barrier: Barrier;
  readonly logger: Logger;
  /** Called after this node's init committed (auto-unseal: unseal at once). */
  readonly afterInit?: () => void;
  /** The node runs an auto-unseal seal (AWS KMS): init returns recovery shares. */
  readonly isAutoSeal?: boolean;
  readonly engines?: ReadonlyMap<string, Engine>;
  /**
   * This node's metrics for GET sys/metrics (implemented by @coffer/telemetry, wired by the CLI).
   * Absent: sys/metrics answers 404 "telemetry is not configured on this node".
   */
  readonly metrics?: (format: 'prometheus' | 'json') => Promise<{ contentType: string; body: Uint8Array }>;
  /** DR replication (sys/replication/*); absent: those paths answer 404 "not configured". */
  readonly dr?: DrController;
}

/** What a leader-side handler returns: a response, or a routing error the forwarder retries. */
export type LeaderResult = Result<HandleResponse, CofferError>;

export class LogicalService {
  private readonly engines: ReadonlyMap<string, Engine>;
  /** This node's audit devices, rebuilt from the replicated config (`core/audit/devices`). */
  readonly auditBroker: AuditBroker;
  private readonly auditEngine = new AuditEngine();
  private activeSinceMs: number | undefined;

  constructor(readonly deps: LogicalServiceDeps) {
    this.engines = deps.engines ?? new Map<string, Engine>([['kv', new KvV2Engine()], ['transit', new TransitEngine()]]);
    this.auditBroker = new AuditBroker({
      onDeviceError: (device, code) => deps.logger.error('audit device cannot write', { device, code: String(code) }),
    });
    // Rotation: every unsealed node installs the applied keyring (a sealed one reads it at unseal).
    // A keyring this node cannot follow (a snapshot restore brought an older or another cluster's
    // keyring) must not stay in use: new records would be sealed under terms the store lacks. So
    // the node seals; unsealing reads the restored keyring with the restored state's keys.
    deps.sm.onCoreWrite((path, value) => {
      if (path !== KEYRING_PATH || deps.barrier.isSealed()) return;
      const r = deps.barrier.applyKeyring(value);
      if (r.ok) return;
      deps.barrier.seal();
      deps.logger.warn('the replicated keyring differs from this node\'s (snapshot restore?): sealed; unseal with the restored state\'s keys', { kind: r.error.kind });
    });
  }

  /** Err only for routing failures (forwarded to a non-leader, no leader in time, stopping). */
  async handle(req: HandleRequest, isForwarded: boolean): Promise<LeaderResult> {
    const { rt, barrier } = this.deps;
    if (rt.roleNow() === 'leader') this.activeSinceMs ??= rt.now();
    else this.activeSinceMs = undefined;
    const path = req.path.replace(/^\/+/, '');
    const op = req.operation;
    const write = op === 'update' || op === 'create';
    switch (path) {
      case 'sys/seal-status':
        return ok(await sealStatus(barrier));
      case 'sys/unseal':
        return ok(write ? await unseal(barrier, req) : errorResponse(405, 'unsupported operation'));
      case 'sys/health':
        return ok(await health(rt, barrier, req, this.deps.sm.drState().mode));
      case 'sys/leader':
        return ok(leader(rt, barrier, this.activeSinceMs));
      case 'sys/seal': {
        if (!write) return ok(errorResponse(405, 'unsupported operation'));
        if (barrier.isSealed()) return ok({ status: 204 });
        const denied = await this.requireRoot(req);
        if (denied !== undefined) return ok(denied);
        barrier.seal();
        this.deps.logger.warn('sealed by operator request');
        return ok({ status: 204 });
      }
      case 'sys/storage/raft/join':
        // On the node that joins: fresh, so uninitialized and sealed (Vault: unauthenticated).
        return ok(write ? await raftJoin(this, req) : errorResponse(405, 'unsupported operation: POST sys/storage/raft/join'));
      case 'sys/init':
        if (op === 'read') return ok({ status: 200, body: { initialized: this.deps.sm.get(SEAL_CONFIG_PATH) !== undefined } });
        return this.onLeader(req, isForwarded, () => leaderInit(this, req), true);
      default:
        break;
    }
    // DR replication: status unauthenticated and the secondary's calls work sealed (sys-dr.ts).
    const replication = routeReplication(this, req, path, isForwarded);
    if (replication !== undefined) return replication;
    const initialized = this.deps.sm.get(SEAL_CONFIG_PATH) !== undefined;
    if (!initialized) return ok(UNINITIALIZED());
    if (barrier.isSealed()) return ok(SEALED());
    // A DR secondary serves no client path; a fenced DR primary refuses writes.
    const drRefused = drRefusal(this.deps.sm.drState(), path, op);
    if (drRefused !== undefined) return ok(drRefused);
    if (path === 'sys/key-status') {
      const denied = await this.requireRoot(req);
      return ok(denied ?? keyStatus(barrier));
    }
    if (path === 'sys/rotate' || path === 'sys/rotate/keyring') {
      if (!write) return ok(errorResponse(405, 'unsupported operation'));
      const denied = await this.requireRoot(req);
      if (denied !== undefined) return ok(denied);
      return this.onLeader(req, isForwarded, () => leaderRotate(this, req), true);
    }
    if (path.startsWith('sys/rekey/')) return this.onLeader(req, isForwarded, () => leaderRekey(this, req, path.slice('sys/rekey/'.length)));
    const operator = routeOperatorSys(this, req, path, isForwarded);
    if (operator !== undefined) return operator;
    return this.onLeader(req, isForwarded, () => this.execute(req), true);
  }

  /**
   * sys/seal, sys/rotate, sys/key-status and the operator endpoints need a root token (Vault: sudo). The token is looked
   * up through the token store on the leader (forwarded from a standby) under a fresh request id.
   * Undefined = allowed; otherwise the 403 to answer.
   */
  async requireRoot(req: HandleRequest): Promise<HandleResponse | undefined> {
    return this.requireToken(req, true);
  }

  /** Any valid token (`isRootRequired`: one with the root policy). Undefined = allowed; else the 403. */
  async requireToken(req: HandleRequest, isRootRequired = false): Promise<HandleResponse | undefined> {
    const denied = errorResponse(403, 'permission denied');
    if (req.token === '') return denied;
    const lookup: HandleRequest = { requestId: { clientId: randomBytes(16).toString('hex'), seq: 1 }, operation: 'read', path: 'auth/token/lookup-self', body: undefined, query: {}, token: req.token };
    const r = await this.onLeader(lookup, false, () => this.execute(lookup), true);
    if (!r.ok) return fromCofferError(r.error);
    if (r.value.status !== 200) return denied;
    if (!isRootRequired) return undefined;
    const policies = (r.value.body as { data?: { policies?: unknown } } | undefined)?.data?.policies;
    return Array.isArray(policies) && policies.includes('root') ? undefined : denied;
  }

  /**
   * Runs `fn` on the leader; a standby forwards (once), waiting through leader changes, bounded.
   * `isRetrySafe`: running `fn` again on a new leader under the same request id cannot do it twice
   * (its writes are txns answered from the dedup record, or init's cached answer). Only then may a
   * forward hanging on a replaced leader be abandoned and retried; a step-down or a membership
   * change is not (a retried step-down would hand leadership straight back).
   */
  async onLeader(req: HandleRequest, isForwarded: boolean, fn: () => Promise<LeaderResult>, isRetrySafe = false): Promise<LeaderResult> {
    const { rt, ops } = this.deps;
    const deadline = performance.now() + ops.requestTimeoutMs;
    let lastError: CofferError = cofferError('no-leader', 'no leader elected yet; retry later');
    // With no leader in sight for about two (randomized, so 2 x 2T) election timeouts, answer now
    // (Vault: 500 "active cluster node not found") instead of holding the client for the whole
    // request timeout: a node cut off from the majority never learns of one.
    const noLeaderLimitMs = 4 * rt.electionTimeoutMs;
    let noLeaderSinceMs: number | undefined;
    for (let attempt = 0; attempt < 1000 && performance.now() < deadline; attempt++) {
      if (rt.isStopped) return err(cofferError('unavailable', 'node is stopping'));
      rt.catchUpTicks();
      const leaderId = rt.leaderNow();
      if (leaderId === null) {
        noLeaderSinceMs ??= performance.now();
        if (performance.now() - noLeaderSinceMs > noLeaderLimitMs) break;
      } else noLeaderSinceMs = undefined;
      let r: LeaderResult;
      if (rt.roleNow() === 'leader') {
        r = await fn();
        // The read barrier already waited (bounded) for a leader that never came: answer now.
        if (!r.ok && r.error.kind === 'no-leader' && rt.leaderNow() === null) return r;
      } else if (isForwarded) {
        return err(ops.notLeader());
      } else if (leaderId !== null && leaderId !== rt.id) {
        const address = rt.peers.get(leaderId);
        const forward = rt.deps.forwarder.handle?.bind(rt.deps.forwarder);
        if (address === undefined || forward === undefined) return err(cofferError('unavailable', `cannot reach leader ${leaderId}`));
        const call = forward(address, req, deadline - performance.now());
        const forwarded = isRetrySafe ? await unlessLeaderChanges(rt.leaderChange, () => rt.leaderNow(), leaderId, call, deadline) : await call;
        // Undefined: another leader appeared while the forward hung (frozen or cut-off leader): retry there.
        r = forwarded ?? err(cofferError('not-leader', `leader ${leaderId} was replaced while the request waited on it`));
      } else {
        r = err(cofferError('no-leader', 'no leader elected yet; retry later'));
      }
      if (r.ok || !RETRYABLE.has(r.error.kind)) return r;
      lastError = r.error;
      if (rt.leaderNow() !== leaderId && rt.leaderNow() !== null) continue;
      await rt.leaderChange.wait(Math.min(deadline - performance.now(), rt.electionTimeoutMs / 2));
    }
    if (noLeaderSinceMs !== undefined) return err(cofferError('no-leader', `no leader known for ${noLeaderLimitMs} ms: local node not active but active cluster node not found`));
    return err(lastError.kind === 'no-leader' ? lastError : cofferError('timeout', `request not answered in ${ops.requestTimeoutMs} ms: ${lastError.message}`));
  }

  /** A proposer bound to one request id: attempt k proposes with seq * SEQ_STRIDE + k. */
  proposerFor(req: HandleRequest, firstSlot = 0): Proposer & { readonly routingError: () => CofferError | undefined } {
    let attempt = firstSlot;
    let routing: CofferError | undefined;
    return {
      routingError: () => routing,
      propose: async (txn: Txn) => {
        const seq = req.requestId.seq * SEQ_STRIDE + Math.min(attempt, SEQ_STRIDE - 1);
        attempt += 1;
        const r = await this.proposeTxn(txn, { clientId: req.requestId.clientId, seq });
        if (!r.ok && RETRYABLE.has(r.error.kind)) routing = r.error;
        return r;
      },
    };
  }

  async proposeTxn(txn: Txn, requestId: { clientId: string; seq: number }): Promise<Result<{ index: number; outcome: TxnOutcome }>> {
    const { ops, rt } = this.deps;
    const deadline = performance.now() + ops.requestTimeoutMs;
    const r = await ops.proposeLocal({ kind: 'command', command: { requestId, payload: txnPayload(encodeTxn(txn)) } }, deadline);
    if (!r.ok) return r;
    const outcome = decodeOutcome(r.value);
    if (!outcome.ok && outcome.kind === 'malformed' && outcome.message === STALE_REQUEST) {
      return err(cofferError('invalid-request', 'stale request id: send one request at a time per client_id, with a growing seq'));
    }
    return ok({ index: rt.appliedNow(), outcome });
  }

  /** Proposes barrier writes as one txn (puts only), with optional checks. */
  proposeCoreWrites(req: HandleRequest, writes: readonly CoreWrite[], checks: Txn['checks'], slot: number): Promise<Result<{ index: number; outcome: TxnOutcome }>> {
    const txn: Txn = { checks, ops: writes.map((w) => ({ put: w.path, value: w.value })), leaderTimeMs: this.deps.rt.now() };
    return this.proposeTxn(txn, { clientId: req.requestId.clientId, seq: req.requestId.seq * SEQ_STRIDE + slot });
  }

  /** An executor whose proposals carry this request's id (fresh per request: it holds no state). */
  executorFor(req: HandleRequest, firstSlot = 0): { executor: Executor; routingError: () => CofferError | undefined } {
    const { sm, barrier } = this.deps;
    const proposer = this.proposerFor(req, firstSlot);
    const executor = new Executor({
      reader: { get: (p) => sm.get(p), listChildren: (p) => sm.listChildren(p) },
      crypter: barrier,
      proposer,
      engines: this.engines,
      builtins: new Map<string, Engine>([...auditBuiltins(this.auditEngine), ['sys/', new SysMountsEngine(new Set(this.engines.keys()))]]),
      nowMs: () => this.deps.rt.now(),
      randomId: () => randomBytes(16).toString('hex'),
    });
    return { executor, routingError: proposer.routingError };
  }

  private async execute(req: HandleRequest): Promise<LeaderResult> {
    if (req.operation === 'read' || req.operation === 'list') {
      const b = await this.deps.ops.readBarrier();
      if (!b.ok) return b;
    }
    const { executor, routingError } = this.executorFor(req);
    const logical: LogicalRequest = {
      operation: req.operation,
      path: req.path,
      ...(req.body !== undefined ? { data: req.body } : {}),
      query: req.query,
      ...(req.token !== '' ? { token: req.token } : {}),
    };
    // Every request and response is audited (fail closed when devices exist but none can write).
    const reader = { get: (p: string) => this.deps.sm.get(p), listChildren: (p: string) => this.deps.sm.listChildren(p) };
    const audited = withAudit(executor, this.auditBroker, {
      source: { reader, crypter: this.deps.barrier },
      describeToken: tokenDescriber(reader, this.deps.barrier),
    });
    const res = await audited.execute(logical);
    const routing = routingError();
    // Leadership was lost mid-request: let the forwarder retry on the next leader, same id.
    if (routing !== undefined && res.status >= 500) return err(routing);
    return ok(res.body === undefined ? { status: res.status } : { status: res.status, body: res.body });
  }

  badRequest(message: string): LeaderResult {
    return ok(errorResponse(400, message));
  }

  fail(e: CofferError): LeaderResult {
    return ok(fromCofferError(e));
  }
}
