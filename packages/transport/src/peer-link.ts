/**
 * The outbound half of one peer: ONE long-lived RaftPeer.Stream, a bounded queue in front of it,
 * and reconnection.
 *
 *   idle --send--> connecting --first ack--> open
 *     ^                 |                      |
 *     |            error/end/ack timeout  error/end/ack timeout
 *     |                 v                      v
 *     +----timer---- backoff <-----------------+        (close() from any state -> closed)
 *
 * Invariants: at most one stream per peer; queue.length <= maxQueuedMessages; at most
 * maxInflightBatches unacknowledged batches on the stream. While in backoff the peer is down:
 * messages for it are dropped at once (counted) and reported unreachable, never queued, because
 * raft retransmits whatever matters. After the backoff timer the link is idle and reconnects on
 * the next send (raft's heartbeats make that soon), so a dead peer costs one attempt per backoff.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger, NodeId } from '@coffer/base';
import type { Message } from '@coffer/raft';
import type { MessageBatch, RaftPeerClient, StreamAck__Output } from '@coffer/wire';
import { Backoff } from './backoff.js';
import { toWire } from './convert.js';
import type { Identity } from './identity.js';
import { identityMetadata, isRefusal } from './identity.js';
import type { PeerCounters, ResolvedTransportOptions } from './options.js';
import type { RateLimitedLog } from './rate-limited-log.js';

export type LinkState = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';

export interface PeerLinkDeps {
  readonly self: Identity;
  readonly peer: NodeId;
  readonly client: RaftPeerClient;
  readonly options: ResolvedTransportOptions;
  readonly counters: PeerCounters;
  readonly random: () => number;
  readonly log: RateLimitedLog;
  readonly logger: Logger;
  /** Called (asynchronously) when the stream breaks or messages are dropped because the peer is down. */
  readonly onUnreachable: (peer: NodeId) => void;
}

type Duplex = grpc.ClientDuplexStream<MessageBatch, StreamAck__Output>;

/** A rough size of one message on the wire, to keep batches near maxBatchBytes. */
function approxBytes(m: Message): number {
  if (m.type !== 'append') return 48;
  let n = 64;
  for (const e of m.entries) n += e.data.byteLength + 24;
  return n;
}

export class PeerLink {
  private state: LinkState = 'idle';
  private call: Duplex | undefined;
  private queue: Message[] = [];
  private inflightBatches = 0;
  private seq = 0;
  private isWritable = true;
  private isFlushScheduled = false;
  private backoffTimer: NodeJS.Timeout | undefined;
  private ackTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;

  constructor(private readonly deps: PeerLinkDeps) {
    this.backoff = new Backoff(
      { initialMs: deps.options.reconnectInitialMs, maxMs: deps.options.reconnectMaxMs },
      deps.random,
    );
  }

  get linkState(): LinkState {
    return this.state;
  }

  /** Queues messages for the stream (non-blocking). False when some were dropped. */
  enqueue(messages: readonly Message[]): boolean {
    const c = this.deps.counters;
    if (this.state === 'closed' || this.state === 'backoff') {
      c.droppedPeerDown += messages.length;
      if (this.state === 'backoff') this.reportUnreachable();
      return false;
    }
    if (this.state === 'idle') this.open();
    let isAllQueued = true;
    for (const m of messages) {
      if (this.queue.length >= this.deps.options.maxQueuedMessages) {
        c.droppedQueueFull++;
        isAllQueued = false;
      } else {
        this.queue.push(m);
      }
    }
    this.scheduleFlush();
    return isAllQueued;
  }

  close(): void {
    this.state = 'closed';
    this.clearTimers();
    this.queue = [];
    const call = this.call;
    this.call = undefined;
    call?.cancel();
  }

  private open(): void {
    this.state = 'connecting';
    this.seq = 0;
    this.inflightBatches = 0;
    this.isWritable = true;
    this.deps.counters.streamsOpened++;
    const call = this.deps.client.Stream(identityMetadata(this.deps.self, this.deps.peer));
    this.call = call;
    call.on('data', (ack: StreamAck__Output) => {
      if (this.call !== call) return;
      this.onAck(ack);
    });
    call.on('error', (e: grpc.ServiceError) => {
      if (this.call === call) this.broken(e.code, e.details);
    });
    call.on('end', () => {
      if (this.call === call) this.broken(undefined, 'peer ended the stream');
    });
    call.on('drain', () => {
      if (this.call !== call) return;
      this.isWritable = true;
      this.flush();
    });
  }

  private onAck(ack: StreamAck__Output): void {
    if (this.state === 'connecting') {
      this.state = 'open';
      this.backoff.reset();
      this.deps.logger.info('raft stream open', { peer: this.deps.peer });
    }
    this.inflightBatches = Math.max(0, this.inflightBatches - 1);
    if (ack.rejected > 0) {
      this.deps.log.warn(`rejected:${this.deps.peer}`, 'peer rejected raft messages as malformed or misaddressed', {
        peer: this.deps.peer,
        rejected: ack.rejected,
      });
    }
    this.armAckTimer(true);
    this.flush();
  }

  private scheduleFlush(): void {
    if (this.isFlushScheduled) return;
    this.isFlushScheduled = true;
    // Coalesce the send() calls of one tick (one Ready, usually) into as few batches as possible.
    queueMicrotask(() => {
      this.isFlushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const { maxInflightBatches, maxBatchMessages, maxBatchBytes } = this.deps.options;
    const c = this.deps.counters;
    while (this.call !== undefined && this.isWritable && this.inflightBatches < maxInflightBatches && this.queue.length > 0) {
      let bytes = 0;
      let n = 0;
      while (n < this.queue.length && n < maxBatchMessages) {
        const size = approxBytes(this.queue[n] as Message);
        if (n > 0 && bytes + size > maxBatchBytes) break;
        bytes += size;
        n++;
      }
      const batch = this.queue.splice(0, n);
      this.seq++;
      this.inflightBatches++;
      this.isWritable = this.call.write({ seq: this.seq, messages: batch.map(toWire) });
      c.sentMessages += batch.length;
      c.sentBatches++;
      this.armAckTimer(false);
    }
  }

  /** Keeps one timer for the oldest unacknowledged batch; `restart` after an ack. */
  private armAckTimer(restart: boolean): void {
    if (restart && this.ackTimer !== undefined) {
      clearTimeout(this.ackTimer);
      this.ackTimer = undefined;
    }
    if (this.inflightBatches === 0 || this.ackTimer !== undefined) return;
    const timeoutMs = this.deps.options.ackTimeoutMs;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      this.broken(undefined, `no acknowledgement for ${timeoutMs} ms`);
    }, timeoutMs);
    this.ackTimer.unref();
  }

  private broken(code: grpc.status | undefined, details: string): void {
    if (this.state === 'closed' || this.state === 'backoff') return;
    const { peer } = this.deps;
    const call = this.call;
    this.call = undefined;
    call?.cancel();
    this.clearTimers();
    this.deps.counters.streamsBroken++;
    this.deps.counters.droppedPeerDown += this.queue.length;
    this.queue = [];
    this.inflightBatches = 0;
    const fields = { peer, code: code ?? -1, details };
    if (code !== undefined && isRefusal(code)) {
      this.deps.log.error(`refused:${peer}:${code}:${details}`, `peer ${peer} refused this node's raft stream: ${details}`, fields);
    } else {
      this.deps.log.warn(`broken:${peer}:${code ?? -1}`, `raft stream to ${peer} broke: ${details}`, fields);
    }
    this.state = 'backoff';
    this.reportUnreachable();
    const delayMs = this.backoff.nextDelayMs();
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = undefined;
      if (this.state === 'backoff') this.state = 'idle';
    }, delayMs);
    this.backoffTimer.unref();
  }

  private reportUnreachable(): void {
    const { peer, onUnreachable } = this.deps;
    queueMicrotask(() => onUnreachable(peer));
  }

  private clearTimers(): void {
    if (this.backoffTimer !== undefined) clearTimeout(this.backoffTimer);
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer);
    this.backoffTimer = undefined;
    this.ackTimer = undefined;
  }
}
