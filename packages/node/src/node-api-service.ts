/**
 * The gRPC face of a node (proto/node.proto, service coffer.node.v1.Node). Handlers translate to
 * NodeOps and map every expected failure to a `NodeError` in the response (not a gRPC status):
 * the caller needs the leader hint. Payloads are never logged.
 */
import { createHash } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { isErrorKind, nodeId, ok, type CofferError, type Result } from '@coffer/base';
import type { Context } from '@opentelemetry/api';
import { lagEntries } from '@coffer/replication-lag';
import { ATTRS, extractTraceContext, getTracer, inSpan, markSpanError, routeClass, SPANS, withSpan } from '@coffer/telemetry';
import type { NodeError, NodeHandlers, StatusResponse } from '@coffer/wire';
import { decodeHandleRequest, encodeHandleResponse } from './handle-codec.js';
import type { LogicalService } from './logical-service.js';
import type { NodeOps } from './node-ops.js';
import type { HandleRequest, HandleResponse } from './ports.js';
import type { NodeRuntime } from './runtime.js';

const SNAPSHOT_CHUNK_BYTES = 1 << 20;

export function toNodeError(rt: NodeRuntime, e: CofferError): NodeError {
  const leader = e.leaderHint ?? (e.kind === 'not-leader' ? rt.leaderNow() ?? undefined : undefined);
  return {
    kind: e.kind,
    message: e.message,
    leader_id: leader ?? '',
    leader_address: leader === undefined ? '' : rt.peers.get(leader) ?? '',
  };
}

export interface NodeHandlerOptions {
  /** The node's logical front (Handle RPC); absent: Handle answers `unavailable`. */
  readonly logical?: LogicalService;
  /**
   * TESTS/BENCH ONLY (`--unsafe-raw-kv`): Propose/Read carry raw KV commands (`encodeKvCommand`),
   * stored in clear. Off: they answer permission-denied. Never put secrets through them.
   */
  readonly rawKv?: boolean;
  /** Wrap client Propose payloads as raw KV log payloads (the secrets state machine's framing). */
  readonly wrapRawKv?: (command: Uint8Array) => Uint8Array;
}

export function createNodeHandlers(rt: NodeRuntime, ops: NodeOps, allowFaults: boolean, options: NodeHandlerOptions = { rawKv: true }): NodeHandlers {
  const fail = (e: CofferError) => ({ error: toNodeError(rt, e) });
  const tracer = getTracer('coffer-node');
  const rawKvOff = { kind: 'permission-denied', message: 'raw KV commands are a test facility; start the node with --unsafe-raw-kv' } as const;
  return {
    Handle: (call, cb) => {
      const logical = options.logical;
      if (logical === undefined) {
        cb(null, { error: toNodeError(rt, { kind: 'unavailable', message: 'this node serves no logical requests' }) });
        return;
      }
      const req = decodeHandleRequest(call.request);
      if (!req.ok) {
        cb(null, encodeHandleResponse({ status: 400, body: { errors: [req.error.message] } }));
        return;
      }
      const isForwarded = call.request.forwarded;
      // Continues the caller's trace (gateway or forwarding standby) from the W3C metadata.
      const parent = extractTraceContext((key) => metadataValue(call.metadata, key));
      void handleTraced(rt, logical, req.value, isForwarded, parent).then((r) => cb(null, r.ok ? encodeHandleResponse(r.value) : fail(r.error)));
    },
    Propose: (call, cb) => {
      if (options.rawKv !== true) {
        cb(null, fail(rawKvOff));
        return;
      }
      const req = call.request;
      const id = req.request_id;
      if (id === null || id === undefined || id.client_id === '') {
        cb(null, { error: toNodeError(rt, { kind: 'invalid-request', message: 'request_id.client_id is required' }) });
        return;
      }
      // A forwarded payload is already in log form; a client's is wrapped once, here.
      const payload = req.forwarded || options.wrapRawKv === undefined ? new Uint8Array(req.command) : options.wrapRawKv(new Uint8Array(req.command));
      const command = { requestId: { clientId: id.client_id, seq: Number(id.seq) }, payload };
      void withSpan(tracer, req.forwarded ? SPANS.forwardPropose : SPANS.propose, () => ops.propose(command, req.forwarded)).then((r) => {
        rt.deps.metrics?.proposalDone(r.ok ? 'ok' : r.error.kind);
        cb(null, r.ok ? { result: r.value.result } : fail(r.error));
      });
    },
    Read: (call, cb) => {
      if (options.rawKv !== true) {
        cb(null, fail(rawKvOff));
        return;
      }
      void withSpan(tracer, SPANS.read, () => ops.read(new Uint8Array(call.request.query), call.request.linearizable)).then((r) => {
        rt.deps.metrics?.readDone(r.ok ? 'ok' : r.error.kind);
        cb(null, r.ok ? { value: r.value.value, index: r.value.index } : fail(r.error));
      });
    },
    Status: (call, cb) => cb(null, statusResponse(rt, call.request.include_digest)),
    AddLearner: (call, cb) => {
      void ops.addLearner(nodeId(call.request.id), call.request.address).then((r) => cb(null, r.ok ? { index: r.value } : fail(r.error)));
    },
    Promote: (call, cb) => {
      void ops.promote(nodeId(call.request.id)).then((r) => cb(null, r.ok ? { index: r.value } : fail(r.error)));
    },
    RemovePeer: (call, cb) => {
      void ops.remove(nodeId(call.request.id)).then((r) => cb(null, r.ok ? { index: r.value } : fail(r.error)));
    },
    TransferLeadership: (call, cb) => {
      const target = call.request.target === '' ? null : nodeId(call.request.target);
      void ops.transferLeadership(target).then((r) => cb(null, r.ok ? { leader_id: r.value } : fail(r.error)));
    },
    SnapshotSave: (call) => {
      const index = rt.appliedNow();
      const data = rt.snapshotData();
      const term = rt.status().term;
      for (let at = 0; at === 0 || at < data.length; at += SNAPSHOT_CHUNK_BYTES) {
        const chunk = data.subarray(at, at + SNAPSHOT_CHUNK_BYTES);
        call.write(at === 0 ? { index, term, data: chunk } : { data: chunk });
      }
      call.end();
    },
    SnapshotRestore: (call, cb) => {
      // Restoring a cluster from an uploaded snapshot needs a replicated "replace state" command;
      // it is not built yet (see README), so refuse clearly instead of half-doing it.
      call.on('data', () => undefined);
      call.on('end', () => cb(null, fail({ kind: 'unavailable', message: 'snapshot restore is not implemented yet' })));
    },
    SetFaults: (call, cb) => {
      if (!allowFaults) {
        cb(null, fail({ kind: 'permission-denied', message: 'fault injection is off; start the node with --unsafe-fault-injection' }));
        return;
      }
      const req = call.request;
      const faults = req.clear ? null : { dropPeers: req.drop_peers.map(nodeId), dropRate: req.drop_rate, delayMs: req.delay_ms };
      const r = rt.deps.transport.setFaults(faults);
      rt.deps.logger.warn('fault injection changed', { clear: req.clear, dropPeers: req.drop_peers.join(','), dropRate: req.drop_rate });
      cb(null, r.ok ? {} : fail(r.error));
    },
  } satisfies NodeHandlers;
}

/** The first string value of a metadata key (gRPC keeps binary `-bin` keys as Buffers). */
function metadataValue(md: grpc.Metadata, key: string): string | undefined {
  const v = md.get(key)[0];
  return typeof v === 'string' ? v : undefined;
}

export function statusResponse(rt: NodeRuntime, includeDigest = false): StatusResponse {
  const st = rt.status();
  const lagMsByPeer = new Map(rt.followerLag().map((r) => [r.peer, r.ms] as const));
  // Serializing and hashing the whole state blocks the event loop: only when asked (tests).
  const digest = includeDigest ? createHash('sha256').update(rt.deps.stateMachine.snapshot()).digest('hex') : '';
  return {
    id: st.id,
    term: st.term,
    role: st.role,
    leader_id: st.leader ?? '',
    leader_address: st.leader === null ? '' : rt.peers.get(st.leader) ?? '',
    commit: st.commit,
    applied: rt.appliedNow(),
    first_index: st.firstIndex,
    last_index: st.lastIndex,
    voters: [...st.confState.voters],
    learners: [...st.confState.learners],
    peers: st.progress.map((p) => ({
      id: p.id,
      lag_ms: lagMsByPeer.get(p.id) ?? -1,
      address: rt.peers.get(p.id) ?? '',
      match: p.match,
      next: p.next,
      state: p.state,
      is_learner: p.isLearner,
      lag_entries: lagEntries(st.lastIndex, p.match),
      ms_since_contact: p.ticksSinceContact * rt.deps.timing.tickMs,
    })),
    snapshot_index: rt.snapshotIndexNow(),
    state_digest: digest,
  };
}

/** Maps a NodeError from the wire back to a CofferError (unknown kinds become `internal`). */
export function fromNodeError(e: { kind: string; message: string; leader_id: string }): CofferError {
  const kind = isErrorKind(e.kind) ? e.kind : 'internal';
  return e.leader_id === '' ? { kind, message: e.message } : { kind, message: e.message, leaderHint: nodeId(e.leader_id) };
}

export type { grpc };

/**
 * One logical request on this node, as the Handle RPC serves it: a SERVER span (`parent`, or the
 * active context when the caller is in this process), the handle metrics, and an unknown throw
 * normalised into 500 (logged by path and message only; the message never carries a body).
 * The embedded gateway calls this directly, without a gRPC hop to its own node.
 */
export async function handleTraced(rt: NodeRuntime, logical: LogicalService, req: HandleRequest, isForwarded: boolean, parent?: Context): Promise<Result<HandleResponse>> {
  const startedMs = performance.now();
  const attributes = { [ATTRS.operation]: req.operation, [ATTRS.route]: routeClass(req.path), [ATTRS.isForwarded]: isForwarded, [ATTRS.nodeId]: rt.id };
  try {
    return await inSpan(getTracer('coffer-node'), SPANS.handle, { role: 'server', ...(parent !== undefined ? { parent } : {}), attributes }, async (span) => {
      const r = await logical.handle(req, isForwarded);
      if (r.ok) span.setAttribute(ATTRS.status, r.value.status);
      else {
        span.setAttribute(ATTRS.errorKind, r.error.kind);
        markSpanError(span, r.error.kind);
      }
      rt.deps.metrics?.handleDone(req.operation, r.ok ? r.value.status : r.error.kind, performance.now() - startedMs, isForwarded);
      return r;
    });
  } catch (e: unknown) {
    rt.deps.logger.error('logical request failed', { path: req.path, error: e instanceof Error ? e.message : 'unknown' });
    return ok({ status: 500, body: { errors: ['internal error'] } });
  }
}
