/**
 * The DR primary's gRPC service (proto/dr.proto, DrPrimary). Runs on every node of the primary;
 * only the leader answers (others refuse with not-leader and the leader's DR address). Mount it on
 * the node's transport (`transport.addService(drPrimaryServiceDefinition(), server.handlers())`) to
 * share the cluster port and its mutual TLS, or on its own port with `listenDrPrimary`.
 *
 * Streaming invariants: entries leave in index order, each once per call, only committed ones
 * (EntrySource.lastIndex is the commit index); the server never buffers more than one batch per
 * secondary (it waits for the HTTP/2 write buffer to drain); a call ends with a status that says
 * what the secondary should do (compacted -> snapshot, not-leader -> follow the hint, refusal).
 */
import * as grpc from '@grpc/grpc-js';
import type { Clock, Logger } from '@coffer/base';
import { nullLogger } from '@coffer/base';
import { parseUint64 } from '@coffer/transport';
import { loadProtos } from '@coffer/wire';
import type {
  DrActivateRequest__Output,
  DrActivateResponse,
  DrEntryBatch,
  DrNewerPrimaryAck,
  DrNewerPrimaryNotice__Output,
  DrPrimaryDefinition,
  DrPrimaryHandlers,
  DrSnapshotChunk,
  DrSnapshotRequest__Output,
  DrStreamRequest__Output,
} from '@coffer/wire';
import { entryToWire } from './convert.js';
import type { DrRefusal } from './dr-metadata.js';
import { hashSecret } from './encoding.js';
import { authorizeSecondary, checkCallerAndMode, checkLeader, refusalFromError, stillAuthorized } from './primary-auth.js';
import type { DrEntryRecord, DrPrimaryNode, EntrySource } from './ports.js';
import { checkSecondaryCredential } from './dr-primary-transitions.js';
import { abortableDelay, writeWithBackpressure } from './timing.js';

export interface DrPrimaryServerOptions {
  readonly node: DrPrimaryNode;
  readonly source: EntrySource;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** A heartbeat batch when nothing was sent for this long (default 1000 ms). */
  readonly heartbeatIntervalMs?: number;
  /** Without EntrySource.waitForCommit: how often to look for new commits (default 20 ms). */
  readonly pollIntervalMs?: number;
  /** Batch size when the request asks for 0, and the cap on what it may ask (default 1 MiB). */
  readonly maxBatchBytes?: number;
  readonly snapshotChunkBytes?: number;
}

/** One live stream, for the primary's status (`secondaries[]`). */
export interface SecondaryConnection {
  readonly secondaryId: string;
  readonly peer: string;
  readonly connectedAtMs: number;
  readonly lastSentAtMs: number;
  /** The last entry index sent (0 before the first). */
  readonly lastSentIndex: number;
}

export function drPrimaryServiceDefinition(): DrPrimaryDefinition {
  return loadProtos().coffer.dr.v1.DrPrimary.service;
}

type ServiceStatus = { code: grpc.status; details: string; metadata?: grpc.Metadata };
const toStatus = (r: DrRefusal): ServiceStatus => (r.metadata === undefined ? { code: r.code, details: r.details } : { code: r.code, details: r.details, metadata: r.metadata });

export class DrPrimaryServer {
  private readonly logger: Logger;
  private readonly heartbeatIntervalMs: number;
  private readonly pollIntervalMs: number;
  private readonly maxBatchBytes: number;
  private readonly snapshotChunkBytes: number;
  private readonly live = new Map<number, SecondaryConnection>();
  private readonly closing = new AbortController();
  private nextStreamId = 1;

  constructor(private readonly options: DrPrimaryServerOptions) {
    this.logger = options.logger ?? nullLogger;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 20;
    this.maxBatchBytes = options.maxBatchBytes ?? 1 << 20;
    this.snapshotChunkBytes = options.snapshotChunkBytes ?? 1 << 20;
  }

  /** The live streams (one per connected secondary, normally). */
  connections(): SecondaryConnection[] {
    return [...this.live.values()];
  }

  /** Ends every open stream (with UNAVAILABLE); the gRPC server itself belongs to the caller. */
  close(): void {
    this.closing.abort();
  }

  handlers(): DrPrimaryHandlers {
    return {
      Activate: (call, callback) => {
        void this.activate(call.metadata, call.request).then(
          (r) => (r.ok ? callback(null, r.value) : callback(toStatus(r.error))),
          (e: unknown) => callback({ code: grpc.status.INTERNAL, details: `activation failed: ${String(e)}` }),
        );
      },
      StreamEntries: (call) => {
        void this.stream(call).catch((e: unknown) => {
          this.logger.error('dr stream failed', { error: String(e) });
          call.emit('error', { code: grpc.status.INTERNAL, details: 'internal error in the DR stream' });
        });
      },
      FetchSnapshot: (call) => {
        void this.snapshot(call).catch((e: unknown) => {
          this.logger.error('dr snapshot failed', { error: String(e) });
          call.emit('error', { code: grpc.status.INTERNAL, details: 'internal error sending the DR snapshot' });
        });
      },
      NotifyNewerPrimary: (call, callback) => {
        void this.notifyNewer(call.metadata, call.request).then(
          (r) => (r.ok ? callback(null, r.value) : callback(toStatus(r.error))),
          (e: unknown) => callback({ code: grpc.status.INTERNAL, details: String(e) }),
        );
      },
    };
  }

  private async activate(md: grpc.Metadata, req: DrActivateRequest__Output): Promise<{ ok: true; value: DrActivateResponse } | { ok: false; error: DrRefusal }> {
    const base = checkCallerAndMode(this.options.node, md);
    if (!base.ok) return base;
    const leader = checkLeader(this.options.node);
    if (!leader.ok) return leader;
    const { caller } = base.value;
    const applied = await this.options.node.propose({
      kind: 'activate-secondary',
      secondaryId: caller.secondaryId,
      secretHash: hashSecret(caller.credential),
      credentialHash: req.credential_hash,
      nowMs: this.options.clock.nowMs(),
    });
    if (!applied.ok) return { ok: false, error: refusalFromError(applied.error) };
    this.logger.info('dr secondary activated', { secondaryId: caller.secondaryId });
    return { ok: true, value: { epoch: String(applied.value.epoch), primary_cluster_id: this.options.node.clusterId() } };
  }

  private async notifyNewer(md: grpc.Metadata, req: DrNewerPrimaryNotice__Output): Promise<{ ok: true; value: DrNewerPrimaryAck } | { ok: false; error: DrRefusal }> {
    const { node } = this.options;
    const state = node.drState();
    if (state.mode !== 'primary') return { ok: true, value: { fenced: false } };
    const epoch = parseUint64(req.epoch, 'epoch');
    if (!epoch.ok) return { ok: false, error: { code: grpc.status.INVALID_ARGUMENT, details: epoch.error.message } };
    const base = checkCallerAndMode(node, md);
    // Already fenced: say so (idempotent), but only to a caller that holds a credential of ours.
    if (!base.ok) return state.fence !== undefined ? { ok: true, value: { fenced: true } } : base;
    const known = checkSecondaryCredential(state, { secondaryId: base.value.caller.secondaryId, credentialHash: hashSecret(base.value.caller.credential) });
    if (!known.ok) return { ok: false, error: refusalFromError(known.error) };
    const applied = await node.propose({
      kind: 'fence',
      newerEpoch: epoch.value,
      newerPrimaryClusterId: req.new_primary_cluster_id,
      newerPrimaryAddresses: req.new_primary_addresses,
      nowMs: this.options.clock.nowMs(),
    });
    if (!applied.ok) return { ok: false, error: refusalFromError(applied.error) };
    this.logger.warn('dr primary fenced by a newer primary', { epoch: epoch.value, newPrimary: req.new_primary_cluster_id });
    return { ok: true, value: { fenced: applied.value.mode === 'primary' && applied.value.fence !== undefined } };
  }

  private async stream(call: grpc.ServerWritableStream<DrStreamRequest__Output, DrEntryBatch>): Promise<void> {
    const { node, source, clock } = this.options;
    const fail = (r: DrRefusal): void => {
      call.emit('error', toStatus(r));
    };
    const auth = await authorizeSecondary(node, call.metadata, clock.nowMs());
    if (!auth.ok) return fail(auth.error);
    const { caller } = auth.value;
    const from = parseUint64(call.request.from_index, 'from_index');
    if (!from.ok || from.value < 1) {
      return fail({ code: grpc.status.INVALID_ARGUMENT, details: 'from_index must be an index >= 1' });
    }
    const asked = call.request.max_batch_bytes;
    const maxBytes = asked > 0 ? Math.min(asked, this.maxBatchBytes) : this.maxBatchBytes;
    const streamId = this.nextStreamId++;
    const cancelled = new AbortController();
    const onClose = (): void => cancelled.abort();
    call.on('cancelled', onClose);
    call.on('close', onClose);
    this.closing.signal.addEventListener('abort', onClose);
    let next = from.value;
    let lastSentAtMs = clock.monotonicMs();
    const record = (lastSentIndex: number): void => {
      this.live.set(streamId, { secondaryId: caller.secondaryId, peer: call.getPeer(), connectedAtMs: connectedAt, lastSentAtMs: clock.nowMs(), lastSentIndex });
    };
    const connectedAt = clock.nowMs();
    record(next - 1);
    try {
      while (!cancelled.signal.aborted) {
        const still = stillAuthorized(node, caller);
        if (!still.ok) return fail(still.error);
        const first = source.firstIndex();
        if (next < first) {
          return fail({ code: grpc.status.OUT_OF_RANGE, details: `compacted: first index is ${first}, the secondary asked for ${next}; fetch the snapshot` });
        }
        const last = source.lastIndex();
        if (next <= last) {
          const got = await source.entries(next, maxBytes);
          if (!got.ok) {
            if (got.error.kind === 'compacted') {
              return fail({ code: grpc.status.OUT_OF_RANGE, details: `compacted: ${got.error.message}; fetch the snapshot` });
            }
            return fail(refusalFromError(got.error));
          }
          const entries = got.value;
          const lastEntry = entries[entries.length - 1];
          if (lastEntry === undefined || entries[0]?.index !== next) {
            return fail({ code: grpc.status.INTERNAL, details: `the primary's log returned no entry at ${next}` });
          }
          const message = this.batch(entries, lastEntry.index, last);
          // Recorded before the write resolves: the secondary may apply the batch before this
          // side sees the write buffer drain, and the status must not lag behind the secondary.
          record(lastEntry.index);
          const writeStartMs = clock.monotonicMs();
          await writeWithBackpressure(call, message, cancelled.signal);
          const waitedMs = clock.monotonicMs() - writeStartMs;
          if (waitedMs > 100) this.logger.warn('dr stream waited for the secondary to drain', { secondaryId: caller.secondaryId, waitedMs: Math.round(waitedMs), index: lastEntry.index });
          next = lastEntry.index + 1;
          lastSentAtMs = clock.monotonicMs();
          continue;
        }
        const sinceSentMs = clock.monotonicMs() - lastSentAtMs;
        if (sinceSentMs >= this.heartbeatIntervalMs) {
          record(next - 1);
          await writeWithBackpressure(call, this.batch([], next - 1, last), cancelled.signal);
          lastSentAtMs = clock.monotonicMs();
          continue;
        }
        const waitMs = Math.min(this.heartbeatIntervalMs - sinceSentMs, source.waitForCommit === undefined ? this.pollIntervalMs : this.heartbeatIntervalMs);
        if (source.waitForCommit !== undefined) {
          await Promise.race([source.waitForCommit(next - 1, waitMs), abortableDelay(waitMs, cancelled.signal)]);
        } else {
          await abortableDelay(waitMs, cancelled.signal);
        }
      }
      if (this.closing.signal.aborted) fail({ code: grpc.status.UNAVAILABLE, details: 'the DR primary is shutting down' });
    } finally {
      this.live.delete(streamId);
      this.closing.signal.removeEventListener('abort', onClose);
    }
  }

  private batch(entries: readonly DrEntryRecord[], lastSentIndex: number, primaryLast: number): DrEntryBatch {
    const { source, clock, node } = this.options;
    const nextTs = lastSentIndex < primaryLast ? source.entryTimestampMs(lastSentIndex + 1) : undefined;
    return {
      entries: entries.map(entryToWire),
      primary_last_index: String(Math.max(primaryLast, lastSentIndex)),
      primary_now_ms: String(clock.nowMs()),
      next_entry_timestamp_ms: String(nextTs ?? 0),
      epoch: String(node.drState().epoch),
      first_entry_timestamp_ms: String(entries[0] === undefined ? 0 : (source.entryTimestampMs(entries[0].index) ?? 0)),
    };
  }

  private async snapshot(call: grpc.ServerWritableStream<DrSnapshotRequest__Output, DrSnapshotChunk>): Promise<void> {
    const { node, source, clock } = this.options;
    const auth = await authorizeSecondary(node, call.metadata, clock.nowMs());
    if (!auth.ok) {
      call.emit('error', toStatus(auth.error));
      return;
    }
    const snap = await source.snapshot();
    if (!snap.ok) {
      call.emit('error', toStatus(refusalFromError(snap.error)));
      return;
    }
    const { index, term, data } = snap.value;
    this.logger.info('dr snapshot sent', { secondaryId: auth.value.caller.secondaryId, index, bytes: data.length });
    const cancelled = new AbortController();
    call.on('cancelled', () => cancelled.abort());
    let offset = 0;
    do {
      const slice = data.subarray(offset, offset + this.snapshotChunkBytes);
      const chunk: DrSnapshotChunk =
        offset === 0 ? { index: String(index), term: String(term), total_bytes: String(data.length), data: slice } : { data: slice };
      await writeWithBackpressure(call, chunk, cancelled.signal);
      offset += slice.length;
    } while (offset < data.length && !cancelled.signal.aborted);
    call.end();
  }
}

/** A standalone gRPC server for the DR service (tests, or a DR port of its own). */
export async function listenDrPrimary(
  server: DrPrimaryServer,
  listenAddress: string,
  credentials: grpc.ServerCredentials = grpc.ServerCredentials.createInsecure(),
): Promise<{ readonly grpcServer: grpc.Server; readonly port: number }> {
  const grpcServer = new grpc.Server();
  grpcServer.addService(drPrimaryServiceDefinition(), server.handlers());
  const port = await new Promise<number>((resolve, reject) => {
    grpcServer.bindAsync(listenAddress, credentials, (e, p) => (e === null ? resolve(p) : reject(e)));
  });
  return { grpcServer, port };
}
