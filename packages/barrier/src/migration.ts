import { cofferError, err, ok, type Result } from '@coffer/base';
import { constantTimeEqual, wipe } from './bytes.js';
import type { Cipher } from './cipher.js';
import type { CoreStore, CoreWrite } from './core-store.js';
import {
  encodeRecoveryConfig, encodeSealConfig, RECOVERY_CONFIG_PATH, RECOVERY_KEY_PATH, ROOT_KEY_PATH, SEAL_CONFIG_PATH,
  type RecoveryConfig, type SealConfig, type SealType,
} from './layout.js';
import type { RandomSource } from './random.js';
import { checkRecoveryKey, makeRecoveryVerifier } from './recovery.js';
import { KekSeal, type Seal } from './seal.js';
import { parseShare, ShareCollector } from './shares.js';

/**
 * Seal migration, as Vault does it, done once for the whole cluster because the seal material is
 * replicated state: the root key and the keyring do not change, only how the root key is wrapped.
 *   Shamir -> auto: the root key is wrapped by the new seal; the old unseal shares become the
 *                   recovery shares (the old KEK's verifier is stored), so nothing new to hand out.
 *   auto -> Shamir: the recovery key becomes the KEK; the recovery shares become the unseal shares.
 *   auto -> auto:   (another KMS key) rewrap only; recovery shares unchanged.
 * Authorized by t current shares (unseal shares under Shamir, recovery shares under auto-unseal).
 * Afterwards each node needs the new seal in its configuration to unseal: restart them one at a time.
 */
export interface SealMigration {
  readonly from: SealType;
  readonly to: SealType;
  readonly writes: readonly CoreWrite[];
  /** Paths the node must delete in the same entry. */
  readonly deletes: readonly string[];
}

export interface MigrationInput {
  readonly target: Seal | 'shamir';
  readonly shares: readonly string[];
  readonly config: SealConfig;
  readonly recovery: RecoveryConfig | undefined;
  readonly rootKey: Uint8Array;
  readonly store: CoreStore;
  readonly cipher: Cipher;
  readonly random: RandomSource;
}

export async function buildSealMigration(m: MigrationInput): Promise<Result<SealMigration>> {
  const fromShamir = m.config.type === 'shamir';
  const toType: SealType = m.target === 'shamir' ? 'shamir' : m.target.type;
  if (fromShamir && m.target === 'shamir') return err(cofferError('invalid-request', 'the cluster already uses the Shamir seal'));
  if (m.target !== 'shamir' && !m.target.isAutoUnseal) return err(cofferError('invalid-request', 'the target seal must be an auto-unseal seal, or "shamir"'));
  const total = fromShamir ? m.config.secretShares : (m.recovery?.recoveryShares ?? 0);
  const threshold = fromShamir ? m.config.secretThreshold : (m.recovery?.recoveryThreshold ?? 0);
  if (m.shares.length < threshold) {
    return err(cofferError('invalid-request', `seal migration needs ${threshold} current ${fromShamir ? 'unseal' : 'recovery'} key shares, got ${m.shares.length}`));
  }
  const collected = new ShareCollector();
  try {
    for (const text of m.shares.slice(0, threshold)) {
      const share = parseShare(text, total);
      if (!share.ok) return share;
      const added = collected.add(share.value);
      wipe(share.value);
      if (!added.ok) return added;
    }
    const secret = await collected.combine();
    try {
      const authorized = fromShamir ? await checkKek(secret, m) : await checkRecovery(secret, m);
      if (!authorized.ok) return authorized;
      const clusterId = m.config.clusterId;
      if (m.target === 'shamir') {
        const kek = new KekSeal(secret, m.cipher, m.random);
        const wrapped = kek.wrapSync(m.rootKey);
        kek.destroy();
        const config: SealConfig = { type: 'shamir', secretShares: total, secretThreshold: threshold, clusterId };
        return ok({
          from: m.config.type, to: 'shamir', deletes: [RECOVERY_CONFIG_PATH, RECOVERY_KEY_PATH],
          writes: [{ path: SEAL_CONFIG_PATH, value: encodeSealConfig(config) }, { path: ROOT_KEY_PATH, value: wrapped }],
        });
      }
      const wrapped = await m.target.wrap(m.rootKey, { clusterId });
      if (!wrapped.ok) return wrapped;
      const config: SealConfig = { type: toType, secretShares: 1, secretThreshold: 1, clusterId };
      const writes: CoreWrite[] = [{ path: SEAL_CONFIG_PATH, value: encodeSealConfig(config) }, { path: ROOT_KEY_PATH, value: wrapped.value }];
      if (fromShamir) {
        writes.push(
          { path: RECOVERY_CONFIG_PATH, value: encodeRecoveryConfig({ recoveryShares: total, recoveryThreshold: threshold }) },
          { path: RECOVERY_KEY_PATH, value: makeRecoveryVerifier(secret, m.random) },
        );
      }
      return ok({ from: m.config.type, to: toType, writes, deletes: [] });
    } finally {
      wipe(secret);
    }
  } finally {
    collected.clear();
  }
}

async function checkKek(kek: Uint8Array, m: MigrationInput): Promise<Result<void>> {
  const blob = await m.store.get(ROOT_KEY_PATH);
  if (blob === undefined) return err(cofferError('internal', `${ROOT_KEY_PATH} is missing`));
  const seal = new KekSeal(kek, m.cipher, m.random);
  const rootKey = seal.unwrapSync(blob);
  seal.destroy();
  if (!rootKey.ok) return err(cofferError('invalid-request', 'seal migration failed: the shares do not reconstruct the unseal key'));
  const same = constantTimeEqual(rootKey.value, m.rootKey);
  wipe(rootKey.value);
  return same ? ok(undefined) : err(cofferError('internal', 'stored root key differs from the one in memory'));
}

async function checkRecovery(recoveryKey: Uint8Array, m: MigrationInput): Promise<Result<void>> {
  const verifier = await m.store.get(RECOVERY_KEY_PATH);
  if (verifier === undefined) return err(cofferError('internal', `${RECOVERY_KEY_PATH} is missing`));
  return checkRecoveryKey(recoveryKey, verifier);
}
