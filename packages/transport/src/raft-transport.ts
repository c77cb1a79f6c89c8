/**
 * RaftTransport: raft messages between the nodes of one cluster over gRPC.
 *
 * Outbound: send() groups messages by destination and hands them to that peer's PeerLink (one
 * long-lived stream, bounded queue, reconnect with backoff); snapshots go through InstallSnapshot
 * in chunks, one at a time per peer. send() never blocks and never throws for a bad peer: what
 * cannot be delivered is dropped, counted and reported through onUnreachable / onSnapshotStatus.
 * Inbound: the gRPC server checks identity and hands validated messages to onMessage.
 * The runtime's own gRPC services (the node API) share the server through addService().
 *
 * Handlers are never called synchronously from inside send(), so a handler may call back into
 * raft without re-entering the Ready loop that called send().
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger, NodeId } from '@coffer/base';
import { nullLogger } from '@coffer/base';
import type { Message, SnapshotMessage } from '@coffer/raft';
import type { RaftPeerClient } from '@coffer/wire';
import { loadProtos } from '@coffer/wire';
import type { FaultSpec } from './faults.js';
import { FaultInjector } from './faults.js';
import type { Identity } from './identity.js';
import { inboundHandlers } from './inbound.js';
import { InboundRegistry } from './inbound-registry.js';
import type { LinkState } from './peer-link.js';
import { PeerLink } from './peer-link.js';
import type { PeerAddresses, PeerCounters, RaftTransportOptions, ResolvedTransportOptions, TlsOptions } from './options.js';
import { newCounters, resolveOptions } from './options.js';
import { RateLimitedLog } from './rate-limited-log.js';
import { sendSnapshot } from './snapshot-sender.js';
import { serverCredentials } from './tls.js';
import { createPeerClient, toAddressMap } from './peer-client.js';

export type MessageHandler = (m: Message) => void;
export type UnreachableHandler = (peer: NodeId) => void;
export type SnapshotStatusHandler = (peer: NodeId, isOk: boolean) => void;

interface PeerEntry {
  readonly address: string;
  readonly client: RaftPeerClient;
  readonly link: PeerLink;
  isSnapshotInFlight: boolean;
}

export class RaftTransport {
  private readonly self: Identity;
  private readonly opts: ResolvedTransportOptions;
  private readonly tls: TlsOptions | undefined;
  private readonly logger: Logger;
  private readonly log: RateLimitedLog;
  private readonly random: () => number;
  private readonly faultInjector: FaultInjector;
  private readonly server: grpc.Server;
  private addresses = new Map<NodeId, string>();
  private readonly peers = new Map<NodeId, PeerEntry>();
  private readonly counterMap = new Map<NodeId, PeerCounters>();
  private readonly inbound = new InboundRegistry();
  private readonly delayTimers = new Set<NodeJS.Timeout>();
  private state: 'new' | 'starting' | 'started' | 'closed' = 'new';
  private messageHandler: MessageHandler | undefined;
  private unreachableHandler: UnreachableHandler | undefined;
  private snapshotStatusHandler: SnapshotStatusHandler | undefined;

  constructor(private readonly options: RaftTransportOptions) {
    this.self = { clusterId: options.clusterId, nodeId: options.nodeId };
    this.opts = resolveOptions(options);
    this.tls = options.tls;
    this.logger = options.logger ?? nullLogger;
    this.log = new RateLimitedLog(this.logger, this.opts.logIntervalMs, options.nowMs ?? Date.now);
    const rng = options.rng;
    this.random = rng !== undefined ? () => rng.next() : Math.random;
    this.faultInjector = new FaultInjector(options.unsafeFaultInjection === true, this.random);
    this.server = new grpc.Server({ 'grpc.max_receive_message_length': this.opts.maxMessageBytes });
    this.server.addService(
      loadProtos().coffer.raft.v1.RaftPeer.service,
      inboundHandlers({
        self: this.self,
        isMember: (id) => this.addresses.has(id),
        isCertNameChecked: this.tls !== undefined,
        faults: this.faultInjector,
        maxSnapshotBytes: this.opts.maxSnapshotBytes,
        counters: (peer) => this.countersOf(peer),
        log: this.log,
        deliver: (m) => this.deliver(m),
        track: (peer, stream) => this.inbound.track(peer, stream),
      }),
    );
    this.setPeers(options.peers);
  }

  /**
   * Serves another gRPC service on the same server and port (the node's client API). Only before
   * start(): grpc-js cannot add services to a running server.
   */
  addService(service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void {
    if (this.state !== 'new') throw new Error('RaftTransport.addService must be called before start()');
    this.server.addService(service, implementation);
  }

  /** Listens on listenAddress; resolves with the bound port (useful with port 0). */
  async start(): Promise<{ port: number }> {
    if (this.state !== 'new') throw new Error(`RaftTransport.start called twice or after close (${this.state})`);
    this.state = 'starting';
    const port = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(this.options.listenAddress, serverCredentials(this.tls), (e, p) =>
        e === null ? resolve(p) : reject(e),
      );
    });
    // close() may have run while binding; it shuts the server down, and it stays closed.
    if (this.state === 'starting') this.state = 'started';
    this.logger.info('raft transport listening', { node: this.self.nodeId, port, tls: this.tls !== undefined });
    return { port };
  }

  /** Replaces the membership's addresses. Removed peers' streams (both directions) are closed. */
  setPeers(peers: PeerAddresses): void {
    const next = toAddressMap(peers);
    next.delete(this.self.nodeId);
    for (const [id, entry] of this.peers) {
      if (next.get(id) !== entry.address) this.dropPeer(id);
    }
    for (const id of this.addresses.keys()) {
      if (!next.has(id)) this.inbound.end(id, grpc.status.PERMISSION_DENIED, `peer ${id} was removed from cluster ${this.self.clusterId}`);
    }
    this.addresses = next;
  }

  send(messages: readonly Message[]): void {
    if (this.state === 'closed') return;
    const byPeer = new Map<NodeId, Message[]>();
    for (const m of messages) {
      if (m.to === this.self.nodeId) {
        this.log.warn('self-send', 'raft asked the transport to send a message to this node itself; dropped', { type: m.type });
        continue;
      }
      const verdict = this.faultInjector.outbound(m.to);
      if (verdict.kind === 'drop') {
        this.countersOf(m.to).droppedFault++;
        if (m.type === 'snapshot') this.reportSnapshot(m.to, false);
        continue;
      }
      if (verdict.delayMs > 0) {
        const timer = setTimeout(() => {
          this.delayTimers.delete(timer);
          if (this.state !== 'closed') this.dispatch(m.to, [m]);
        }, verdict.delayMs);
        this.delayTimers.add(timer);
        continue;
      }
      const list = byPeer.get(m.to);
      if (list === undefined) byPeer.set(m.to, [m]);
      else list.push(m);
    }
    for (const [peer, list] of byPeer) this.dispatch(peer, list);
  }

  onMessage(handler: MessageHandler): void {
    this.messageHandler = handler;
  }

  onUnreachable(handler: UnreachableHandler): void {
    this.unreachableHandler = handler;
  }

  onSnapshotStatus(handler: SnapshotStatusHandler): void {
    this.snapshotStatusHandler = handler;
  }

  /** Test-only fault control (throws unless constructed with unsafeFaultInjection: true). */
  setFaults(spec: FaultSpec): void {
    this.faultInjector.set(spec);
  }

  clearFaults(peer?: string): void {
    this.faultInjector.clear(peer);
  }

  faults(): FaultSpec[] {
    return this.faultInjector.list();
  }

  /** Counters per peer (a copy). */
  stats(): Map<NodeId, PeerCounters> {
    return new Map([...this.counterMap].map(([id, c]) => [id, { ...c }]));
  }

  /** The outbound stream's state for a peer, or undefined when nothing was sent to it yet. */
  linkState(peer: NodeId): LinkState | undefined {
    return this.peers.get(peer)?.link.linkState;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const id of [...this.peers.keys()]) this.dropPeer(id);
    for (const t of this.delayTimers) clearTimeout(t);
    this.delayTimers.clear();
    for (const id of this.inbound.peers()) this.inbound.end(id, grpc.status.UNAVAILABLE, `node ${this.self.nodeId} is shutting down`);
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 1_000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private dispatch(peer: NodeId, messages: readonly Message[]): void {
    const entry = this.peerEntry(peer);
    if (entry === undefined) {
      this.countersOf(peer).droppedPeerDown += messages.length;
      this.log.warn(`unknown-peer:${peer}`, `no address for peer ${peer}: raft messages dropped`, { peer });
      for (const m of messages) if (m.type === 'snapshot') this.reportSnapshot(peer, false);
      queueMicrotask(() => this.unreachableHandler?.(peer));
      return;
    }
    const stream: Message[] = [];
    for (const m of messages) {
      if (m.type === 'snapshot') this.startSnapshot(peer, entry, m);
      else stream.push(m);
    }
    if (stream.length > 0) entry.link.enqueue(stream);
  }

  private peerEntry(peer: NodeId): PeerEntry | undefined {
    const existing = this.peers.get(peer);
    if (existing !== undefined) return existing;
    const address = this.addresses.get(peer);
    if (address === undefined || this.state === 'closed') return undefined;
    const client = createPeerClient(address, this.tls, this.opts);
    const link = new PeerLink({
      self: this.self,
      peer,
      client,
      options: this.opts,
      counters: this.countersOf(peer),
      random: this.random,
      log: this.log,
      logger: this.logger,
      onUnreachable: (p) => this.unreachableHandler?.(p),
    });
    const entry: PeerEntry = { address, client, link, isSnapshotInFlight: false };
    this.peers.set(peer, entry);
    return entry;
  }

  private startSnapshot(peer: NodeId, entry: PeerEntry, m: SnapshotMessage): void {
    const c = this.countersOf(peer);
    if (entry.isSnapshotInFlight) {
      // Raft waits for the status of the one in flight before it sends another; a second one
      // here is a retransmission that the first one's outcome answers.
      c.snapshotsSkipped++;
      return;
    }
    entry.isSnapshotInFlight = true;
    const options = { chunkBytes: this.opts.snapshotChunkBytes, timeoutMs: this.opts.snapshotTimeoutMs };
    void sendSnapshot(entry.client, this.self, m, options).then((outcome) => {
      entry.isSnapshotInFlight = false;
      if (outcome.ok) {
        c.snapshotsSent++;
        this.logger.info('snapshot sent', { peer, index: m.snapshot.meta.index, bytes: m.snapshot.data.byteLength });
      } else {
        c.snapshotsFailed++;
        this.log.warn(`snapshot-failed:${peer}:${outcome.code}`, `snapshot to ${peer} failed: ${outcome.details}`, {
          peer,
          code: outcome.code,
        });
      }
      // Reported even when the peer's address changed meanwhile: raft waits for this status.
      if (this.state !== 'closed') this.snapshotStatusHandler?.(peer, outcome.ok);
    });
  }

  private reportSnapshot(peer: NodeId, isOk: boolean): void {
    queueMicrotask(() => this.snapshotStatusHandler?.(peer, isOk));
  }

  private deliver(m: Message): void {
    const handler = this.messageHandler;
    if (handler === undefined || this.state === 'closed') return;
    try {
      handler(m);
    } catch (e: unknown) {
      this.log.error('handler-threw', 'raft message handler threw; message dropped', {
        error: e instanceof Error ? e.message : String(e),
        type: m.type,
      });
    }
  }

  private dropPeer(peer: NodeId): void {
    const entry = this.peers.get(peer);
    if (entry === undefined) return;
    this.peers.delete(peer);
    entry.link.close();
    entry.client.close();
  }

  private countersOf(peer: NodeId): PeerCounters {
    let c = this.counterMap.get(peer);
    if (c === undefined) {
      c = newCounters();
      this.counterMap.set(peer, c);
    }
    return c;
  }
}
