/**
 * The embedded gateway's way into its own node: the node's logical front called in this process
 * (`handleTraced`, exactly what the Handle RPC runs), instead of a gRPC call over loopback to
 * itself. It saves, per request, a protobuf encode and decode on each side, a JSON re-encode of
 * the body and a socket round trip, all on the event loop that also runs Raft. Forwarding from a
 * standby to the leader still goes over gRPC (the node's own forwarder).
 */
import { cofferError, err, ok, type Result } from '@coffer/base';
import type { LogicalAnswer, LogicalCall, NodeConnection, NodeStatus, RequestId } from '@coffer/gateway';
import { handleTraced, type LogicalService, type NodeRuntime } from '@coffer/node';

const EMPTY = new Uint8Array(0);

export class LocalNodeConnection implements NodeConnection {
  constructor(private readonly rt: NodeRuntime, private readonly logical: LogicalService) {}

  async handle(call: LogicalCall, id: RequestId, _timeoutMs: number): Promise<Result<LogicalAnswer>> {
    // The node bounds the request itself (its request timeout, waiting through leader changes).
    if (this.rt.isStopped) return err(cofferError('unavailable', 'node is stopping'));
    const r = await handleTraced(this.rt, this.logical, {
      requestId: id,
      operation: call.operation,
      path: call.path,
      body: call.body,
      query: call.query,
      token: call.token,
      ...(call.rawBody !== undefined ? { rawBody: call.rawBody } : {}),
    }, false);
    if (!r.ok) return r;
    const a = r.value;
    const headers = { ...(a.headers ?? {}) };
    if (a.raw !== undefined) return ok({ status: a.status, body: a.raw.body, headers, contentType: a.raw.contentType });
    return ok({ status: a.status, body: a.body === undefined ? EMPTY : Buffer.from(JSON.stringify(a.body)), headers });
  }

  status(_timeoutMs: number): Promise<Result<NodeStatus>> {
    const st = this.rt.status();
    return Promise.resolve(ok({ id: this.rt.id, role: this.rt.roleNow(), leaderId: this.rt.leaderNow() ?? '', term: Number(st.term) }));
  }

  close(): void {}
}
