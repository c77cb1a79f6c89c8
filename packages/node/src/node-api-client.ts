/**
 * A promise-shaped client of the node API, used for follower -> leader forwarding, by the CLI,
 * the multi-process tests and the benchmark. One channel per address, reused.
 */
import * as grpc from '@grpc/grpc-js';
import { cofferError, err, ok, type Result } from '@coffer/base';
import { ATTRS, getTracer, injectTraceContext, inSpan, markSpanError, SPANS, type NodeMetrics } from '@coffer/telemetry';
import { loadProtos, type NodeClient, type SetFaultsRequest, type StatusResponse__Output } from '@coffer/wire';
import { fromNodeError } from './node-api-service.js';
import { decodeHandleResponse, encodeHandleRequest } from './handle-codec.js';
import type { ClientRequestId, ForwardedPropose, HandleRequest, HandleResponse, LeaderForwarder } from './ports.js';

export interface ClientOptions {
  readonly credentials?: grpc.ChannelCredentials;
}

export class NodeApiClient {
  readonly raw: NodeClient;
  constructor(readonly address: string, options: ClientOptions = {}) {
    const Node = loadProtos().coffer.node.v1.Node;
    this.raw = new Node(address, options.credentials ?? grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 64 << 20,
      'grpc.initial_reconnect_backoff_ms': 50,
      'grpc.max_reconnect_backoff_ms': 200,
    });
  }

  propose(requestId: ClientRequestId, command: Uint8Array, timeoutMs: number, isForwarded = false): Promise<Result<Uint8Array>> {
    return new Promise((resolve) => {
      this.raw.Propose(
        { request_id: { client_id: requestId.clientId, seq: requestId.seq }, command, forwarded: isForwarded },
        traceMetadata(),
        { deadline: Date.now() + Math.max(1, timeoutMs) },
        (e, res) => {
          if (e !== null || res === undefined) return resolve(err(grpcError(e)));
          if (res.error !== null && res.error !== undefined) return resolve(err(fromNodeError(res.error)));
          resolve(ok(new Uint8Array(res.result ?? new Uint8Array(0))));
        },
      );
    });
  }

  read(query: Uint8Array, isLinearizable: boolean, timeoutMs: number): Promise<Result<Uint8Array>> {
    return new Promise((resolve) => {
      this.raw.Read({ query, linearizable: isLinearizable }, { deadline: Date.now() + Math.max(1, timeoutMs) }, (e, res) => {
        if (e !== null || res === undefined) return resolve(err(grpcError(e)));
        if (res.error !== null && res.error !== undefined) return resolve(err(fromNodeError(res.error)));
        resolve(ok(new Uint8Array(res.value ?? new Uint8Array(0))));
      });
    });
  }

  /** One logical request (sys/*, KV v2, ...). Err only for routing failures; Vault errors are responses. */
  handle(request: HandleRequest, timeoutMs = 10_000, isForwarded = false): Promise<Result<HandleResponse>> {
    return new Promise((resolve) => {
      this.raw.Handle(encodeHandleRequest(request, isForwarded), traceMetadata(), { deadline: Date.now() + Math.max(1, timeoutMs) }, (e, res) => {
        if (e !== null || res === undefined) return resolve(err(grpcError(e)));
        resolve(decodeHandleResponse(res));
      });
    });
  }

  /** `includeDigest` hashes the whole state on the node (costly): for tests that compare nodes. */
  status(timeoutMs = 2000, includeDigest = false): Promise<Result<StatusResponse__Output>> {
    return new Promise((resolve) => {
      this.raw.Status({ include_digest: includeDigest }, { deadline: Date.now() + timeoutMs }, (e, res) => {
        resolve(e !== null || res === undefined ? err(grpcError(e)) : ok(res));
      });
    });
  }

  membership(op: 'AddLearner' | 'Promote' | 'RemovePeer', id: string, address = '', timeoutMs = 10_000): Promise<Result<number>> {
    return new Promise((resolve) => {
      const cb = (e: grpc.ServiceError | null, res?: { error?: { kind: string; message: string; leader_id: string } | null; index: string }): void => {
        if (e !== null || res === undefined) return resolve(err(grpcError(e)));
        if (res.error !== null && res.error !== undefined) return resolve(err(fromNodeError(res.error)));
        resolve(ok(Number(res.index)));
      };
      const opts = { deadline: Date.now() + timeoutMs };
      if (op === 'AddLearner') this.raw.AddLearner({ id, address }, opts, cb);
      else if (op === 'Promote') this.raw.Promote({ id }, opts, cb);
      else this.raw.RemovePeer({ id }, opts, cb);
    });
  }

  transferLeadership(target: string, timeoutMs = 10_000): Promise<Result<string>> {
    return new Promise((resolve) => {
      this.raw.TransferLeadership({ target }, { deadline: Date.now() + timeoutMs }, (e, res) => {
        if (e !== null || res === undefined) return resolve(err(grpcError(e)));
        if (res.error !== null && res.error !== undefined) return resolve(err(fromNodeError(res.error)));
        resolve(ok(res.leader_id));
      });
    });
  }

  setFaults(req: SetFaultsRequest, timeoutMs = 5000): Promise<Result<void>> {
    return new Promise((resolve) => {
      this.raw.SetFaults(req, { deadline: Date.now() + timeoutMs }, (e, res) => {
        if (e !== null || res === undefined) return resolve(err(grpcError(e)));
        if (res.error !== null && res.error !== undefined) return resolve(err(fromNodeError(res.error)));
        resolve(ok(undefined));
      });
    });
  }

  close(): void {
    this.raw.close();
  }
}

/** The active trace context (W3C `traceparent`) for the callee to continue; empty when not tracing. */
function traceMetadata(): grpc.Metadata {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(injectTraceContext())) md.set(k, v);
  return md;
}

function grpcError(e: grpc.ServiceError | null): ReturnType<typeof cofferError> {
  if (e === null) return cofferError('internal', 'empty gRPC response');
  if (e.code === grpc.status.DEADLINE_EXCEEDED) return cofferError('timeout', 'node API call timed out');
  return cofferError('unavailable', `node API unreachable (${grpc.status[e.code] ?? e.code})`);
}

export interface ForwarderOptions extends ClientOptions {
  /** Counts forwards by result (`coffer_forwarded_requests_total`). */
  readonly metrics?: Pick<NodeMetrics, 'forwardDone'>;
}

/** Forwarding over gRPC, one cached client per leader address. */
export class GrpcLeaderForwarder implements LeaderForwarder {
  private readonly clients = new Map<string, NodeApiClient>();
  private readonly tracer = getTracer('coffer-node');
  constructor(private readonly options: ForwarderOptions = {}) {}
  propose(address: string, request: ForwardedPropose, timeoutMs: number): Promise<Result<Uint8Array>> {
    let c = this.clients.get(address);
    if (c === undefined) {
      c = new NodeApiClient(address, this.options);
      this.clients.set(address, c);
    }
    return c.propose(request.requestId, request.payload, timeoutMs, true);
  }
  /** A CLIENT span `coffer.node.forward` (child of the standby's handle span) carries the trace on. */
  handle(address: string, request: HandleRequest, timeoutMs: number): Promise<Result<HandleResponse>> {
    const attributes = { [ATTRS.operation]: request.operation, 'server.address': address };
    return inSpan(this.tracer, SPANS.forward, { role: 'client', attributes }, async (span) => {
      const r = await this.client(address).handle(request, timeoutMs, true);
      if (r.ok) span.setAttribute(ATTRS.status, r.value.status);
      else {
        span.setAttribute(ATTRS.errorKind, r.error.kind);
        markSpanError(span, r.error.kind);
      }
      this.options.metrics?.forwardDone(r.ok ? 'ok' : r.error.kind);
      return r;
    });
  }
  /** A cached client of any member's node API (sys/storage/raft/join reaches the cluster's leader with it). */
  nodeClient(address: string): NodeApiClient {
    return this.client(address);
  }
  private client(address: string): NodeApiClient {
    let c = this.clients.get(address);
    if (c === undefined) {
      c = new NodeApiClient(address, this.options);
      this.clients.set(address, c);
    }
    return c;
  }
  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
