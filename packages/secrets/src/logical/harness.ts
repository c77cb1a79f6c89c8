/**
 * In-memory twins of the logical layer's ports, so engines are testable end to end without a
 * node: `MemoryCrypter` really encrypts (AES-256-GCM, AAD = storage path, like the barrier) and
 * `LocalProposer` encodes each txn, decodes it back and applies it to a local StorageFsm, as a
 * one-node raft would.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import { StorageFsm } from '../fsm/storage-fsm.js';
import type { TxnOutcome } from '../fsm/storage-fsm.js';
import { encodeTxn } from '../fsm/txn.js';
import type { Txn } from '../fsm/txn.js';
import type { Crypter, Engine, LogicalRequest, LogicalResponse, Proposer } from './types.js';
import { Executor } from './executor.js';
import type { ExecutorOptions } from './executor.js';
import { ScopedView } from './storage-view.js';
import { queueRootToken } from '../auth/root-token.js';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class MemoryCrypter implements Crypter {
  private readonly key: Uint8Array;
  /** When true, every call fails as a sealed barrier would. */
  sealed = false;

  constructor(key: Uint8Array = randomBytes(32)) {
    this.key = key;
  }

  encrypt(path: string, plaintext: Uint8Array): Result<Uint8Array> {
    if (this.sealed) return err(cofferError('sealed', 'Vault is sealed'));
    const nonce = randomBytes(NONCE_BYTES);
    const c = createCipheriv('aes-256-gcm', this.key, nonce);
    c.setAAD(Buffer.from(path, 'utf8'));
    const body = Buffer.concat([c.update(plaintext), c.final()]);
    return ok(new Uint8Array(Buffer.concat([nonce, body, c.getAuthTag()])));
  }

  decrypt(path: string, record: Uint8Array): Result<Uint8Array> {
    if (this.sealed) return err(cofferError('sealed', 'Vault is sealed'));
    if (record.length < NONCE_BYTES + TAG_BYTES) return err(cofferError('internal', 'record too short'));
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, record.subarray(0, NONCE_BYTES));
      d.setAAD(Buffer.from(path, 'utf8'));
      d.setAuthTag(record.subarray(record.length - TAG_BYTES));
      return ok(new Uint8Array(Buffer.concat([d.update(record.subarray(NONCE_BYTES, record.length - TAG_BYTES)), d.final()])));
    } catch {
      return err(cofferError('internal', `record at ${path} failed authentication`));
    }
  }
}

export class LocalProposer implements Proposer {
  /** Every encoded command proposed, in log order (for no-plaintext scans of "the log"). */
  readonly log: Uint8Array[] = [];
  /** Called before each apply: tests use it to slip in a concurrent write. */
  beforeApply: ((fsm: StorageFsm) => void) | undefined;

  constructor(readonly fsm: StorageFsm) {}

  propose(txn: Txn): Promise<Result<{ index: number; outcome: TxnOutcome }>> {
    const command = encodeTxn(txn);
    this.log.push(command);
    this.beforeApply?.(this.fsm);
    const index = this.fsm.appliedIndex + 1;
    const { outcome } = this.fsm.applyEncoded(command, index);
    return Promise.resolve(ok({ index, outcome }));
  }
}

export interface MemoryHarness {
  readonly fsm: StorageFsm;
  readonly crypter: MemoryCrypter;
  readonly proposer: LocalProposer;
  /** Attaches `rootToken` to every request that carries no `token` (pass `token: ''` to send none). */
  readonly executor: Executor;
  /** A root token issued in the harness's first log entry (index 1). */
  readonly rootToken: string;
  /** The leader's clock, settable by tests. */
  clock: { nowMs: number };
}

/** An executor that fills in a default token; the empty string means "send no token". */
class TokenAttachingExecutor extends Executor {
  constructor(
    opts: ExecutorOptions,
    private readonly defaultToken: () => string,
  ) {
    super(opts);
  }

  override execute(req: LogicalRequest): Promise<LogicalResponse> {
    return super.execute(req.token === undefined ? { ...req, token: this.defaultToken() } : req);
  }
}

/**
 * A one-node logical stack: FSM + crypter + proposer + executor with the given engines, with a
 * root token already issued (log entry 1) and attached by default.
 */
export function memoryHarness(engines: ReadonlyMap<string, Engine>, builtins?: ReadonlyMap<string, Engine>, startMs = Date.UTC(2026, 10, 29, 21, 0, 0)): MemoryHarness {
  const fsm = new StorageFsm();
  const crypter = new MemoryCrypter();
  const proposer = new LocalProposer(fsm);
  const clock = { nowMs: startMs };
  let ids = 0;
  const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
  const rootToken = seedRootToken(fsm, crypter, proposer, startMs, random);
  const executor = new TokenAttachingExecutor(
    {
      reader: fsm,
      crypter,
      proposer,
      engines,
      ...(builtins !== undefined ? { builtins } : {}),
      nowMs: () => clock.nowMs,
      randomId: () => `00000000-0000-4000-8000-${(++ids).toString(16).padStart(12, '0')}`,
      randomBytes: random,
    },
    () => rootToken,
  );
  return { fsm, crypter, proposer, executor, rootToken, clock };
}

/** Synchronous twin of `issueRootToken` for the harness (LocalProposer applies synchronously). */
function seedRootToken(fsm: StorageFsm, crypter: Crypter, proposer: LocalProposer, nowMs: number, random: (n: number) => Uint8Array): string {
  const core = new ScopedView(fsm, crypter, '');
  const id = queueRootToken({ storage: core, nowMs }, random);
  if (!id.ok) throw new Error(`harness: root token not issued: ${id.error.message}`);
  void proposer.propose(core.toTxn(nowMs));
  if (fsm.appliedIndex !== 1) throw new Error('harness: root token txn did not apply');
  return id.value;
}
