import { cofferError, err, ok, type Result } from '@coffer/base';
import { utf8 } from './bytes.js';

/**
 * Where the barrier's material lives in the replicated store. Everything a node needs to unseal is
 * here (apart from the seal itself: the shares, or access to the KMS key), so a node that catches
 * up by log or snapshot, or a DR secondary holding a copy of the primary's state, can unseal with
 * the primary's shares (or KMS key) and nothing else.
 *
 *   core/seal-config      plaintext JSON: seal type, shares n, threshold t, cluster id
 *   core/root-key         the root key wrapped by the seal (KEK from the shares, or KMS envelope)
 *   core/keyring          the keyring, sealed with the root key (keyring-blob.ts)
 *   core/recovery-config  plaintext JSON (auto-unseal only): recovery shares n, threshold t
 *   core/recovery-key     verifier of the recovery key (auto-unseal only): salt + HMAC, never the key
 */
export const SEAL_CONFIG_PATH = 'core/seal-config';
export const ROOT_KEY_PATH = 'core/root-key';
export const KEYRING_PATH = 'core/keyring';
export const RECOVERY_CONFIG_PATH = 'core/recovery-config';
export const RECOVERY_KEY_PATH = 'core/recovery-key';

/** The prefix the barrier owns: records under it are written only with what the barrier produces. */
export const CORE_PREFIX = 'core/';

export type SealType = 'shamir' | 'awskms';

export interface SealConfig {
  readonly type: SealType;
  readonly secretShares: number;
  readonly secretThreshold: number;
  /** Bound into the KMS encryption context; also identifies the cluster whose shares these are. */
  readonly clusterId: string;
}

export interface RecoveryConfig {
  readonly recoveryShares: number;
  readonly recoveryThreshold: number;
}

export const MAX_SHARES = 255;

/** Vault's rule: 1 <= t <= n <= 255, and t = 1 only when n = 1. */
export function checkShareConfig(shares: number, threshold: number, what: 'secret' | 'recovery'): Result<void> {
  const bad = (why: string): Result<void> => err(cofferError('invalid-request', `invalid ${what}_shares/${what}_threshold: ${why}`));
  if (!Number.isInteger(shares) || !Number.isInteger(threshold)) return bad('both must be integers');
  if (shares < 1 || shares > MAX_SHARES) return bad(`${what}_shares must be between 1 and ${MAX_SHARES}, got ${shares}`);
  if (threshold < 1) return bad(`${what}_threshold must be at least 1, got ${threshold}`);
  if (threshold > shares) return bad(`${what}_threshold (${threshold}) must not exceed ${what}_shares (${shares})`);
  if (threshold === 1 && shares > 1) return bad(`${what}_threshold 1 is only allowed with ${what}_shares 1`);
  return ok(undefined);
}

export function encodeSealConfig(c: SealConfig): Uint8Array {
  return utf8(JSON.stringify({ type: c.type, secret_shares: c.secretShares, secret_threshold: c.secretThreshold, cluster_id: c.clusterId }));
}

export function decodeSealConfig(bytes: Uint8Array): Result<SealConfig> {
  const j = parseJsonObject(bytes);
  if (
    j === undefined ||
    (j['type'] !== 'shamir' && j['type'] !== 'awskms') ||
    typeof j['secret_shares'] !== 'number' ||
    typeof j['secret_threshold'] !== 'number' ||
    typeof j['cluster_id'] !== 'string'
  ) {
    return err(cofferError('internal', `stored ${SEAL_CONFIG_PATH} is corrupt`));
  }
  return ok({ type: j['type'], secretShares: j['secret_shares'], secretThreshold: j['secret_threshold'], clusterId: j['cluster_id'] });
}

export function encodeRecoveryConfig(c: RecoveryConfig): Uint8Array {
  return utf8(JSON.stringify({ recovery_shares: c.recoveryShares, recovery_threshold: c.recoveryThreshold }));
}

export function decodeRecoveryConfig(bytes: Uint8Array): Result<RecoveryConfig> {
  const j = parseJsonObject(bytes);
  if (j === undefined || typeof j['recovery_shares'] !== 'number' || typeof j['recovery_threshold'] !== 'number') {
    return err(cofferError('internal', `stored ${RECOVERY_CONFIG_PATH} is corrupt`));
  }
  return ok({ recoveryShares: j['recovery_shares'], recoveryThreshold: j['recovery_threshold'] });
}

function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
