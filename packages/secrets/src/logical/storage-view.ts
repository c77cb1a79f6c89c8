/**
 * `ScopedView`: an engine's StorageView over the leader's applied state, confined to one prefix.
 * Reads decrypt (AAD = full storage path) and record a guard; writes encrypt and queue an op.
 * `toTxn` turns the attempt into the one command the state machine knows.
 *
 * Invariant: a path is guarded with what was read at the time of its first read; if it changes
 * before the txn applies, the txn conflicts and the executor re-runs the engine from scratch.
 * Reads do not see the view's own queued writes (engines read first, then write).
 */
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import type { Txn, TxnCheck, TxnOp } from '../fsm/txn.js';
import type { Crypter, StorageReader, StorageView } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The guards and writes of one attempt; several views (core, mount) may share one builder. */
export class TxnBuilder {
  readonly checks = new Map<string, TxnCheck>();
  readonly ops: TxnOp[] = [];

  toTxn(leaderTimeMs: number): Txn {
    return { checks: [...this.checks.values()], ops: [...this.ops], leaderTimeMs };
  }
}

export class ScopedView implements StorageView {
  constructor(
    private readonly reader: StorageReader,
    private readonly crypter: Crypter,
    /** Ends with '/' (or is '' for the core view). */
    private readonly prefix: string,
    readonly builder: TxnBuilder = new TxnBuilder(),
  ) {}

  private get checks(): Map<string, TxnCheck> {
    return this.builder.checks;
  }

  private get ops(): TxnOp[] {
    return this.builder.ops;
  }

  get hasWrites(): boolean {
    return this.ops.length > 0;
  }

  private full(path: string): string {
    return this.prefix + path;
  }

  get(path: string): Result<Uint8Array | undefined> {
    const full = this.full(path);
    const entry = this.reader.get(full);
    if (!this.checks.has(full)) {
      this.checks.set(full, entry === undefined ? { path: full, absent: true } : { path: full, modIndex: entry.modIndex });
    }
    if (entry === undefined) return ok(undefined);
    return this.crypter.decrypt(full, entry.value);
  }

  getJson(path: string): Result<unknown> {
    const raw = this.get(path);
    if (!raw.ok || raw.value === undefined) return raw;
    try {
      return ok(JSON.parse(decoder.decode(raw.value)) as unknown);
    } catch {
      // Never echo the record: it is a secret.
      return err(cofferError('internal', `stored record at ${full(this.prefix, path)} is not valid JSON`));
    }
  }

  listChildren(prefix: string): string[] {
    return this.reader.listChildren(this.full(prefix));
  }

  put(path: string, plaintext: Uint8Array): Result<void> {
    const full = this.full(path);
    const sealed = this.crypter.encrypt(full, plaintext);
    if (!sealed.ok) return sealed;
    this.ops.push({ put: full, value: sealed.value });
    return ok(undefined);
  }

  putJson(path: string, value: unknown): Result<void> {
    return this.put(path, encoder.encode(JSON.stringify(value)));
  }

  del(path: string): void {
    this.ops.push({ del: this.full(path) });
  }

  delPrefix(prefix: string): void {
    this.ops.push({ delPrefix: this.full(prefix) });
  }

  toTxn(leaderTimeMs: number): Txn {
    return this.builder.toTxn(leaderTimeMs);
  }
}

function full(prefix: string, path: string): string {
  return prefix + path;
}
