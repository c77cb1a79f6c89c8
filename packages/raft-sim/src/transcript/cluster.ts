/**
 * The transcript's world: the nodes, the network, and the delivery loop. Every call into a core
 * is followed at once by handling its Ready, so messages only ever wait in the network, never in
 * a core; what the transcript controls is when the network delivers them.
 */
import type { NodeId } from '@coffer/base';
import type { MemoryStorage, Message, Raft } from '@coffer/raft';
import type { MessageFilter } from './network.js';
import { Network, matches } from './network.js';
import type { CoreOptions } from './node.js';
import { SimNode } from './node.js';
import { fail } from './parse.js';
import { Trace, describeMessage } from './trace.js';

/** A stabilize that has not gone quiet after this many delivery rounds is livelocked. */
const MAX_ROUNDS = 1_000;

export class Cluster {
  readonly nodes = new Map<string, SimNode>();
  readonly network = new Network();
  readonly trace = new Trace();
  /** Messages delivered since the last `mark`, for `expect delivered`. */
  private delivered: Message[] = [];
  /** Copies set aside by `duplicate`, queued again by `release`. */
  private held: Message[] = [];

  constructor(
    readonly options: CoreOptions,
    readonly seed: number,
  ) {}

  addNode(id: NodeId, storage: MemoryStorage): SimNode {
    if (this.nodes.has(id)) fail(`${id} already exists`);
    const node = new SimNode(id, storage, this.options, this.seed, this.trace);
    this.nodes.set(id, node);
    return node;
  }

  node(id: string): SimNode {
    const n = this.nodes.get(id);
    if (n === undefined) fail(`no node ${id} (nodes: ${[...this.nodes.keys()].join(' ')})`);
    return n;
  }

  liveNodes(): SimNode[] {
    return [...this.nodes.values()].filter((n) => n.isUp);
  }

  /** Calls into a node's core, then handles its Ready and sends what it produced. */
  act<T>(id: string, fn: (raft: Raft) => T): T {
    const node = this.node(id);
    const result = fn(node.raft);
    this.flush(node);
    return result;
  }

  private flush(node: SimNode): void {
    for (let n = 0; n < 10 && node.isUp && node.raft.hasReady(); n++) {
      const lost = this.network.send(node.handleReady());
      for (const m of lost) this.lose(m, 'cut by the partition');
    }
  }

  /** A lost snapshot is reported to its sender, as a transport would, so it can retry later. */
  private lose(m: Message, why: string): void {
    this.trace.add(`lost ${describeMessage(m)} (${why})`);
    const sender = this.nodes.get(m.from);
    if (m.type === 'snapshot' && sender?.isUp === true) this.act(m.from, (r) => r.reportSnapshot(m.to, false));
  }

  /** Delivers the messages queued now that match (not the ones they cause); returns how many were taken. */
  deliverRound(filter: MessageFilter): number {
    const batch = this.network.take(filter);
    for (const m of batch) {
      const target = this.nodes.get(m.to);
      if (target === undefined || !target.isUp) {
        this.lose(m, `${m.to} is down`);
        continue;
      }
      if (this.network.isCut(m.from, m.to)) {
        this.lose(m, 'cut by the partition');
        continue;
      }
      this.trace.add(describeMessage(m));
      this.delivered.push(m);
      this.act(m.to, (r) => r.step(m));
      if (m.type === 'snapshot' && this.nodes.get(m.from)?.isUp === true) {
        this.act(m.from, (r) => r.reportSnapshot(m.to, true));
      }
    }
    return batch.length;
  }

  /** Delivers matching messages, and those they cause, until none is left. */
  stabilize(filter: MessageFilter): void {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (this.deliverRound(filter) === 0) return;
    }
    fail(`not quiet after ${MAX_ROUNDS} delivery rounds (a message loop?)`);
  }

  drop(filter: MessageFilter): number {
    const dropped = this.network.take(filter);
    for (const m of dropped) this.lose(m, 'dropped by the transcript');
    return dropped.length;
  }

  /** Sets a copy of each matching queued message aside; `release` queues the copies, late. */
  duplicate(filter: MessageFilter): number {
    const copies = this.network.pending().filter((m) => matches(filter, m));
    for (const m of copies) this.trace.add(`copied ${describeMessage(m)}`);
    this.held.push(...copies);
    return copies.length;
  }

  release(): void {
    const lost = this.network.send(this.held);
    this.held = [];
    for (const m of lost) this.lose(m, 'cut by the partition');
  }

  /** One tick on each listed live node, then the network settles: ticks are long next to message delays. */
  tickRound(ids: readonly string[]): void {
    for (const id of ids) if (this.node(id).isUp) this.act(id, (r) => r.tick());
    this.stabilize({});
  }

  mark(): void {
    this.delivered = [];
  }

  countDelivered(filter: MessageFilter): number {
    return this.delivered.filter((m) => matches(filter, m)).length;
  }
}
