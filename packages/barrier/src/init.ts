import { cofferError, err, ok, type Result } from '@coffer/base';
import { toHex, wipe } from './bytes.js';
import { KEY_BYTES, type Cipher } from './cipher.js';
import type { CoreWrite } from './core-store.js';
import { Keyring, DEFAULT_MAX_ENCRYPTIONS } from './keyring.js';
import { sealKeyringState } from './keyring-blob.js';
import {
  checkShareConfig, encodeRecoveryConfig, encodeSealConfig, KEYRING_PATH, RECOVERY_CONFIG_PATH, RECOVERY_KEY_PATH,
  ROOT_KEY_PATH, SEAL_CONFIG_PATH, type SealConfig,
} from './layout.js';
import type { RandomSource } from './random.js';
import { makeRecoveryVerifier } from './recovery.js';
import { KekSeal, type Seal } from './seal.js';
import { encodeShares, splitSecret } from './shares.js';

export interface InitRequest {
  readonly secretShares: number;
  readonly secretThreshold: number;
  /** Auto-unseal only (Vault's defaults: 5 and 3). */
  readonly recoveryShares?: number;
  readonly recoveryThreshold?: number;
}

export interface InitOptions {
  /** Install time of keyring term 1 (the caller's clock: the barrier reads none). */
  readonly nowMs: number;
  /** Defaults to a random UUID. Bound into the KMS encryption context. */
  readonly clusterId?: string;
  readonly maxEncryptions?: number;
}

/**
 * What init hands back. `keys*` are the unseal shares (Shamir) and `recoveryKeys*` the recovery
 * shares (auto-unseal): exactly one of the two is non-empty. The operator sees them once; they are
 * stored nowhere. `writes` must be applied atomically, and only if `core/seal-config` is still
 * absent when the entry is applied (two nodes racing to init: the first entry wins).
 */
export interface InitResult {
  readonly keys: readonly string[];
  readonly keysBase64: readonly string[];
  readonly recoveryKeys: readonly string[];
  readonly recoveryKeysBase64: readonly string[];
  readonly clusterId: string;
  readonly writes: readonly CoreWrite[];
}

export interface InitDeps {
  readonly cipher: Cipher;
  readonly random: RandomSource;
  readonly autoSeal: Seal | undefined;
}

export function randomUuid(random: RandomSource): string {
  const b = random.bytes(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Draws the root key, the first keyring term and the unseal (or recovery) key; returns shares and writes. */
export async function buildInit(req: InitRequest, opts: InitOptions, deps: InitDeps): Promise<Result<InitResult>> {
  const { cipher, random, autoSeal } = deps;
  const recoveryShares = req.recoveryShares ?? 5;
  const recoveryThreshold = req.recoveryThreshold ?? 3;
  const checked = autoSeal
    ? checkShareConfig(recoveryShares, recoveryThreshold, 'recovery')
    : checkShareConfig(req.secretShares, req.secretThreshold, 'secret');
  if (!checked.ok) return checked;
  if (opts.clusterId !== undefined && opts.clusterId.length === 0) return err(cofferError('invalid-request', 'cluster id must not be empty'));
  const clusterId = opts.clusterId ?? randomUuid(random);

  const rootKey = random.bytes(KEY_BYTES);
  const firstTermKey = random.bytes(KEY_BYTES);
  const secret = random.bytes(KEY_BYTES); // the KEK (Shamir) or the recovery key (auto-unseal)
  const keyring = Keyring.create(firstTermKey, opts.nowMs, opts.maxEncryptions ?? DEFAULT_MAX_ENCRYPTIONS);
  try {
    const keyringBlob = sealKeyringState(cipher, rootKey, random, keyring.state());
    if (autoSeal) {
      // Vault forces the barrier to 1/1 under auto-unseal: the "unseal key" is the seal itself.
      const wrapped = await autoSeal.wrap(rootKey, { clusterId });
      if (!wrapped.ok) return wrapped;
      const shares = await splitSecret(secret, recoveryShares, recoveryThreshold);
      const encoded = encodeShares(shares);
      wipe(...shares);
      const config: SealConfig = { type: autoSeal.type, secretShares: 1, secretThreshold: 1, clusterId };
      return ok({
        keys: [], keysBase64: [], recoveryKeys: encoded.hex, recoveryKeysBase64: encoded.base64, clusterId,
        writes: [
          { path: SEAL_CONFIG_PATH, value: encodeSealConfig(config) },
          { path: ROOT_KEY_PATH, value: wrapped.value },
          { path: KEYRING_PATH, value: keyringBlob },
          { path: RECOVERY_CONFIG_PATH, value: encodeRecoveryConfig({ recoveryShares, recoveryThreshold }) },
          { path: RECOVERY_KEY_PATH, value: makeRecoveryVerifier(secret, random) },
        ],
      });
    }
    const kekSeal = new KekSeal(secret, cipher, random);
    const wrapped = kekSeal.wrapSync(rootKey);
    kekSeal.destroy();
    const shares = await splitSecret(secret, req.secretShares, req.secretThreshold);
    const encoded = encodeShares(shares);
    wipe(...shares);
    const config: SealConfig = { type: 'shamir', secretShares: req.secretShares, secretThreshold: req.secretThreshold, clusterId };
    return ok({
      keys: encoded.hex, keysBase64: encoded.base64, recoveryKeys: [], recoveryKeysBase64: [], clusterId,
      writes: [
        { path: SEAL_CONFIG_PATH, value: encodeSealConfig(config) },
        { path: ROOT_KEY_PATH, value: wrapped },
        { path: KEYRING_PATH, value: keyringBlob },
      ],
    });
  } finally {
    keyring.destroy();
    wipe(rootKey, firstTermKey, secret);
  }
}
