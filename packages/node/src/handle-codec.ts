/**
 * Handle RPC <-> HandleRequest/HandleResponse. Bodies travel as JSON bytes; a body that is not
 * valid JSON is answered 400 by the caller before anything runs. The few binary routes (snapshot
 * save/restore, Prometheus metrics) use `raw_body` instead (+ `content_type` on answers).
 */
import { randomUUID } from 'node:crypto';
import { cofferError, err, ok, type Result } from '@coffer/base';
import type { NodeLogicalRequest, NodeLogicalRequest__Output, NodeLogicalResponse, NodeLogicalResponse__Output } from '@coffer/wire';
import { fromNodeError } from './node-api-service.js';
import type { HandleRequest, HandleResponse, LogicalOperation } from './ports.js';

const OPERATIONS: ReadonlySet<string> = new Set(['read', 'create', 'update', 'patch', 'delete', 'list']);

export function decodeHandleRequest(m: NodeLogicalRequest__Output): Result<HandleRequest> {
  if (!OPERATIONS.has(m.operation)) return err(cofferError('invalid-request', `unknown operation "${m.operation}"`));
  let body: unknown;
  if (m.body.length > 0) {
    try {
      body = JSON.parse(Buffer.from(m.body).toString('utf8'));
    } catch {
      return err(cofferError('invalid-request', 'failed to parse JSON input'));
    }
  }
  const id = m.request_id;
  const requestId = id === null || id.client_id === '' ? { clientId: randomUUID(), seq: 1 } : { clientId: id.client_id, seq: Number(id.seq) };
  const raw = m.raw_body.length > 0 ? { rawBody: new Uint8Array(m.raw_body.buffer, m.raw_body.byteOffset, m.raw_body.byteLength) } : {};
  return ok({ requestId, operation: m.operation as LogicalOperation, path: m.path, body, query: { ...m.query }, token: m.token, ...raw });
}

export function encodeHandleRequest(r: HandleRequest, isForwarded: boolean): NodeLogicalRequest {
  return {
    request_id: { client_id: r.requestId.clientId, seq: r.requestId.seq },
    operation: r.operation,
    path: r.path,
    body: r.body === undefined ? new Uint8Array(0) : Buffer.from(JSON.stringify(r.body)),
    query: { ...r.query },
    token: r.token,
    forwarded: isForwarded,
    raw_body: r.rawBody ?? new Uint8Array(0),
  };
}

export function encodeHandleResponse(r: HandleResponse): NodeLogicalResponse {
  const headers = { ...(r.headers ?? {}) };
  if (r.raw !== undefined) return { status: r.status, body: new Uint8Array(0), headers, content_type: r.raw.contentType, raw_body: r.raw.body };
  return { status: r.status, body: r.body === undefined ? new Uint8Array(0) : Buffer.from(JSON.stringify(r.body)), headers };
}

export function decodeHandleResponse(m: NodeLogicalResponse__Output): Result<HandleResponse> {
  if (m.error !== null && m.error !== undefined) return err(fromNodeError(m.error));
  const headers = { ...m.headers };
  if (m.content_type !== '') {
    return ok({ status: m.status, headers, raw: { contentType: m.content_type, body: new Uint8Array(m.raw_body.buffer, m.raw_body.byteOffset, m.raw_body.byteLength) } });
  }
  if (m.body.length === 0) return ok({ status: m.status, headers });
  try {
    return ok({ status: m.status, body: JSON.parse(Buffer.from(m.body).toString('utf8')) as unknown, headers });
  } catch {
    return err(cofferError('internal', 'node answered a body that is not JSON'));
  }
}
