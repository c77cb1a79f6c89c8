/**
 * Reassembles one InstallSnapshot call. The first chunk must carry the header (a snapshot raft
 * message from the authenticated sender to this node) and total_bytes; the total is checked
 * against maxSnapshotBytes before any data is kept, and the running count after every chunk, so
 * a peer can never make this node hold more than the limit. Exactly one snapshot message comes
 * out, and only when the byte count matches total_bytes.
 */
import * as grpc from '@grpc/grpc-js';
import type { NodeId, Result } from '@coffer/base';
import { err, ok } from '@coffer/base';
import type { SnapshotMessage } from '@coffer/raft';
import type { SnapshotChunk__Output } from '@coffer/wire';
import { fromWire } from './convert.js';
import type { Refusal } from './identity.js';
import { parseUint64 } from './uint64.js';

export class SnapshotAssembler {
  private header: SnapshotMessage | undefined;
  private totalBytes = 0;
  private receivedBytes = 0;
  private parts: Uint8Array[] = [];

  constructor(
    private readonly self: NodeId,
    private readonly sender: NodeId,
    private readonly maxSnapshotBytes: number,
  ) {}

  get bytesReceived(): number {
    return this.receivedBytes;
  }

  /** Takes one chunk; an error means the call must be refused with that status. */
  add(chunk: SnapshotChunk__Output): Result<void, Refusal> {
    if (this.header === undefined) {
      const h = this.first(chunk);
      if (!h.ok) return h;
    } else if (chunk.message !== null && chunk.message !== undefined) {
      return invalid('only the first snapshot chunk may carry a message header');
    }
    const data = chunk.data;
    if (!(data instanceof Uint8Array)) return invalid('snapshot chunk without data bytes');
    this.receivedBytes += data.byteLength;
    if (this.receivedBytes > this.totalBytes) {
      return invalid(`snapshot chunks hold more than the announced ${this.totalBytes} bytes`);
    }
    if (data.byteLength > 0) this.parts.push(data);
    return ok(undefined);
  }

  /** The reassembled snapshot message, once the sender has half-closed. */
  finish(): Result<SnapshotMessage, Refusal> {
    if (this.header === undefined) return invalid('empty InstallSnapshot call: no header chunk');
    if (this.receivedBytes !== this.totalBytes) {
      return invalid(`snapshot truncated: ${this.receivedBytes} of ${this.totalBytes} bytes`);
    }
    const data = new Uint8Array(this.totalBytes);
    let off = 0;
    for (const p of this.parts) {
      data.set(p, off);
      off += p.byteLength;
    }
    this.parts = [];
    return ok({ ...this.header, snapshot: { meta: this.header.snapshot.meta, data } });
  }

  private first(chunk: SnapshotChunk__Output): Result<void, Refusal> {
    const total = parseUint64(chunk.total_bytes, 'total_bytes');
    if (!total.ok) return invalid(total.error.message);
    if (total.value > this.maxSnapshotBytes) {
      return err({
        code: grpc.status.RESOURCE_EXHAUSTED,
        details: `snapshot of ${total.value} bytes exceeds this node's limit of ${this.maxSnapshotBytes} bytes (maxSnapshotBytes)`,
      });
    }
    const m = fromWire(chunk.message);
    if (!m.ok) return invalid(m.error.message);
    if (m.value.type !== 'snapshot') return invalid(`first chunk carries a ${m.value.type} message, not a snapshot`);
    if (m.value.from !== this.sender || m.value.to !== this.self) {
      return invalid(`snapshot from ${m.value.from} to ${m.value.to} arrived on a call from ${this.sender} to ${this.self}`);
    }
    this.header = m.value;
    this.totalBytes = total.value;
    return ok(undefined);
  }
}

function invalid(details: string): Result<never, Refusal> {
  return err({ code: grpc.status.INVALID_ARGUMENT, details });
}
