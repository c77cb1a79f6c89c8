export type { Cipher } from './cipher.js';
export { nobleCipher, nodeCipher, KEY_BYTES, NONCE_BYTES, TAG_BYTES } from './cipher.js';
export type { RandomSource } from './random.js';
export { cryptoRandom, insecureSeededRandom } from './random.js';
export type { ParsedRecord } from './envelope.js';
export { sealRecord, parseRecord, openRecord, ENVELOPE_VERSION_PATH_AAD, ROOT_KEY_TERM, MIN_RECORD_BYTES } from './envelope.js';
export type { KeyTermInfo, KeyTerm, KeyringState } from './keyring.js';
export { Keyring, DEFAULT_MAX_ENCRYPTIONS, GCM_ENCRYPTION_LIMIT } from './keyring.js';
export type { KeyringBlobHeader } from './keyring-blob.js';
export { keyringBlobTerm, keyringBlobHeader, checkKeyringWrite, sealKeyringState, openKeyringBlob } from './keyring-blob.js';
export type { KeyringProposal } from './keyring-ops.js';
export type { SealType, SealConfig, RecoveryConfig } from './layout.js';
export {
  SEAL_CONFIG_PATH, ROOT_KEY_PATH, KEYRING_PATH, RECOVERY_CONFIG_PATH, RECOVERY_KEY_PATH, CORE_PREFIX, MAX_SHARES,
  checkShareConfig, decodeSealConfig,
} from './layout.js';
export type { Seal, SealContext } from './seal.js';
export { KekSeal, WRONG_SHARES_MESSAGE } from './seal.js';
export { MemoryAutoSeal } from './memory-seal.js';
export type { CoreStore, CoreWrite } from './core-store.js';
export { MemoryCoreStore } from './core-store.js';
export type { InitRequest, InitOptions, InitResult } from './init.js';
export type { RekeyRequest, RekeyStatus, RekeyComplete } from './rekey.js';
export type { SealMigration } from './migration.js';
export type { BarrierOptions, SealStatus } from './barrier.js';
export { Barrier } from './barrier.js';
export { plainBytes, wipe, toHex, toBase64, constantTimeEqual } from './bytes.js';
export { INSPECT, redacted } from './redact.js';
