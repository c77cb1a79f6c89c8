/**
 * The in-memory twin of the transport and of leader forwarding: nodes registered on one
 * `MemoryNetwork` exchange raft messages through queued microtasks (asynchronous, like a wire)
 * and can be partitioned.
 */
import { cofferError, err, ok, type NodeId, type Result } from '@coffer/base';
import type { Message } from '@coffer/raft';
import type { ForwardedPropose, LeaderForwarder, Transport, TransportFaults } from './ports.js';

type ProposeHandler = (request: ForwardedPropose) => Promise<Result<Uint8Array>>;

export class MemoryNetwork {
  private readonly endpoints = new Map<NodeId, MemoryTransport>();
  private readonly proposeHandlers = new Map<string, ProposeHandler>();
  /** Pairs "a|b" that cannot talk (both directions are listed). */
  private readonly cut = new Set<string>();

  transport(id: NodeId): MemoryTransport {
    const t = new MemoryTransport(id, this);
    this.endpoints.set(id, t);
    return t;
  }

  forwarder(): LeaderForwarder {
    return {
      propose: async (address, request) => {
        const handler = this.proposeHandlers.get(address);
        if (handler === undefined) return err(cofferError('unavailable', `no node at ${address}`));
        return handler(request);
      },
      close: () => undefined,
    };
  }

  serveProposals(address: string, handler: ProposeHandler): void {
    this.proposeHandlers.set(address, handler);
  }

  isolate(id: NodeId): void {
    for (const other of this.endpoints.keys()) {
      if (other === id) continue;
      this.cut.add(`${id}|${other}`).add(`${other}|${id}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  remove(id: NodeId): void {
    this.endpoints.delete(id);
  }

  deliver(m: Message): boolean {
    if (this.cut.has(`${m.from}|${m.to}`)) return false;
    const target = this.endpoints.get(m.to);
    if (target === undefined || target.isClosed) return false;
    queueMicrotask(() => target.receive(m));
    return true;
  }
}

export class MemoryTransport implements Transport {
  isClosed = false;
  private handler: (m: Message) => void = () => undefined;
  private unreachable: (peer: NodeId) => void = () => undefined;
  private snapshotStatus: (peer: NodeId, isOk: boolean) => void = () => undefined;

  constructor(
    readonly id: NodeId,
    private readonly network: MemoryNetwork,
  ) {}

  start(): Promise<void> {
    return Promise.resolve();
  }
  send(messages: readonly Message[]): void {
    if (this.isClosed) return;
    for (const m of messages) {
      const delivered = this.network.deliver(m);
      if (m.type === 'snapshot') {
        const peer = m.to;
        queueMicrotask(() => this.snapshotStatus(peer, delivered));
      }
      if (!delivered) {
        const peer = m.to;
        queueMicrotask(() => this.unreachable(peer));
      }
    }
  }
  receive(m: Message): void {
    if (!this.isClosed) this.handler(m);
  }
  onMessage(handler: (message: Message) => void): void {
    this.handler = handler;
  }
  onUnreachable(handler: (peer: NodeId) => void): void {
    this.unreachable = handler;
  }
  onSnapshotStatus(handler: (peer: NodeId, isOk: boolean) => void): void {
    this.snapshotStatus = handler;
  }
  setPeers(_peers: ReadonlyMap<NodeId, string>): void {}
  setFaults(_faults: TransportFaults | null): Result<void> {
    return err(cofferError('invalid-request', 'the memory transport has no fault injection; use MemoryNetwork.isolate'));
  }
  close(): Promise<void> {
    this.isClosed = true;
    this.network.remove(this.id);
    return Promise.resolve();
  }
}

export const okVoid: Result<void> = ok(undefined);
