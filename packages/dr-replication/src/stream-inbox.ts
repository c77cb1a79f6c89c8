/**
 * The secondary's receive side of one StreamEntries call, ahead of the apply. Batches are decoded
 * and queued as they arrive, so that the secondary
 * - keeps reading the connection while it applies (the primary's unsent backlog does not hide in
 *   socket buffers: the lag it reports counts what the primary committed, not what was read);
 * - applies everything queued in ONE sink call (one raft round of this cluster for many batches:
 *   group commit, so it keeps up under load instead of one round per batch);
 * - applies what arrived before the call broke (a primary killed mid-stream), then reports the end.
 * The queue is bounded: above `maxQueuedBytes` the call is paused until the apply drains it.
 */
import type * as grpc from '@grpc/grpc-js';
import type { DrEntryBatch__Output } from '@coffer/wire';
import type { ReceivedBatch } from './convert.js';
import { batchFromWire } from './convert.js';

export type InboxTake =
  | { readonly kind: 'batches'; readonly batches: readonly ReceivedBatch[] }
  /** The call ended (`error` as thrown by gRPC, or undefined when the primary closed it) or broke. */
  | { readonly kind: 'ended'; readonly error: unknown; readonly broken?: string };

const bytesOf = (b: ReceivedBatch): number => b.entries.reduce((n, e) => n + e.data.length + 32, 64);

export class StreamInbox {
  private readonly queue: ReceivedBatch[] = [];
  /** Local monotonic time each queued batch arrived (same order as `queue`). */
  private readonly arrivedAtMs: number[] = [];
  private queuedBytes = 0;
  private isPaused = false;
  private end: InboxTake & { kind: 'ended' } | undefined;
  private wake: (() => void) | undefined;
  private expectedNext: number;

  constructor(
    private readonly call: grpc.ClientReadableStream<DrEntryBatch__Output>,
    fromIndex: number,
    private readonly options: { readonly maxQueuedBytes: number; readonly monoMs: () => number; readonly onBatch: (b: ReceivedBatch) => void },
  ) {
    this.expectedNext = fromIndex;
    call.on('data', (raw: DrEntryBatch__Output) => this.onData(raw));
    call.on('error', (e: unknown) => this.finish({ kind: 'ended', error: e }));
    call.on('end', () => this.finish({ kind: 'ended', error: undefined }));
  }

  /** The queued batches (at most `maxBytes` of them, at least one), or how the call ended once none is queued. */
  async take(maxBytes: number): Promise<InboxTake> {
    for (;;) {
      if (this.queue.length > 0) {
        let taken = 0;
        let bytes = 0;
        while (taken < this.queue.length) {
          const b = bytesOf(this.queue[taken] as ReceivedBatch);
          if (taken > 0 && bytes + b > maxBytes) break;
          bytes += b;
          taken++;
        }
        const batches = this.queue.splice(0, taken);
        this.arrivedAtMs.splice(0, taken);
        this.queuedBytes -= bytes;
        if (this.isPaused && this.queuedBytes <= this.options.maxQueuedBytes / 2) {
          this.isPaused = false;
          this.call.resume();
        }
        return { kind: 'batches', batches };
      }
      if (this.end !== undefined) return this.end;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The oldest batch still queued (not taken) and when it arrived, if any. */
  peek(): { readonly batch: ReceivedBatch; readonly arrivedAtMs: number } | undefined {
    const batch = this.queue[0];
    return batch === undefined ? undefined : { batch, arrivedAtMs: this.arrivedAtMs[0] ?? this.options.monoMs() };
  }

  private onData(raw: DrEntryBatch__Output): void {
    if (this.end !== undefined) return;
    const batch = batchFromWire(raw, this.expectedNext);
    if (!batch.ok) {
      this.finish({ kind: 'ended', error: undefined, broken: batch.error.message });
      this.call.cancel();
      return;
    }
    const last = batch.value.entries[batch.value.entries.length - 1];
    if (last !== undefined) this.expectedNext = last.index + 1;
    this.queue.push(batch.value);
    this.arrivedAtMs.push(this.options.monoMs());
    this.queuedBytes += bytesOf(batch.value);
    this.options.onBatch(batch.value);
    if (!this.isPaused && this.queuedBytes > this.options.maxQueuedBytes) {
      this.isPaused = true;
      this.call.pause();
    }
    this.poke();
  }

  private finish(end: InboxTake & { kind: 'ended' }): void {
    this.end ??= end;
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
