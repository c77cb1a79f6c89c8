import { cofferError, err, ok, type Result } from '@coffer/base';
import { toBase64 } from '@coffer/barrier';

/**
 * What the AWS KMS seal stores at `core/root-key` (JSON, no plaintext secret):
 *   key_id              the KMS key ARN that encrypted the data key (what Decrypt needs)
 *   encrypted_data_key  KMS ciphertext of the 32-byte data key (encryption context: the cluster id)
 *   wrapped_root_key    the root key sealed with the data key (barrier record envelope, AAD core/root-key)
 */
export interface KmsBlob {
  readonly keyId: string;
  readonly encryptedDataKey: Uint8Array;
  readonly wrappedRootKey: Uint8Array;
}

const FORMAT = 'coffer-awskms-v1';

export function encodeKmsBlob(b: KmsBlob): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ format: FORMAT, key_id: b.keyId, encrypted_data_key: toBase64(b.encryptedDataKey), wrapped_root_key: toBase64(b.wrappedRootKey) }),
  );
}

export function decodeKmsBlob(bytes: Uint8Array): Result<KmsBlob> {
  const bad = err(cofferError('internal', 'stored root key is not an AWS KMS seal blob (was the cluster initialized with another seal?)'));
  try {
    const j: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof j !== 'object' || j === null) return bad;
    const o = j as Record<string, unknown>;
    const { format, key_id: keyId, encrypted_data_key: edk, wrapped_root_key: wrk } = o;
    if (format !== FORMAT || typeof keyId !== 'string' || typeof edk !== 'string' || typeof wrk !== 'string') return bad;
    return ok({ keyId, encryptedDataKey: new Uint8Array(Buffer.from(edk, 'base64')), wrappedRootKey: new Uint8Array(Buffer.from(wrk, 'base64')) });
  } catch {
    return bad;
  }
}
