/**
 * The replicated state machine the simulation runs: a key-value map with per-client dedup by
 * request id (the client semantics of raft-pitfalls.md: a retried command applies at most once).
 * Its serialised form is the snapshot data, so a snapshot restores the dedup table too.
 */
import { assert, type LogIndex, logIndex } from '@coffer/base';
import type { Entry } from '@coffer/raft';

export interface KvCommand {
  readonly clientId: string;
  readonly requestId: number;
  readonly key: string;
  readonly value: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeCommand(c: KvCommand): Uint8Array {
  return encoder.encode(JSON.stringify([c.clientId, c.requestId, c.key, c.value]));
}

export function decodeCommand(data: Uint8Array): KvCommand {
  const parsed: unknown = JSON.parse(decoder.decode(data));
  assert(Array.isArray(parsed) && parsed.length === 4, 'kv: malformed command');
  const [clientId, requestId, key, value] = parsed as unknown[];
  assert(typeof clientId === 'string' && typeof requestId === 'number', 'kv: malformed command header');
  assert(typeof key === 'string' && typeof value === 'string', 'kv: malformed command body');
  return { clientId, requestId, key, value };
}

/** A stable text form of an entry, for comparing entries across nodes. */
export function entryKey(e: Entry): string {
  return `${e.type}:${decoder.decode(e.data)}`;
}

export class KvStateMachine {
  private readonly values = new Map<string, string>();
  /** Highest request id applied per client. */
  private readonly lastRequest = new Map<string, number>();
  private appliedIndex: LogIndex = logIndex(0);

  get applied(): LogIndex {
    return this.appliedIndex;
  }

  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  /** Applies one committed entry; entries must arrive in index order with no gap. */
  apply(e: Entry): void {
    assert(e.index === this.appliedIndex + 1, `kv: applying ${e.index} after ${this.appliedIndex}`);
    this.appliedIndex = e.index;
    if (e.type !== 'normal' || e.data.length === 0) return; // a no-op or a membership change
    const c = decodeCommand(e.data);
    if ((this.lastRequest.get(c.clientId) ?? -1) >= c.requestId) return; // a retry already applied
    this.lastRequest.set(c.clientId, c.requestId);
    this.values.set(c.key, c.value);
  }

  /** Deterministic: keys sorted, so equal states serialise to equal bytes. */
  serialize(): Uint8Array {
    const values = [...this.values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const requests = [...this.lastRequest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return encoder.encode(JSON.stringify({ applied: this.appliedIndex, values, requests }));
  }

  static restore(data: Uint8Array, index: LogIndex): KvStateMachine {
    const sm = new KvStateMachine();
    sm.appliedIndex = index;
    if (data.length === 0) return sm; // the bootstrap snapshot
    const parsed = JSON.parse(decoder.decode(data)) as { values: [string, string][]; requests: [string, number][] };
    for (const [k, v] of parsed.values) sm.values.set(k, v);
    for (const [c, r] of parsed.requests) sm.lastRequest.set(c, r);
    return sm;
  }

  /** The state that must agree across nodes at the same applied index. */
  fingerprint(): string {
    return decoder.decode(this.serialize());
  }
}
