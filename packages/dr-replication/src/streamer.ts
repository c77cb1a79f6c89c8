/**
 * The DR secondary's puller. Run by the secondary's LEADER only (the node starts one when it
 * becomes leader and stops it when it loses leadership; a new leader resumes from the position
 * its state machine holds). It streams the primary's committed entries from the sink's position
 * into the sink, installs a snapshot when the primary has compacted past that position (or when
 * the link is new), follows not-leader hints to the primary's leader (a bounded number of hops),
 * and otherwise reconnects with bounded, jittered backoff, rotating through the primary's
 * addresses. It never gives up while running: a refusal (revoked, wrong cluster) is reported in
 * the status and retried at the backoff ceiling, since an operator may fix it on the primary.
 *
 *   idle --connect--> stream-entries --compacted--> snapshot-sync --installed--> stream-entries
 *     ^                   |   (not-leader: follow hint; error: backoff)   |
 *     +-------------------+-------------------------------------------------+
 */
import * as grpc from '@grpc/grpc-js';
import type { Clock, CofferError, Logger, Rng } from '@coffer/base';
import { nullLogger } from '@coffer/base';
import { Backoff } from '@coffer/transport';
import type { TimeLag } from '@coffer/replication-lag';
import { timeLagMs } from '@coffer/replication-lag';
import { loadProtos } from '@coffer/wire';
import type { DrPrimaryClient } from '@coffer/wire';
import { callerMetadata } from './dr-metadata.js';
import { fetchSnapshot } from './snapshot-fetch.js';
import type { Outcome } from './stream-outcome.js';
import { classifyCallError, watchdog } from './stream-outcome.js';
import type { PrimaryLink, SecondaryStreamState } from './dr-state.js';
import { LagTracker } from './lag-tracker.js';
import type { EntrySink } from './ports.js';
import { streamStart } from './stream-position.js';
import { StreamInbox } from './stream-inbox.js';
import { abortableDelay } from './timing.js';
import type { DrTlsOptions } from './tls.js';
import { drChannelCredentials } from './tls.js';

/** gRPC connectivity, in Vault's `connection_state` words. */
export type DrConnectionState = 'idle' | 'connecting' | 'ready' | 'transient_failure' | 'shutdown';

export interface DrStreamerOptions {
  readonly link: PrimaryLink;
  /** This secondary's replication epoch (from its DR record). */
  readonly epoch: number;
  readonly sink: EntrySink;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly logger?: Logger;
  readonly tls?: DrTlsOptions;
  readonly maxBatchBytes?: number;
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
  /** No message (not even a heartbeat) for this long: the connection is dead (default 3 s). */
  readonly idleTimeoutMs?: number;
  /** Not-leader hints followed in a row before backing off (default 3). */
  readonly maxLeaderHops?: number;
  readonly maxSnapshotBytes?: number;
  /** Called on every substate change (the node may record it with setStreamState). */
  readonly onStateChange?: (state: SecondaryStreamState) => void;
}

export interface DrStreamerStatus {
  readonly state: SecondaryStreamState;
  readonly connectionState: DrConnectionState;
  readonly primaryAddress: string | undefined;
  /** The primary's last committed index, as last heard. */
  readonly lastPrimaryIndex: number;
  /** The last primary entry received here (applied, or queued for the apply). */
  readonly lastReceivedPrimaryIndex: number;
  readonly lastAppliedPrimaryIndex: number;
  readonly lagEntries: number;
  /** Undefined when unknown; a lower bound when `timeLag.kind` is `at-least`. */
  readonly lagMs: number | undefined;
  readonly timeLag: TimeLag;
  readonly lastHeardAtMs: number | undefined;
  /** The last failure, in words (never a secret). */
  readonly lastError: string | undefined;
  readonly reconnects: number;
  readonly snapshotsInstalled: number;
}

/** Received but not yet applied, before the call is paused (bounded memory on the secondary). */
const MAX_QUEUED_BYTES = 16 << 20;
/** At most this much of the queue goes into one raft command of the secondary. */
const MAX_APPLY_BYTES = 4 << 20;
/**
 * No message for this long ends the call (the primary sends a heartbeat every second): a primary
 * node that froze or lost leadership without ending the stream is left after 3 missed beats.
 * The apply does not count (the inbox reads ahead of it).
 */
const DEFAULT_IDLE_TIMEOUT_MS = 3_000;
const SNAPSHOT_IDLE_TIMEOUT_MS = 30_000;
/** Retry delay while the primary has no leader (it answered not-leader without a hint). */
const LEADERLESS_RETRY_MS = 200;

export class DrStreamer {
  private readonly logger: Logger;
  private readonly backoff: Backoff;
  private readonly lag = new LagTracker();
  private readonly clients = new Map<string, DrPrimaryClient>();
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private state: SecondaryStreamState = 'idle';
  private connection: DrConnectionState = 'idle';
  private address: string | undefined;
  private addressIndex = 0;
  private lastError: string | undefined;
  private reconnects = 0;
  private snapshotsInstalled = 0;
  private cancelCurrent: (() => void) | undefined;
  /** Whether the current attempt received anything from the primary (see run). */
  private wasReady = false;

  constructor(private readonly options: DrStreamerOptions) {
    if (options.link.primaryAddresses.length === 0) throw new Error('DrStreamer: the primary link has no address');
    this.logger = options.logger ?? nullLogger;
    this.backoff = new Backoff(
      { initialMs: options.reconnectInitialMs ?? 100, maxMs: options.reconnectMaxMs ?? 5_000 },
      () => options.rng.next(),
    );
    const pos = options.sink.position();
    if (pos !== undefined && pos.primaryClusterId === options.link.primaryClusterId) this.lag.setApplied(pos.lastAppliedPrimaryIndex);
  }

  start(): void {
    if (this.running !== undefined) return;
    this.running = this.run().finally(() => {
      this.setConnection('shutdown');
    });
  }

  /** Stops pulling and closes the channels; resolves when the loop has ended (no apply in flight). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.cancelCurrent?.();
    await this.running;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
    this.setState('idle');
  }

  status(): DrStreamerStatus {
    const lag = this.lag.snapshot(this.options.clock.monotonicMs());
    return {
      state: this.state,
      connectionState: this.connection,
      primaryAddress: this.address,
      lastPrimaryIndex: lag.lastPrimaryIndex,
      lastReceivedPrimaryIndex: lag.lastReceivedPrimaryIndex,
      lastAppliedPrimaryIndex: lag.lastAppliedPrimaryIndex,
      lagEntries: lag.lagEntries,
      lagMs: timeLagMs(lag.timeLag),
      timeLag: lag.timeLag,
      lastHeardAtMs: lag.lastHeardAtMs,
      lastError: this.lastError,
      reconnects: this.reconnects,
      snapshotsInstalled: this.snapshotsInstalled,
    };
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private setState(s: SecondaryStreamState): void {
    if (this.state === s) return;
    this.state = s;
    this.options.onStateChange?.(s);
  }

  private setConnection(c: DrConnectionState): void {
    this.connection = c;
  }

  private async run(): Promise<void> {
    const addresses = this.options.link.primaryAddresses;
    this.address = addresses[0];
    let isSnapshotForced = false;
    let hops = 0;
    let compactedInARow = 0;
    while (!this.stopped) {
      const address = this.address ?? addresses[0] ?? '';
      const start = isSnapshotForced ? ({ kind: 'snapshot' } as const) : streamStart(this.options.link, this.options.sink.position());
      this.wasReady = false;
      const outcome = start.kind === 'snapshot' ? await this.snapshotSync(address) : await this.streamFrom(address, start.fromIndex);
      if (outcome.kind === 'stopped' || this.stopped) return;
      // A stream that worked and then ended (the primary's leader changed or died) is retried at
      // once, not after the backoff grown by earlier failures: every ms here is RPO.
      if (this.wasReady) this.backoff.reset();
      let isBackoffNeeded = true;
      let delayCapMs = Number.POSITIVE_INFINITY;
      switch (outcome.kind) {
        case 'snapshot-installed':
          isSnapshotForced = false;
          compactedInARow = 0;
          isBackoffNeeded = false;
          break;
        case 'compacted':
          isSnapshotForced = true;
          compactedInARow++;
          // A snapshot that is already compacted past again means a very busy primary; retry at once
          // a few times, then slow down.
          isBackoffNeeded = compactedInARow > 3;
          break;
        case 'not-leader':
          if (outcome.hint !== undefined && outcome.hint !== address && hops < (this.options.maxLeaderHops ?? 3)) {
            hops++;
            this.address = outcome.hint;
            isBackoffNeeded = false;
          } else {
            hops = 0;
            this.rotateAddress();
            // The primary is up and electing a leader (hundreds of ms): ask again soon.
            delayCapMs = LEADERLESS_RETRY_MS;
          }
          this.lastError = 'the primary node is not its leader';
          break;
        case 'refused':
          this.lastError = outcome.message;
          this.logger.error('dr primary refused the secondary', { primary: address, reason: outcome.message });
          // Another address may be a correctly configured node (a wrong address in the list).
          this.rotateAddress();
          break;
        case 'broken':
          this.lastError = outcome.message;
          this.logger.warn('dr stream broken', { primary: address, reason: outcome.message });
          hops = 0;
          this.rotateAddress();
          break;
      }
      if (outcome.kind !== 'not-leader' && outcome.kind !== 'compacted') hops = 0;
      if (isBackoffNeeded) {
        this.setState('idle');
        this.setConnection('transient_failure');
        await abortableDelay(Math.min(this.backoff.nextDelayMs(), delayCapMs), this.stopping.signal);
      }
      this.reconnects++;
    }
  }

  private rotateAddress(): void {
    const addresses = this.options.link.primaryAddresses;
    this.addressIndex = (this.addressIndex + 1) % addresses.length;
    this.address = addresses[this.addressIndex];
  }

  private client(address: string): DrPrimaryClient {
    const existing = this.clients.get(address);
    if (existing !== undefined) return existing;
    const creds = drChannelCredentials(this.options.tls);
    const Ctor = loadProtos().coffer.dr.v1.DrPrimary;
    const client = new Ctor(address, creds, {
      'grpc.max_receive_message_length': 64 << 20,
      'grpc.initial_reconnect_backoff_ms': this.options.reconnectInitialMs ?? 100,
      'grpc.max_reconnect_backoff_ms': this.options.reconnectMaxMs ?? 5_000,
    });
    this.clients.set(address, client);
    return client;
  }

  private metadata(): grpc.Metadata {
    const { link, epoch } = this.options;
    return callerMetadata({ primaryClusterId: link.primaryClusterId, secondaryId: link.secondaryId, credential: link.credential, epoch });
  }

  private idleTimeoutMs(): number {
    return this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  private async streamFrom(address: string, fromIndex: number): Promise<Outcome> {
    const { sink, link, clock } = this.options;
    this.setConnection('connecting');
    const call = this.client(address).StreamEntries(
      { from_index: String(fromIndex), max_batch_bytes: this.options.maxBatchBytes ?? 0 },
      this.metadata(),
    );
    const cancel = (): void => call.cancel();
    this.cancelCurrent = cancel;
    const dog = watchdog(this.idleTimeoutMs(), cancel);
    let next = fromIndex;
    const inbox = new StreamInbox(call, fromIndex, {
      maxQueuedBytes: MAX_QUEUED_BYTES,
      monoMs: () => clock.monotonicMs(),
      onBatch: (b) => {
        this.wasReady = true;
        dog.touch();
        this.setConnection('ready');
        this.setState('stream-entries');
        const first = b.entries[0];
        if (first !== undefined) {
          this.lag.received({ primaryLastIndex: b.primaryLastIndex, primaryNowMs: b.primaryNowMs, firstIndex: first.index, lastIndex: b.entries[b.entries.length - 1]?.index ?? first.index, firstEntryTimestampMs: b.firstEntryTimestampMs, monoMs: clock.monotonicMs() });
        }
      },
    });
    /** After an apply, the oldest queued batch (if any) is what the time lag is about. */
    const noteQueued = (): void => {
      const q = inbox.peek();
      const first = q?.batch.entries[0];
      if (q === undefined || first === undefined) return;
      const b = q.batch;
      this.lag.received({ primaryLastIndex: b.primaryLastIndex, primaryNowMs: b.primaryNowMs, firstIndex: first.index, lastIndex: b.entries[b.entries.length - 1]?.index ?? first.index, firstEntryTimestampMs: b.firstEntryTimestampMs, monoMs: q.arrivedAtMs });
    };
    try {
      for (;;) {
        const taken = await inbox.take(MAX_APPLY_BYTES);
        if (taken.kind === 'ended') {
          if (this.stopped) return { kind: 'stopped' };
          if (taken.broken !== undefined) return { kind: 'broken', message: taken.broken };
          if (taken.error === undefined) return { kind: 'broken', message: 'the primary ended the stream' };
          return classifyCallError(taken.error, { isStopped: this.stopped, isIdle: dog.fired(), idleTimeoutMs: this.idleTimeoutMs() });
        }
        // Everything queued goes through this cluster's raft as one command.
        const entries = taken.batches.flatMap((b) => b.entries);
        const last = entries[entries.length - 1];
        if (last !== undefined) {
          const applied = await sink.apply({ primaryClusterId: link.primaryClusterId, entries });
          if (!applied.ok) {
            call.cancel();
            return this.sinkFailure(applied.error);
          }
          this.lag.setApplied(applied.value.lastAppliedPrimaryIndex);
          next = last.index + 1;
          this.backoff.reset();
        }
        const newest = taken.batches[taken.batches.length - 1];
        if (newest !== undefined) {
          this.lag.heard({
            primaryLastIndex: newest.primaryLastIndex,
            primaryNowMs: newest.primaryNowMs,
            lastSentIndex: next - 1,
            nextEntryTimestampMs: newest.nextEntryTimestampMs,
            monoMs: clock.monotonicMs(),
            wallMs: clock.nowMs(),
          });
          noteQueued();
        }
        if (this.stopped) {
          call.cancel();
          return { kind: 'stopped' };
        }
      }
    } finally {
      dog.clear();
      this.cancelCurrent = undefined;
    }
  }

  private sinkFailure(e: CofferError): Outcome {
    if (this.stopped) return { kind: 'stopped' };
    return { kind: 'broken', message: `applying on this secondary failed (${e.kind}): ${e.message}` };
  }

  private async snapshotSync(address: string): Promise<Outcome> {
    const { sink, link } = this.options;
    this.setConnection('connecting');
    this.setState('snapshot-sync');
    const fetched = await fetchSnapshot(this.client(address), this.metadata(), {
      maxBytes: this.options.maxSnapshotBytes ?? 1 << 30,
      // The primary encodes the whole snapshot before its first chunk (seconds for a large store).
      idleTimeoutMs: Math.max(this.idleTimeoutMs(), SNAPSHOT_IDLE_TIMEOUT_MS),
      isStopped: () => this.stopped,
      onCall: (cancel) => (this.cancelCurrent = cancel),
      onReady: () => this.setConnection('ready'),
    });
    if (fetched.kind !== 'fetched') return fetched;
    const { index, term, data } = fetched.snapshot;
    const installed = await sink.installSnapshot({ primaryClusterId: link.primaryClusterId, index, term, data });
    if (!installed.ok) return this.sinkFailure(installed.error);
    this.lag.setApplied(installed.value.lastAppliedPrimaryIndex);
    this.snapshotsInstalled++;
    this.logger.info('dr snapshot installed', { index, bytes: data.length });
    return { kind: 'snapshot-installed' };
  }
}
