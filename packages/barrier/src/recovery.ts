import { createHmac } from 'node:crypto';
import { cofferError, err, ok, type Result } from '@coffer/base';
import { concatBytes, constantTimeEqual } from './bytes.js';
import type { RandomSource } from './random.js';

/**
 * Recovery keys (auto-unseal): they authorize privileged operations, they never decrypt anything.
 * Only a verifier is stored at `core/recovery-key`: [16-byte salt][HMAC-SHA256(recoveryKey, label || salt)].
 * The recovery key is 32 random bytes, so a salted MAC is enough (no password stretching needed),
 * and the verifier reveals nothing that would help unwrap the root key.
 */
const SALT_BYTES = 16;
const MAC_BYTES = 32;
const LABEL = new TextEncoder().encode('coffer recovery key verifier v1');

function mac(recoveryKey: Uint8Array, salt: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', recoveryKey).update(LABEL).update(salt).digest());
}

export function makeRecoveryVerifier(recoveryKey: Uint8Array, random: RandomSource): Uint8Array {
  const salt = random.bytes(SALT_BYTES);
  return concatBytes(salt, mac(recoveryKey, salt));
}

export function checkRecoveryKey(recoveryKey: Uint8Array, verifier: Uint8Array): Result<void> {
  if (verifier.length !== SALT_BYTES + MAC_BYTES) return err(cofferError('internal', 'stored recovery key verifier is corrupt'));
  const salt = verifier.subarray(0, SALT_BYTES);
  if (!constantTimeEqual(mac(recoveryKey, salt), verifier.subarray(SALT_BYTES))) {
    return err(cofferError('invalid-request', 'the recovery key shares do not reconstruct the recovery key'));
  }
  return ok(undefined);
}
