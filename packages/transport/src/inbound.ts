/**
 * The server half: RaftPeer.Stream and RaftPeer.InstallSnapshot handlers. Identity is checked
 * before any message is read. Every batch is acknowledged (that is transport flow control, not a
 * raft acknowledgement), including batches whose messages were rejected or dropped by a fault, so
 * a sender's window never wedges. A malformed or misaddressed message is logged (rate-limited)
 * and counted, never thrown: one bad peer cannot crash this node.
 */
import * as grpc from '@grpc/grpc-js';
import type { NodeId, Result } from '@coffer/base';
import type { Message } from '@coffer/raft';
import type {
  InstallSnapshotResponse,
  MessageBatch__Output,
  RaftPeerHandlers,
  SnapshotChunk__Output,
} from '@coffer/wire';
import { fromWire } from './convert.js';
import type { FaultInjector } from './faults.js';
import type { Identity, Refusal } from './identity.js';
import { checkCertificateName, checkIdentity } from './identity.js';
import type { PeerCounters } from './options.js';
import type { RateLimitedLog } from './rate-limited-log.js';
import { SnapshotAssembler } from './snapshot-receiver.js';

import type { InboundStream } from './inbound-registry.js';

export interface InboundDeps {
  readonly self: Identity;
  readonly isMember: (id: NodeId) => boolean;
  /** With mutual TLS: the claimed node id must match the peer certificate (checkCertificateName). */
  readonly isCertNameChecked: boolean;
  readonly faults: FaultInjector;
  readonly maxSnapshotBytes: number;
  readonly counters: (peer: NodeId) => PeerCounters;
  readonly log: RateLimitedLog;
  /** Hands a validated message to the runtime. Must not throw (the transport guards it). */
  readonly deliver: (m: Message) => void;
  /** Inbound streams by sender, so that removing a peer or closing can end them. */
  readonly track: (peer: NodeId, stream: InboundStream) => () => void;
}

function refuse(deps: InboundDeps, method: string, peerHint: string, r: Refusal): void {
  deps.log.warn(`inbound-refused:${peerHint}:${r.code}`, `refused a ${method} call: ${r.details}`, {
    code: r.code,
    details: r.details,
  });
}

export function inboundHandlers(deps: InboundDeps): RaftPeerHandlers {
  const senderHint = (md: grpc.Metadata): string => String(md.get('coffer-node-id')[0] ?? '?');
  const identify = (call: Pick<grpc.ServerUnaryCall<unknown, unknown>, 'metadata' | 'getAuthContext'>): Result<NodeId, Refusal> => {
    const id = checkIdentity(call.metadata, deps.self, deps.isMember);
    if (!id.ok || !deps.isCertNameChecked) return id;
    const named = checkCertificateName(call.getAuthContext()?.sslPeerCertificate, id.value);
    return named.ok ? id : named;
  };

  return {
    Stream(call: InboundStream): void {
      const id = identify(call);
      if (!id.ok) {
        refuse(deps, 'Stream', senderHint(call.metadata), id.error);
        call.emit('error', { code: id.error.code, details: id.error.details });
        return;
      }
      const peer = id.value;
      const untrack = deps.track(peer, call);
      const c = deps.counters(peer);
      call.on('data', (batch: MessageBatch__Output) => {
        let accepted = 0;
        let rejected = 0;
        const isBlocked = deps.faults.isInboundBlocked(peer);
        for (const w of batch.messages) {
          if (isBlocked) {
            c.droppedInboundFault++;
            continue;
          }
          const reason = check(w, peer, deps.self.nodeId);
          if (typeof reason === 'string') {
            rejected++;
            c.rejectedMessages++;
            deps.log.warn(`inbound-rejected:${peer}`, `rejected a raft message from ${peer}: ${reason}`, { peer });
            continue;
          }
          accepted++;
          c.receivedMessages++;
          deps.deliver(reason);
        }
        call.write({ seq: batch.seq, accepted, rejected });
      });
      call.on('end', () => call.end());
      call.on('error', () => undefined); // cancelled by the peer: nothing to do
      call.on('close', untrack);
    },

    InstallSnapshot(
      call: grpc.ServerReadableStream<SnapshotChunk__Output, InstallSnapshotResponse>,
      callback: grpc.sendUnaryData<InstallSnapshotResponse>,
    ): void {
      let isDone = false;
      const fail = (r: Refusal): void => {
        if (isDone) return;
        isDone = true;
        refuse(deps, 'InstallSnapshot', senderHint(call.metadata), r);
        callback({ code: r.code, details: r.details });
      };
      const id = identify(call);
      if (!id.ok) return fail(id.error);
      const peer = id.value;
      if (deps.faults.isInboundBlocked(peer)) {
        deps.counters(peer).droppedInboundFault++;
        return fail({ code: grpc.status.UNAVAILABLE, details: `inbound traffic from ${peer} is blocked by fault injection` });
      }
      const assembler = new SnapshotAssembler(deps.self.nodeId, peer, deps.maxSnapshotBytes);
      call.on('data', (chunk: SnapshotChunk__Output) => {
        if (isDone) return;
        const r = assembler.add(chunk);
        if (!r.ok) fail(r.error);
      });
      call.on('error', () => {
        isDone = true; // cancelled or deadline: the sender reports the failure
      });
      call.on('end', () => {
        if (isDone) return;
        const r = assembler.finish();
        if (!r.ok) return fail(r.error);
        isDone = true;
        deps.counters(peer).receivedMessages++;
        deps.deliver(r.value);
        callback(null, { accepted: true, received_bytes: String(assembler.bytesReceived) });
      });
    },
  };
}

/** The validated message, or why it was rejected. */
function check(w: unknown, peer: NodeId, self: NodeId): Message | string {
  const r = fromWire(w);
  if (!r.ok) return r.error.message;
  const m = r.value;
  if (m.type === 'snapshot') return 'snapshot messages must use InstallSnapshot, not Stream';
  if (m.from !== peer) return `message claims to be from ${m.from} on a stream from ${peer}`;
  if (m.to !== self) return `message for ${m.to} delivered to ${self}`;
  return m;
}
