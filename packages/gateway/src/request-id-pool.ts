/**
 * Client request ids for the node's dedup table. The node's rule: one request at a time per
 * client id, with a growing seq (a lower seq after a higher one is refused as stale), and every
 * client id keeps one record in the replicated state forever. So the gateway keeps a pool: an id
 * is lent to one request at a time, its seq grows by one per request (a retry of that request
 * reuses the same seq), and the pool only grows to the peak concurrency, bounded by `maxIds`.
 *
 * Ids are `<prefix>-<random>-<n>`: a restarted gateway draws a new random part, so it never
 * reuses an id with a seq that the state has already seen.
 */
import { randomBytes } from 'node:crypto';

export interface RequestId {
  readonly clientId: string;
  readonly seq: number;
}

interface Slot {
  readonly clientId: string;
  seq: number;
}

export class RequestIdPool {
  private readonly idle: Slot[] = [];
  private readonly lent = new Map<string, Slot>();
  private created = 0;
  private readonly prefix: string;

  constructor(readonly maxIds = 4096, prefix = 'gw') {
    this.prefix = `${prefix}-${randomBytes(6).toString('hex')}`;
  }

  /** Undefined when `maxIds` ids are all in flight (the caller answers 503). */
  acquire(): RequestId | undefined {
    let slot = this.idle.pop();
    if (slot === undefined) {
      if (this.created >= this.maxIds) return undefined;
      this.created += 1;
      slot = { clientId: `${this.prefix}-${this.created}`, seq: 0 };
    }
    slot.seq += 1;
    this.lent.set(slot.clientId, slot);
    return { clientId: slot.clientId, seq: slot.seq };
  }

  /** Returns an id after its request settled (answered, failed or abandoned). */
  release(id: RequestId): void {
    const slot = this.lent.get(id.clientId);
    if (slot === undefined || slot.seq !== id.seq) return;
    this.lent.delete(id.clientId);
    this.idle.push(slot);
  }

  get size(): number {
    return this.created;
  }
  get inFlight(): number {
    return this.lent.size;
  }
}
