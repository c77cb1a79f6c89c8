import { cofferError, err, ok, type Result } from '@coffer/base';
import type { Cipher } from './cipher.js';
import type { CoreStore } from './core-store.js';
import {
  decodeRecoveryConfig, decodeSealConfig, RECOVERY_CONFIG_PATH, RECOVERY_KEY_PATH, ROOT_KEY_PATH, SEAL_CONFIG_PATH,
  type RecoveryConfig, type SealConfig,
} from './layout.js';
import type { RandomSource } from './random.js';
import { checkRecoveryKey } from './recovery.js';
import { KekSeal, type Seal } from './seal.js';

/** Material read from the store; the config says which seal and how many shares. */
export interface Core {
  readonly config: SealConfig;
  readonly recovery: RecoveryConfig | undefined;
}

export async function loadCore(store: CoreStore): Promise<Result<Core>> {
  const raw = await store.get(SEAL_CONFIG_PATH);
  if (raw === undefined) return err(cofferError('uninitialized', 'the barrier is not initialized: run operator init'));
  const config = decodeSealConfig(raw);
  if (!config.ok) return config;
  if (config.value.type === 'shamir') return ok({ config: config.value, recovery: undefined });
  const rawRecovery = await store.get(RECOVERY_CONFIG_PATH);
  if (rawRecovery === undefined) return err(cofferError('internal', `${RECOVERY_CONFIG_PATH} is missing`));
  const recovery = decodeRecoveryConfig(rawRecovery);
  return recovery.ok ? ok({ config: config.value, recovery: recovery.value }) : recovery;
}

/** The combined KEK is trusted only if it opens the stored root key (GCM tag). */
export async function unwrapWithKek(store: CoreStore, cipher: Cipher, random: RandomSource, kek: Uint8Array): Promise<Result<Uint8Array>> {
  const blob = await store.get(ROOT_KEY_PATH);
  if (blob === undefined) return err(cofferError('internal', `${ROOT_KEY_PATH} is missing`));
  const seal = new KekSeal(kek, cipher, random);
  try {
    return seal.unwrapSync(blob);
  } finally {
    seal.destroy();
  }
}

/** Recovery shares only authorize: the root key still comes from the auto seal (KMS). */
export async function unwrapWithRecovery(
  store: CoreStore, autoSeal: Seal | undefined, recoveryKey: Uint8Array, config: SealConfig,
): Promise<Result<Uint8Array>> {
  const verifier = await store.get(RECOVERY_KEY_PATH);
  if (verifier === undefined) return err(cofferError('internal', `${RECOVERY_KEY_PATH} is missing`));
  const checked = checkRecoveryKey(recoveryKey, verifier);
  if (!checked.ok) return checked;
  const blob = await store.get(ROOT_KEY_PATH);
  if (blob === undefined || autoSeal === undefined) return err(cofferError('internal', `${ROOT_KEY_PATH} is missing`));
  return autoSeal.unwrap(blob, { clusterId: config.clusterId });
}
