/**
 * The barrier's read-only view of the replicated store (the node's applied state machine). The
 * barrier never writes: what it wants stored leaves as `CoreWrite`s that the node proposes through
 * Raft, so every node (and a DR secondary) stores exactly the same bytes.
 */
export interface CoreStore {
  get(path: string): Promise<Uint8Array | undefined>;
}

export interface CoreWrite {
  readonly path: string;
  readonly value: Uint8Array;
}

/** The in-memory twin, for tests: `apply` stands for "the node committed and applied these writes". */
export class MemoryCoreStore implements CoreStore {
  readonly records = new Map<string, Uint8Array>();

  get(path: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.records.get(path));
  }

  apply(writes: readonly CoreWrite[], deletes: readonly string[] = []): void {
    for (const w of writes) this.records.set(w.path, new Uint8Array(w.value));
    for (const path of deletes) this.records.delete(path);
  }
}
