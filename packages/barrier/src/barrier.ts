import { cofferError, err, nullLogger, ok, type ErrorKind, type Logger, type Result } from '@coffer/base';
import { wipe } from './bytes.js';
import { nodeCipher, type Cipher } from './cipher.js';
import type { CoreStore } from './core-store.js';
import { buildInit, randomUuid, type InitOptions, type InitRequest, type InitResult } from './init.js';
import { type KeyTermInfo, type Keyring } from './keyring.js';
import { openKeyringBlob } from './keyring-blob.js';
import { KeyringOps, type KeyringProposal } from './keyring-ops.js';
import { loadCore, unwrapWithKek, unwrapWithRecovery } from './core-material.js';
import { checkRecoveryKey } from './recovery.js';
import { KEYRING_PATH, RECOVERY_KEY_PATH, ROOT_KEY_PATH, SEAL_CONFIG_PATH, type SealConfig, type SealType } from './layout.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { INSPECT, redacted } from './redact.js';
import { RekeyProcess, type RekeyComplete, type RekeyRequest, type RekeyStatus } from './rekey.js';
import { buildSealMigration, type SealMigration } from './migration.js';
import type { Seal } from './seal.js';
import { combineShares, parseShare, ShareCollector } from './shares.js';

export interface BarrierOptions {
  readonly store: CoreStore;
  /** An auto-unseal seal (AWS KMS); absent means the Shamir seal. */
  readonly autoSeal?: Seal;
  readonly cipher?: Cipher;
  readonly random?: RandomSource;
  readonly logger?: Logger;
}

/** Vault's seal-status, per node. Under auto-unseal t/n/progress count recovery shares. */
export interface SealStatus {
  readonly type: SealType;
  readonly initialized: boolean;
  readonly sealed: boolean;
  readonly t: number;
  readonly n: number;
  readonly progress: number;
  readonly nonce: string;
  readonly recoverySeal: boolean;
  /** Only while unsealed, as Vault. */
  readonly clusterId?: string;
  /** Why the last unseal attempt failed (KMS unreachable, key disabled...), for seal-status and logs. */
  readonly lastUnsealError?: string;
}

/**
 * One per node. States: uninitialized (no `core/seal-config` in the store) → sealed (progress +
 * nonce) → unsealed (root key and keyring in memory) → sealed again on `seal()`. The replicated
 * store is read through `CoreStore`; anything to store leaves as `CoreWrite`s for the node to
 * propose. Async operations run one at a time (a queue), so concurrent unseal calls cannot
 * interleave their progress.
 */
export class Barrier {
  private readonly store: CoreStore;
  private readonly autoSeal: Seal | undefined;
  private readonly cipher: Cipher;
  private readonly random: RandomSource;
  private readonly logger: Logger;
  private readonly progress = new ShareCollector();
  private nonce = '';
  private lastUnsealError: string | undefined;
  private unsealed: { readonly rootKey: Uint8Array; readonly keyring: Keyring; readonly config: SealConfig } | undefined;
  private ops: KeyringOps | undefined;
  private rekey: RekeyProcess | undefined;
  private initIssued = false;
  private sealedByOperator = false;
  /** Bumped by seal(): an unseal attempt that started before a seal must not complete after it. */
  private sealEpoch = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: BarrierOptions) {
    this.store = options.store;
    this.autoSeal = options.autoSeal;
    this.cipher = options.cipher ?? nodeCipher;
    this.random = options.random ?? cryptoRandom;
    this.logger = options.logger ?? nullLogger;
  }

  isSealed(): boolean {
    return this.unsealed === undefined;
  }

  /** Not queued: seal-status must answer while a slow unseal attempt (KMS timeout) is in flight. */
  status(): Promise<Result<SealStatus>> {
    return this.statusNow();
  }

  init(req: InitRequest, opts: InitOptions): Promise<Result<InitResult>> {
    return this.exclusive(async () => {
      if (this.initIssued || (await this.store.get(SEAL_CONFIG_PATH)) !== undefined) {
        return err(cofferError('invalid-request', 'already initialized'));
      }
      const r = await buildInit(req, opts, { cipher: this.cipher, random: this.random, autoSeal: this.autoSeal });
      if (r.ok) {
        this.initIssued = true;
        this.logger.info('barrier initialized', { clusterId: r.value.clusterId, sealType: this.autoSeal?.type ?? 'shamir' });
      }
      return r;
    });
  }

  /** PUT sys/unseal with `key`: hex or base64; unseal shares (Shamir) or recovery shares (auto-unseal, after a manual seal). */
  submitUnsealShare(key: string): Promise<Result<SealStatus>> {
    return this.exclusive(async () => {
      const core = await loadCore(this.store);
      if (!core.ok) return core;
      if (this.unsealed) return this.statusNow();
      const epoch = this.sealEpoch;
      const { config, recovery } = core.value;
      const isRecovery = config.type !== 'shamir';
      const total = isRecovery ? (recovery?.recoveryShares ?? 0) : config.secretShares;
      const threshold = isRecovery ? (recovery?.recoveryThreshold ?? 0) : config.secretThreshold;
      if (isRecovery && (recovery === undefined || this.autoSeal === undefined)) {
        return err(cofferError('internal', `this cluster uses the ${config.type} seal, which this node has not configured`));
      }
      const share = parseShare(key, total);
      if (!share.ok) return share;
      const added = this.progress.add(share.value);
      wipe(share.value);
      if (!added.ok) return added;
      if (this.progress.count === 1) this.nonce = randomUuid(this.random);
      if (this.progress.count < threshold) return this.statusNow();

      const secret = await this.progress.combine();
      this.resetProgress(); // success or failure, this attempt is over: a new nonce next time
      const rootKey = isRecovery ? await unwrapWithRecovery(this.store, this.autoSeal, secret, config) : await unwrapWithKek(this.store, this.cipher, this.random, secret);
      wipe(secret);
      if (!rootKey.ok) return this.failUnseal(rootKey.error.kind, rootKey.error.message);
      const unlocked = await this.unlock(rootKey.value, config, epoch);
      if (!unlocked.ok) return unlocked;
      this.sealedByOperator = false;
      return this.statusNow();
    });
  }

  /** PUT sys/unseal with `reset`: drops the shares collected so far. */
  resetUnseal(): Promise<Result<SealStatus>> {
    return this.exclusive(async () => {
      const core = await loadCore(this.store);
      if (!core.ok) return core;
      if (this.unsealed) return err(cofferError('invalid-request', 'cannot reset unseal progress: the node is not sealed'));
      this.resetProgress();
      return this.statusNow();
    });
  }

  /** Auto-unseal at start (and on retry): unwraps the root key through the configured seal. */
  autoUnseal(): Promise<Result<SealStatus>> {
    return this.exclusive(async () => {
      const core = await loadCore(this.store);
      if (!core.ok) return core;
      if (this.unsealed) return this.statusNow();
      const { config } = core.value;
      if (config.type === 'shamir') {
        return err(cofferError('invalid-request', 'this cluster uses the Shamir seal: unseal it with key shares'));
      }
      if (this.autoSeal === undefined || config.type !== this.autoSeal.type) {
        return err(cofferError('internal', `this cluster uses the ${config.type} seal, which this node has not configured`));
      }
      if (this.sealedByOperator) {
        return err(cofferError('invalid-request', 'this node was sealed by an operator: unseal it with recovery key shares, or restart it'));
      }
      const epoch = this.sealEpoch;
      const blob = await this.store.get(ROOT_KEY_PATH);
      if (blob === undefined) return err(cofferError('internal', `${ROOT_KEY_PATH} is missing`));
      const rootKey = await this.autoSeal.unwrap(blob, { clusterId: config.clusterId });
      if (!rootKey.ok) return this.failUnseal(rootKey.error.kind, rootKey.error.message);
      const unlocked = await this.unlock(rootKey.value, config, epoch);
      if (!unlocked.ok) return unlocked;
      return this.statusNow();
    });
  }

  /**
   * DR operation tokens (generate-root style): whether `shares` are a threshold of this cluster's
   * unseal shares (Shamir: they open the stored keyring) or recovery shares (auto-unseal: they
   * match the stored verifier). Sealed or not; nothing is kept: the combined secret is wiped.
   */
  verifyShares(shares: readonly Uint8Array[]): Promise<Result<void>> {
    return this.exclusive(async () => {
      const core = await loadCore(this.store);
      if (!core.ok) return core;
      const { config } = core.value;
      let secret: Uint8Array;
      try {
        secret = await combineShares(shares);
      } catch {
        return err(cofferError('invalid-request', 'the shares do not combine (shares of different keys, or not key shares)'));
      }
      try {
        if (config.type !== 'shamir') {
          const verifier = await this.store.get(RECOVERY_KEY_PATH);
          if (verifier === undefined) return err(cofferError('internal', `${RECOVERY_KEY_PATH} is missing`));
          const checked = checkRecoveryKey(secret, verifier);
          return checked.ok ? ok(undefined) : err(cofferError('permission-denied', 'the recovery key shares are not this cluster\'s'));
        }
        const rootKey = await unwrapWithKek(this.store, this.cipher, this.random, secret);
        if (!rootKey.ok) return err(cofferError('permission-denied', 'the unseal key shares are not this cluster\'s'));
        const blob = await this.store.get(KEYRING_PATH);
        const keyring = blob === undefined ? err(cofferError('internal', `${KEYRING_PATH} is missing`)) : openKeyringBlob(this.cipher, rootKey.value, blob);
        wipe(rootKey.value);
        return keyring.ok ? ok(undefined) : err(cofferError('permission-denied', 'the unseal key shares do not open this cluster\'s keyring'));
      } finally {
        wipe(secret);
      }
    });
  }

  /** The number of shares an operation needs: the unseal threshold, or the recovery threshold under auto-unseal. */
  async shareThreshold(): Promise<Result<number>> {
    const core = await loadCore(this.store);
    if (!core.ok) return core;
    const { config, recovery } = core.value;
    return ok(config.type === 'shamir' ? config.secretThreshold : (recovery?.recoveryThreshold ?? 0));
  }

  /** PUT sys/seal: zeroes the root key and every keyring key held by this node. Idempotent. */
  seal(): void {
    this.sealEpoch++;
    if (this.unsealed) {
      this.unsealed.keyring.destroy();
      wipe(this.unsealed.rootKey);
      this.unsealed = undefined;
      this.ops = undefined;
      this.sealedByOperator = true;
      this.logger.info('barrier sealed');
    }
    this.rekey?.cancel();
    this.rekey = undefined;
    this.resetProgress();
  }

  encrypt(path: string, plaintext: Uint8Array): Result<Uint8Array> {
    if (!this.ops) return sealedError();
    return this.ops.encrypt(path, plaintext);
  }

  decrypt(path: string, record: Uint8Array): Result<Uint8Array> {
    if (!this.ops) return sealedError();
    return this.ops.decrypt(path, record);
  }

  /** GET sys/key-status. */
  keyStatus(): Result<KeyTermInfo> {
    return this.ops ? ok(this.ops.keyStatus()) : sealedError();
  }

  /** True when the leader should propose a rotation (the active term nears its encryption bound). */
  isRotationDue(): boolean {
    return this.ops?.isRotationDue() ?? false;
  }

  /** The leader draws term N+1 and returns the `core/keyring` write to propose; nothing changes here until applied. */
  prepareRotation(nowMs: number): Result<KeyringProposal> {
    return this.ops ? ok(this.ops.prepareRotation(nowMs)) : sealedError();
  }

  /** Persists this node's encryption counts (same term); propose periodically and on step-down. */
  prepareKeyringCheckpoint(): Result<KeyringProposal> {
    return this.ops ? ok(this.ops.prepareCheckpoint()) : sealedError();
  }

  /** PUT sys/rotate/config `max_operations`. */
  prepareRotationConfig(maxEncryptions: number): Result<KeyringProposal> {
    return this.ops ? this.ops.prepareRotationConfig(maxEncryptions) : sealedError();
  }

  /** Called by the node after it applies a `core/keyring` write. A sealed node has nothing to do: it reads the store at unseal. */
  applyKeyring(blob: Uint8Array): Result<KeyTermInfo | undefined> {
    if (!this.ops) return ok(undefined);
    return this.ops.apply(blob);
  }

  /** sys/rekey/init (PUT): new shares n/t (recovery shares under auto-unseal). Requires an unsealed node. */
  rekeyInit(req: RekeyRequest): Promise<Result<RekeyStatus>> {
    return this.exclusive(async () => {
      const core = await loadCore(this.store);
      if (!core.ok) return core;
      if (!this.unsealed) return sealedError();
      if (this.rekey) return err(cofferError('invalid-request', 'a rekey is already in progress: cancel it first'));
      const started = RekeyProcess.start(req, core.value.config, core.value.recovery, this.random);
      if (!started.ok) return started;
      this.rekey = started.value;
      return ok(this.rekey.status());
    });
  }

  rekeyStatus(): RekeyStatus | undefined {
    return this.rekey?.status();
  }

  rekeyCancel(): Result<void> {
    if (!this.rekey) return err(cofferError('invalid-request', 'no rekey in progress'));
    this.rekey.cancel();
    this.rekey = undefined;
    return ok(undefined);
  }

  /** sys/rekey/update: one current share plus the rekey nonce. Completes with the new shares and the writes to propose. */
  rekeyUpdate(key: string, nonce: string): Promise<Result<RekeyStatus | RekeyComplete>> {
    return this.exclusive(async () => {
      if (!this.unsealed) return sealedError();
      if (!this.rekey) return err(cofferError('invalid-request', 'no rekey in progress'));
      const r = await this.rekey.update(key, nonce, {
        store: this.store, cipher: this.cipher, random: this.random, rootKey: this.unsealed.rootKey,
      });
      if (r.ok && r.value.complete) {
        this.rekey = undefined;
        this.logger.info('barrier rekeyed', { sealType: this.unsealed.config.type });
      }
      return r;
    });
  }

  /**
   * Prepares a seal migration (Shamir <-> auto-unseal, or to another KMS key), authorized by t
   * current shares. Requires an unsealed node; the writes and deletes go in one entry. See migration.ts.
   */
  prepareSealMigration(target: Seal | 'shamir', shares: readonly string[]): Promise<Result<SealMigration>> {
    return this.exclusive(async () => {
      const core = await loadCore(this.store);
      if (!core.ok) return core;
      if (!this.unsealed) return sealedError();
      const { config, recovery } = core.value;
      const r = await buildSealMigration({
        target, shares, config, recovery, rootKey: this.unsealed.rootKey, store: this.store, cipher: this.cipher, random: this.random,
      });
      if (r.ok) this.logger.info('seal migration prepared', { from: r.value.from, to: r.value.to });
      return r;
    });
  }

  toJSON(): string {
    return redacted('barrier');
  }

  [INSPECT](): string {
    return redacted('barrier');
  }

  toString(): string {
    return redacted('barrier');
  }

  private async statusNow(): Promise<Result<SealStatus>> {
    const core = await loadCore(this.store);
    const base = { nonce: this.nonce, progress: this.progress.count, sealed: this.unsealed === undefined };
    const extra = this.lastUnsealError === undefined ? {} : { lastUnsealError: this.lastUnsealError };
    if (!core.ok) {
      if (core.error.kind !== 'uninitialized') return core;
      const type = this.autoSeal?.type ?? 'shamir';
      return ok({ ...base, ...extra, type, initialized: false, t: 0, n: 0, recoverySeal: this.autoSeal !== undefined });
    }
    const { config, recovery } = core.value;
    const isRecovery = config.type !== 'shamir';
    return ok({
      ...base, ...extra, type: config.type, initialized: true, recoverySeal: isRecovery,
      t: isRecovery ? (recovery?.recoveryThreshold ?? 0) : config.secretThreshold,
      n: isRecovery ? (recovery?.recoveryShares ?? 0) : config.secretShares,
      ...(this.unsealed ? { clusterId: config.clusterId } : {}),
    });
  }

  /** Takes ownership of `rootKey`: it is kept on success and wiped on failure. */
  private async unlock(rootKey: Uint8Array, config: SealConfig, epoch: number): Promise<Result<void>> {
    const blob = await this.store.get(KEYRING_PATH);
    if (epoch !== this.sealEpoch) {
      wipe(rootKey);
      return err(cofferError('sealed', 'the node was sealed while this unseal attempt was in flight'));
    }
    const keyring = blob === undefined
      ? err(cofferError('internal', `${KEYRING_PATH} is missing`))
      : openKeyringBlob(this.cipher, rootKey, blob);
    if (!keyring.ok) {
      wipe(rootKey);
      this.lastUnsealError = keyring.error.message;
      this.logger.error('unseal failed', { reason: keyring.error.message });
      return keyring;
    }
    this.unsealed = { rootKey, keyring: keyring.value, config };
    this.ops = new KeyringOps(keyring.value, rootKey, this.cipher, this.random);
    this.lastUnsealError = undefined;
    this.logger.info('barrier unsealed', { term: keyring.value.activeTerm });
    return ok(undefined);
  }

  private failUnseal(kind: ErrorKind, message: string): Result<SealStatus> {
    this.lastUnsealError = message;
    this.logger.warn('unseal attempt failed', { kind, reason: message });
    return err(cofferError(kind, message));
  }

  private resetProgress(): void {
    this.progress.clear();
    this.nonce = '';
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function sealedError<T>(): Result<T> {
  return err(cofferError('sealed', 'the barrier is sealed'));
}

