/**
 * The gateway's own small client of one node's API (proto/node.proto): Handle and Status only.
 * (The gateway may not import @coffer/node; this is the part of its NodeApiClient it needs.)
 * Bodies pass through as bytes: the gateway never re-encodes a node's JSON.
 */
import * as grpc from '@grpc/grpc-js';
import { cofferError, err, isErrorKind, ok, type CofferError, type Result } from '@coffer/base';
import { loadProtos, type NodeClient, type NodeError__Output, type NodeLogicalResponse__Output as LogicalResponse__Output } from '@coffer/wire';
import { injectTraceContext } from '@coffer/telemetry';
import type { LogicalAnswer, LogicalCall } from './backend.js';
import type { RequestId } from './request-id-pool.js';

export interface NodeStatus {
  readonly id: string;
  readonly role: string;
  readonly leaderId: string;
  readonly term: number;
}

export class NodeHandleClient {
  private readonly raw: NodeClient;

  constructor(readonly address: string, credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure()) {
    const Node = loadProtos().coffer.node.v1.Node;
    this.raw = new Node(address, credentials, {
      'grpc.max_receive_message_length': 64 << 20,
      'grpc.max_send_message_length': 64 << 20,
      // A restarted node is found again quickly (the default backoff grows to 2 minutes).
      'grpc.initial_reconnect_backoff_ms': 50,
      'grpc.max_reconnect_backoff_ms': 500,
    });
  }

  handle(call: LogicalCall, id: RequestId, timeoutMs: number): Promise<Result<LogicalAnswer>> {
    const body = call.body === undefined ? new Uint8Array(0) : Buffer.from(JSON.stringify(call.body));
    const req = {
      request_id: { client_id: id.clientId, seq: id.seq }, operation: call.operation, path: call.path, body, query: { ...call.query }, token: call.token, forwarded: false,
      raw_body: call.rawBody ?? new Uint8Array(0),
    };
    return new Promise((resolve) => {
      this.raw.Handle(req, traceMetadata(), { deadline: Date.now() + Math.max(1, timeoutMs) }, (e, res) => {
        if (e !== null || res === undefined) return resolve(err(grpcError(e)));
        if (res.error !== null && res.error !== undefined) return resolve(err(fromNodeError(res.error)));
        resolve(ok(decodeAnswer(res)));
      });
    });
  }

  status(timeoutMs: number): Promise<Result<NodeStatus>> {
    return new Promise((resolve) => {
      this.raw.Status({ include_digest: false }, { deadline: Date.now() + Math.max(1, timeoutMs) }, (e, res) => {
        if (e !== null || res === undefined) return resolve(err(grpcError(e)));
        resolve(ok({ id: res.id, role: res.role, leaderId: res.leader_id, term: Number(res.term) }));
      });
    });
  }

  close(): void {
    this.raw.close();
  }
}

/** A raw answer (content_type set) carries raw_body; otherwise `body` holds the node's JSON. */
function decodeAnswer(res: LogicalResponse__Output): LogicalAnswer {
  const headers = { ...res.headers };
  const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (res.content_type !== '') return { status: res.status, body: bytes(res.raw_body), headers, contentType: res.content_type };
  return { status: res.status, body: bytes(res.body), headers };
}

function fromNodeError(e: NodeError__Output): CofferError {
  return cofferError(isErrorKind(e.kind) ? e.kind : 'internal', e.message);
}

function grpcError(e: grpc.ServiceError | null): CofferError {
  if (e === null) return cofferError('internal', 'empty gRPC response');
  if (e.code === grpc.status.DEADLINE_EXCEEDED) return cofferError('timeout', 'the node did not answer in time');
  // Connection refused/reset, a node stopping, or a node without the API: another node may serve.
  return cofferError('unavailable', `node unreachable (${grpc.status[e.code] ?? e.code})`);
}

/** The caller's trace context (W3C `traceparent`) for the node to continue; empty when not tracing. */
function traceMetadata(): grpc.Metadata {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(injectTraceContext())) md.set(k, v);
  return md;
}
