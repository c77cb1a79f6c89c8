/**
 * The clients: each runs one op at a time (a put or a get on a small key space) against the node
 * it believes leads, retrying elsewhere on not-leader (following the hint), on a lost entry, on a
 * crash or on a timeout. Every op that may have happened goes into the history for the
 * linearizability checker; a put that was proposed but never confirmed is recorded as
 * indeterminate (returnTime null), a get that never got an answer is left out.
 */
import type { NodeId, SeededRng } from '@coffer/base';
import type { KvOperation } from '@coffer/linearizability';
import type { Entry, Snapshot } from '@coffer/raft';
import { encodeCommand, entryKey } from './kv-state-machine.js';
import type { SimNode } from './sim-node.js';

export interface WorkloadHost {
  nowMs(): number;
  node(id: NodeId): SimNode;
  readonly nodeIds: readonly NodeId[];
  /** Calls `wake(clientIndex, attempt)` after `delayMs`, deferred while the target node is paused. */
  scheduleClient(clientIndex: number, attempt: number, delayMs: number): void;
  trace(line: string): void;
}

interface PendingOp {
  readonly kind: 'put' | 'get';
  readonly key: string;
  readonly value: string;
  readonly requestId: number;
  readonly invokeTimeMs: number;
  attempts: number;
  mayHaveHappened: boolean;
  /** The attempt in flight on a node: a proposal at `index`, or a read `ctx`. */
  inFlight: { node: NodeId; epoch: number; index: number; ctx: string; commandKey: string } | null;
}

interface Client {
  readonly id: string;
  target: NodeId;
  nextRequestId: number;
  /** Bumped for every attempt: a wake-up or an answer for an older attempt is ignored. */
  attempt: number;
  op: PendingOp | null;
}

export interface WorkloadShape {
  readonly clientCount: number;
  readonly keyCount: number;
  readonly attemptTimeoutMs: number;
}
const MAX_ATTEMPTS = 8;

export class Workload {
  readonly history: KvOperation[] = [];
  private readonly clients: Client[] = [];
  private readonly keys: string[] = [];
  isIssuing = true;
  completedOps = 0;

  constructor(
    private readonly host: WorkloadHost,
    private readonly rng: SeededRng,
    private readonly shape: WorkloadShape,
  ) {
    for (let k = 0; k < shape.keyCount; k++) this.keys.push(`k${k}`);
    for (let i = 0; i < shape.clientCount; i++) {
      const target = host.nodeIds[rng.int(0, host.nodeIds.length)] as NodeId;
      this.clients.push({ id: `c${i}`, target, nextRequestId: 1, attempt: 0, op: null });
      host.scheduleClient(i, 0, rng.int(0, 50));
    }
  }

  /** The node the client will talk to next (the simulation defers its wake-up while that node is paused). */
  targetOf(index: number): NodeId | undefined {
    return this.clients[index]?.target;
  }

  /** Whether this wake-up would send a request (rather than time out an attempt in flight). */
  wouldSendRequest(index: number, attempt: number): boolean {
    const c = this.clients[index];
    if (c === undefined || attempt !== c.attempt) return false;
    return c.op === null ? this.isIssuing : c.op.inFlight === null;
  }

  get hasPending(): boolean {
    return this.clients.some((c) => c.op !== null);
  }

  /** The client's timer fired (think time over, retry due, or attempt timed out). */
  wake(index: number, attempt: number): void {
    const c = this.clients[index];
    if (c === undefined || attempt !== c.attempt) return;
    if (c.op === null) {
      if (!this.isIssuing) return;
      const kind = this.rng.next() < 0.5 ? 'put' : 'get';
      const requestId = c.nextRequestId++;
      c.op = {
        kind,
        key: this.keys[this.rng.int(0, this.keys.length)] as string,
        value: `${c.id}-${requestId}`,
        requestId,
        invokeTimeMs: this.host.nowMs(),
        attempts: 0,
        mayHaveHappened: false,
        inFlight: null,
      };
    } else if (c.op.inFlight !== null) {
      this.host.trace(`client ${c.id} attempt ${c.attempt} timed out on ${c.op.inFlight.node}`);
      this.retry(c, null);
      return;
    }
    this.tryOnce(c);
  }

  private tryOnce(c: Client): void {
    const op = c.op;
    if (op === null) return;
    if (op.attempts >= MAX_ATTEMPTS) {
      this.giveUp(c);
      return;
    }
    op.attempts++;
    c.attempt++;
    const node = this.host.node(c.target);
    const raft = node.raft;
    if (raft === null) {
      this.retry(c, null);
      return;
    }
    if (op.kind === 'put') {
      const command = { clientId: c.id, requestId: op.requestId, key: op.key, value: op.value };
      const data = encodeCommand(command);
      const r = raft.propose(data);
      if (!r.ok) {
        this.host.trace(`client ${c.id} put on ${node.id}: ${r.error.kind}`);
        this.retry(c, r.error.leaderHint ?? null);
        return;
      }
      op.mayHaveHappened = true;
      const commandKey = entryKey({ term: r.value.term, index: r.value.index, type: 'normal', data });
      op.inFlight = { node: node.id, epoch: node.epoch, index: r.value.index, ctx: '', commandKey };
      this.host.trace(`client ${c.id} put ${op.key}=${op.value} proposed on ${node.id} at ${r.value.index}`);
    } else {
      const ctx = `${c.id}/${op.requestId}/${c.attempt}`;
      raft.readIndex(ctx);
      op.inFlight = { node: node.id, epoch: node.epoch, index: 0, ctx, commandKey: '' };
      this.host.trace(`client ${c.id} get ${op.key} read-index on ${node.id} ctx ${ctx}`);
    }
    this.host.scheduleClient(this.clients.indexOf(c), c.attempt, this.shape.attemptTimeoutMs);
  }

  /** Next attempt on the hinted leader, or the next node round the ring. */
  private retry(c: Client, hint: NodeId | null): void {
    if (c.op === null) return;
    c.op.inFlight = null;
    const ids = this.host.nodeIds;
    c.target = hint !== null && ids.includes(hint) ? hint : (ids[(ids.indexOf(c.target) + 1) % ids.length] as NodeId);
    c.attempt++;
    this.host.scheduleClient(this.clients.indexOf(c), c.attempt, 2 + this.rng.int(0, 10));
  }

  private complete(c: Client, readValue: string | null): void {
    const op = c.op;
    if (op === null) return;
    this.history.push({
      clientId: c.id,
      op: op.kind,
      key: op.key,
      value: op.kind === 'put' ? op.value : readValue,
      invokeTime: op.invokeTimeMs,
      returnTime: this.host.nowMs(),
      ok: true,
    });
    this.host.trace(`client ${c.id} ${op.kind} ${op.key} done: ${op.kind === 'put' ? op.value : String(readValue)}`);
    this.completedOps++;
    this.finish(c);
  }

  private giveUp(c: Client): void {
    const op = c.op;
    if (op === null) return;
    if (op.kind === 'put' && op.mayHaveHappened) {
      this.history.push({ clientId: c.id, op: 'put', key: op.key, value: op.value, invokeTime: op.invokeTimeMs, returnTime: null, ok: true });
    }
    this.host.trace(`client ${c.id} ${op.kind} ${op.key} gave up`);
    this.finish(c);
  }

  private finish(c: Client): void {
    c.op = null;
    c.attempt++;
    this.host.scheduleClient(this.clients.indexOf(c), c.attempt, this.rng.int(0, 20));
  }

  /** At the end of a run: puts still in flight may or may not have happened. */
  abandonAll(): void {
    for (const c of this.clients) if (c.op !== null) this.giveUp(c);
  }

  onApplied(node: SimNode, e: Entry): void {
    for (const c of this.clients) {
      const f = c.op?.inFlight;
      if (f === undefined || f === null || f.node !== node.id || f.epoch !== node.epoch || f.index !== e.index) continue;
      if (f.commandKey === entryKey(e)) this.complete(c, null);
      else this.retry(c, node.raft?.status().leader ?? null); // our entry was overwritten: try again
    }
  }

  onSnapshotApplied(node: SimNode, s: Snapshot): void {
    for (const c of this.clients) {
      const f = c.op?.inFlight;
      if (f === undefined || f === null || f.node !== node.id || f.ctx !== '' || f.index > s.meta.index) continue;
      this.retry(c, null); // cannot tell whether the snapshot holds our entry; dedup makes a retry safe
    }
  }

  onReadReady(node: SimNode, ctx: string): void {
    for (const c of this.clients) {
      const f = c.op?.inFlight;
      if (f === undefined || f === null || f.node !== node.id || f.ctx !== ctx || c.op === null) continue;
      this.complete(c, node.sm.get(c.op.key));
    }
  }

  onReadFailed(node: SimNode, ctx: string): void {
    for (const c of this.clients) {
      const f = c.op?.inFlight;
      if (f === undefined || f === null || f.node !== node.id || f.ctx !== ctx) continue;
      this.retry(c, node.raft?.status().leader ?? null);
    }
  }

  onCrash(node: SimNode): void {
    for (const c of this.clients) if (c.op?.inFlight?.node === node.id) this.retry(c, null);
  }
}
