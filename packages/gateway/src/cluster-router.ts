/**
 * `ClusterRouter`: the gateway's HandleBackend over a set of node API addresses. Stateless apart
 * from caches: the leader it believes in, one gRPC channel per node, and the request-id pool.
 *
 * - Each call goes to the believed leader (any node would do: a standby forwards, but that costs
 *   a hop), or to the next node in turn when no leader is known.
 * - A routing failure (unreachable node, no leader, node stopping, deadline) starts a bounded
 *   failover window (`failoverWindowMs`, about two election timeouts by default): the router asks
 *   every node's Status for the leader and retries the SAME request id on it, so a write applied
 *   before the failure is answered from the node's dedup record, never applied twice.
 * - Only when no node answers within the window does the call fail (the edge answers 500/503).
 *
 * Invariant: a request id is lent to one call at a time and returned only when that call settled.
 */
import { cofferError, err, type CofferError, type Logger, nullLogger, type Result } from '@coffer/base';
import type { HandleBackend, LogicalAnswer, LogicalCall } from './backend.js';
import type { NodeStatus } from './node-handle-client.js';
import { RequestIdPool, type RequestId } from './request-id-pool.js';

/** What the router needs of one node (NodeHandleClient in production, fakes in tests). */
export interface NodeConnection {
  handle(call: LogicalCall, id: RequestId, timeoutMs: number): Promise<Result<LogicalAnswer>>;
  status(timeoutMs: number): Promise<Result<NodeStatus>>;
  close(): void;
}

export interface ClusterRouterOptions {
  /** Node API (cluster gRPC) addresses, host:port. */
  readonly nodes: readonly string[];
  readonly connect: (address: string) => NodeConnection;
  /** How long after the first routing failure retries go on (default 1200 ms: 2 x 600 ms election timeout). */
  readonly failoverWindowMs?: number;
  /** Deadline of one Handle attempt (default 30 s: a node itself waits out a leader change). */
  readonly attemptTimeoutMs?: number;
  /** Deadline of the Status probes that look for the leader (default 300 ms). */
  readonly probeTimeoutMs?: number;
  /** Pause between rounds when no leader is visible (default 50 ms). */
  readonly retryDelayMs?: number;
  readonly ids?: RequestIdPool;
  readonly logger?: Logger;
}

const RETRYABLE: ReadonlySet<string> = new Set(['not-leader', 'no-leader', 'unavailable', 'timeout']);
/** A hard bound on attempts per call, whatever the clock says. */
const MAX_ATTEMPTS = 64;

export class ClusterRouter implements HandleBackend {
  private readonly conns = new Map<string, NodeConnection>();
  private readonly ids: RequestIdPool;
  private readonly logger: Logger;
  private leader: string | undefined;
  private cursor = 0;
  private probing: Promise<string | undefined> | undefined;
  private isClosed = false;
  private lastProbeMs = -Infinity;

  constructor(private readonly o: ClusterRouterOptions) {
    if (o.nodes.length === 0) throw new Error('ClusterRouter needs at least one node address');
    this.ids = o.ids ?? new RequestIdPool();
    this.logger = o.logger ?? nullLogger;
  }

  get believedLeader(): string | undefined {
    return this.leader;
  }

  async handle(call: LogicalCall): Promise<Result<LogicalAnswer>> {
    if (this.isClosed) return err(cofferError('unavailable', 'the gateway is stopping'));
    const id = this.ids.acquire();
    if (id === undefined) return err(cofferError('unavailable', 'too many requests in flight at this gateway'));
    try {
      return await this.route(call, id);
    } finally {
      this.ids.release(id);
    }
  }

  private async route(call: LogicalCall, id: RequestId): Promise<Result<LogicalAnswer>> {
    const windowMs = this.o.failoverWindowMs ?? 1200;
    const attemptMs = this.o.attemptTimeoutMs ?? 30_000;
    let failoverEndMs: number | undefined;
    let last: CofferError = cofferError('no-leader', 'no node answered');
    const tried = new Set<string>();
    // No leader known (fresh gateway, or after a failover): look first, so that per-node answers
    // (sys/health, sys/leader) come from the leader. Rate-limited: a single-node (embedded)
    // router whose node follows never finds one.
    if (this.leader === undefined && performance.now() - this.lastProbeMs > 1000) await this.findLeader();
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !this.isClosed; attempt++) {
      const target = this.target();
      tried.add(target);
      const r = await this.conn(target).handle(call, id, attemptMs);
      if (r.ok) {
        // Learn the leader in the background (at most once a second) to save standbys a hop.
        if (this.leader === undefined && performance.now() - this.lastProbeMs > 1000) void this.findLeader();
        return r;
      }
      last = r.error;
      if (!RETRYABLE.has(r.error.kind)) return r;
      failoverEndMs ??= performance.now() + windowMs;
      this.forget(target, r.error);
      if (performance.now() >= failoverEndMs) break;
      // Unreachable: the next node in turn may be up (it forwards and waits out the election
      // itself). Only when no leader is visible and every node was tried, pause before a round.
      const found = await this.findLeader();
      if (found === undefined && tried.has(this.target())) {
        await delay(Math.min(this.o.retryDelayMs ?? 50, Math.max(0, failoverEndMs - performance.now())));
        tried.clear();
      }
    }
    return err(last);
  }

  private target(): string {
    const n = this.o.nodes.length;
    return this.leader ?? this.o.nodes[this.cursor % n] ?? this.o.nodes[0] ?? '';
  }

  private forget(target: string, e: CofferError): void {
    if (this.leader === target) this.leader = undefined;
    const i = this.o.nodes.indexOf(target);
    this.cursor = i < 0 ? this.cursor + 1 : i + 1;
    this.logger.debug('gateway: routing failure, failing over', { node: target, kind: e.kind });
  }

  /** Asks every node's Status at once; the one that says it leads wins (highest term). Single flight. */
  findLeader(): Promise<string | undefined> {
    this.probing ??= (async () => {
      this.lastProbeMs = performance.now();
      try {
        const timeoutMs = this.o.probeTimeoutMs ?? 300;
        const sts = await Promise.all(this.o.nodes.map(async (a) => ({ a, r: await this.conn(a).status(timeoutMs) })));
        let best: { a: string; term: number } | undefined;
        for (const { a, r } of sts) if (r.ok && r.value.role === 'leader' && (best === undefined || r.value.term > best.term)) best = { a, term: r.value.term };
        if (best !== undefined) this.leader = best.a;
        return best?.a;
      } finally {
        this.probing = undefined;
      }
    })();
    return this.probing;
  }

  private conn(address: string): NodeConnection {
    let c = this.conns.get(address);
    if (c === undefined) {
      c = this.o.connect(address);
      this.conns.set(address, c);
    }
    return c;
  }

  close(): void {
    this.isClosed = true;
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
  }
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
