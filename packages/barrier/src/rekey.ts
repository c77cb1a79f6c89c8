import { cofferError, err, ok, type Result } from '@coffer/base';
import { constantTimeEqual, wipe } from './bytes.js';
import { KEY_BYTES, type Cipher } from './cipher.js';
import type { CoreStore, CoreWrite } from './core-store.js';
import { randomUuid } from './init.js';
import {
  checkShareConfig, encodeRecoveryConfig, encodeSealConfig, RECOVERY_CONFIG_PATH, RECOVERY_KEY_PATH, ROOT_KEY_PATH,
  SEAL_CONFIG_PATH, type RecoveryConfig, type SealConfig,
} from './layout.js';
import type { RandomSource } from './random.js';
import { checkRecoveryKey, makeRecoveryVerifier } from './recovery.js';
import { INSPECT, redacted } from './redact.js';
import { KekSeal } from './seal.js';
import { encodeShares, parseShare, ShareCollector, splitSecret } from './shares.js';

/** New share count/threshold: unseal shares under Shamir, recovery shares under auto-unseal. */
export interface RekeyRequest {
  readonly secretShares: number;
  readonly secretThreshold: number;
}

export interface RekeyStatus {
  readonly complete: false;
  readonly started: true;
  readonly nonce: string;
  /** The new threshold and share count. */
  readonly t: number;
  readonly n: number;
  readonly progress: number;
  /** Current shares needed to authorize. */
  readonly required: number;
}

/** The new shares (shown once) and the writes to propose. The root key and the keyring are untouched. */
export interface RekeyComplete {
  readonly complete: true;
  readonly nonce: string;
  readonly keys: readonly string[];
  readonly keysBase64: readonly string[];
  readonly writes: readonly CoreWrite[];
}

export interface RekeyDeps {
  readonly store: CoreStore;
  readonly cipher: Cipher;
  readonly random: RandomSource;
  readonly rootKey: Uint8Array;
}

/**
 * One rekey operation: nonce-guarded, collecting current shares like an unseal. Under Shamir it
 * replaces the KEK (and so the shares) and rewraps the same root key; under auto-unseal it
 * replaces the recovery key and its verifier.
 */
export class RekeyProcess {
  private readonly collected = new ShareCollector();

  private constructor(
    private readonly req: RekeyRequest,
    private readonly config: SealConfig,
    private readonly recovery: RecoveryConfig | undefined,
    readonly nonce: string,
  ) {}

  static start(req: RekeyRequest, config: SealConfig, recovery: RecoveryConfig | undefined, random: RandomSource): Result<RekeyProcess> {
    const checked = checkShareConfig(req.secretShares, req.secretThreshold, config.type === 'shamir' ? 'secret' : 'recovery');
    if (!checked.ok) return checked;
    return ok(new RekeyProcess(req, config, recovery, randomUuid(random)));
  }

  private get isRecovery(): boolean {
    return this.config.type !== 'shamir';
  }

  private get currentShares(): number {
    return this.isRecovery ? (this.recovery?.recoveryShares ?? 0) : this.config.secretShares;
  }

  private get required(): number {
    return this.isRecovery ? (this.recovery?.recoveryThreshold ?? 0) : this.config.secretThreshold;
  }

  status(): RekeyStatus {
    return {
      complete: false, started: true, nonce: this.nonce, t: this.req.secretThreshold, n: this.req.secretShares,
      progress: this.collected.count, required: this.required,
    };
  }

  async update(key: string, nonce: string, deps: RekeyDeps): Promise<Result<RekeyStatus | RekeyComplete>> {
    if (nonce !== this.nonce) return err(cofferError('invalid-request', 'rekey nonce does not match the rekey in progress'));
    const share = parseShare(key, this.currentShares);
    if (!share.ok) return share;
    const added = this.collected.add(share.value);
    wipe(share.value);
    if (!added.ok) return added;
    if (this.collected.count < this.required) return ok(this.status());

    const secret = await this.collected.combine();
    this.collected.clear();
    try {
      const authorized = this.isRecovery ? await this.checkRecovery(secret, deps) : await this.checkKek(secret, deps);
      if (!authorized.ok) return authorized;
      return ok(await this.finish(deps));
    } finally {
      wipe(secret);
    }
  }

  cancel(): void {
    this.collected.clear();
  }

  toJSON(): string {
    return redacted('rekey');
  }

  [INSPECT](): string {
    return redacted('rekey');
  }

  private async checkKek(kek: Uint8Array, deps: RekeyDeps): Promise<Result<void>> {
    const blob = await deps.store.get(ROOT_KEY_PATH);
    if (blob === undefined) return err(cofferError('internal', `${ROOT_KEY_PATH} is missing`));
    const seal = new KekSeal(kek, deps.cipher, deps.random);
    const rootKey = seal.unwrapSync(blob);
    seal.destroy();
    if (!rootKey.ok) return err(cofferError('invalid-request', 'rekey failed: the shares do not reconstruct the unseal key'));
    const same = constantTimeEqual(rootKey.value, deps.rootKey);
    wipe(rootKey.value);
    return same ? ok(undefined) : err(cofferError('internal', 'stored root key differs from the one in memory'));
  }

  private async checkRecovery(recoveryKey: Uint8Array, deps: RekeyDeps): Promise<Result<void>> {
    const verifier = await deps.store.get(RECOVERY_KEY_PATH);
    if (verifier === undefined) return err(cofferError('internal', `${RECOVERY_KEY_PATH} is missing`));
    return checkRecoveryKey(recoveryKey, verifier);
  }

  private async finish(deps: RekeyDeps): Promise<RekeyComplete> {
    const { secretShares: n, secretThreshold: t } = this.req;
    const fresh = deps.random.bytes(KEY_BYTES); // the new KEK, or the new recovery key
    try {
      const shares = await splitSecret(fresh, n, t);
      const encoded = encodeShares(shares);
      wipe(...shares);
      let writes: CoreWrite[];
      if (this.isRecovery) {
        writes = [
          { path: RECOVERY_CONFIG_PATH, value: encodeRecoveryConfig({ recoveryShares: n, recoveryThreshold: t }) },
          { path: RECOVERY_KEY_PATH, value: makeRecoveryVerifier(fresh, deps.random) },
        ];
      } else {
        const seal = new KekSeal(fresh, deps.cipher, deps.random);
        const wrapped = seal.wrapSync(deps.rootKey);
        seal.destroy();
        writes = [
          { path: SEAL_CONFIG_PATH, value: encodeSealConfig({ ...this.config, secretShares: n, secretThreshold: t }) },
          { path: ROOT_KEY_PATH, value: wrapped },
        ];
      }
      return { complete: true, nonce: this.nonce, keys: encoded.hex, keysBase64: encoded.base64, writes };
    } finally {
      wipe(fresh);
    }
  }
}
