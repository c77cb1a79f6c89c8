/**
 * Adapts the concrete I/O packages to the ports `@coffer/node` declares. This is the only place
 * where `@coffer/storage` and `@coffer/transport` meet the runtime.
 */
import { assert, cofferError, err, ok, type LogIndex, type NodeId, type Result } from '@coffer/base';
import type { ConfState } from '@coffer/raft';
import type { KvPair, KvWrite, LogStore, PersistBatch, StateStore as StateStorePort, Transport, TransportFaults } from '@coffer/node';
import type { LevelRaftStorage, StateStore, StateWrite } from '@coffer/storage';
import type { RaftTransport } from '@coffer/transport';

/** Store keys are strings: latin1 maps each byte to one char, reversibly and order-preserving. */
const keyToString = (k: Uint8Array): string => Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('latin1');
const keyFromString = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

export class LevelLogStore implements LogStore {
  constructor(readonly raftStorage: LevelRaftStorage) {}
  persist(batch: PersistBatch): Promise<void> {
    return this.raftStorage.persist(batch);
  }
  async createSnapshot(index: LogIndex, confState: ConfState, data: Uint8Array): Promise<void> {
    const r = await this.raftStorage.createSnapshot(index, confState, data);
    assert(r.ok || r.error.kind === 'conflict', `createSnapshot ${index}: ${r.ok ? '' : r.error.message}`);
  }
  async compact(index: LogIndex): Promise<void> {
    const r = await this.raftStorage.compact(index);
    assert(r.ok || r.error.kind === 'compacted', `compact ${index}: ${r.ok ? '' : r.error.message}`);
  }
  close(): Promise<void> {
    return this.raftStorage.close();
  }
}

export class LevelStateStore implements StateStorePort {
  /** The state store shares the log's LevelDB; the log store closes it. */
  constructor(private readonly store: StateStore) {}
  appliedIndex(): LogIndex {
    return this.store.appliedIndex();
  }
  applyBatch(writes: readonly KvWrite[], appliedIndex: LogIndex): Promise<void> {
    return this.store.applyBatch(writes.map(toStateWrite), appliedIndex);
  }
  async loadAll(): Promise<readonly KvPair[]> {
    const out: KvPair[] = [];
    for await (const r of this.store.iterate()) out.push([keyFromString(r.key), r.value]);
    return out;
  }
  /** Deletes every key and writes the new pairs with the index, in one synced batch. */
  async replaceAll(pairs: readonly KvPair[], appliedIndex: LogIndex): Promise<void> {
    const keep = new Set(pairs.map(([k]) => keyToString(k)));
    const writes: StateWrite[] = [];
    for await (const r of this.store.iterate()) if (!keep.has(r.key)) writes.push({ type: 'del', key: r.key });
    for (const [k, v] of pairs) writes.push({ type: 'put', key: keyToString(k), value: v });
    await this.store.applyBatch(writes, appliedIndex);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function toStateWrite(w: KvWrite): StateWrite {
  return w.type === 'put' ? { type: 'put', key: keyToString(w.key), value: w.value } : { type: 'del', key: keyToString(w.key) };
}

export class GrpcTransport implements Transport {
  private knownPeers: NodeId[] = [];
  constructor(
    readonly inner: RaftTransport,
    private readonly allowFaults: boolean,
  ) {}
  async start(): Promise<void> {
    await this.inner.start();
  }
  send(messages: Parameters<Transport['send']>[0]): void {
    this.inner.send(messages);
  }
  onMessage(handler: Parameters<Transport['onMessage']>[0]): void {
    this.inner.onMessage(handler);
  }
  onUnreachable(handler: (peer: NodeId) => void): void {
    this.inner.onUnreachable(handler);
  }
  onSnapshotStatus(handler: (peer: NodeId, isOk: boolean) => void): void {
    this.inner.onSnapshotStatus(handler);
  }
  setPeers(peers: ReadonlyMap<NodeId, string>): void {
    this.knownPeers = [...peers.keys()];
    this.inner.setPeers(peers);
  }
  setFaults(faults: TransportFaults | null): Result<void> {
    if (!this.allowFaults) return err(cofferError('permission-denied', 'fault injection is off'));
    this.inner.clearFaults();
    if (faults === null) return ok(undefined);
    const dropped = new Set<string>(faults.dropPeers);
    for (const peer of new Set<string>([...this.knownPeers, ...faults.dropPeers])) {
      if (dropped.has(peer)) this.inner.setFaults({ peer, blockOutbound: true, blockInbound: true });
      else if (faults.dropRate > 0 || faults.delayMs > 0) this.inner.setFaults({ peer, dropRate: faults.dropRate, delayMs: faults.delayMs });
    }
    return ok(undefined);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
