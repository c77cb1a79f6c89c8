import { cofferError, type CofferError } from '@coffer/base';

/**
 * Maps what the SDK throws to a typed error an operator can act on. Retry policy follows the kind:
 * `unavailable` may heal by itself or by an operator's fix elsewhere (KMS back, key re-enabled,
 * permission granted), so the node keeps retrying; `internal` (wrong encryption context, a blob from
 * another key) will not heal and is reported, not retried.
 */
export function classifyKmsError(e: unknown, keyId: string, endpoint: string): CofferError {
  const name = errorField(e, 'name') ?? 'Error';
  const code = errorField(e, 'code');
  const status = httpStatus(e);
  const where = `KMS at ${endpoint}`;
  switch (name) {
    case 'DisabledException':
      return cofferError('unavailable', `KMS key ${keyId} is disabled: enable it (aws kms enable-key --key-id ${keyId}); the node stays sealed and retries`);
    case 'KMSInvalidStateException':
      return cofferError('unavailable', `KMS key ${keyId} is not in a usable state (disabled or pending deletion): enable it, or cancel its deletion; the node stays sealed and retries`);
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'CredentialsProviderError':
      return cofferError('unavailable', `${where} denied access to key ${keyId} (${name}): give this node credentials with kms:Encrypt, kms:Decrypt and kms:DescribeKey on the key`);
    case 'NotFoundException':
      return cofferError('unavailable', `KMS key ${keyId} was not found at ${where}: check kms_key_id and region (a deleted key cannot be recovered)`);
    case 'InvalidCiphertextException':
    case 'IncorrectKeyException':
      return cofferError('internal', `KMS refused to decrypt the data key with key ${keyId}: the encryption context (cluster id) or the key does not match the stored root key`);
    case 'ThrottlingException':
    case 'KMSInternalException':
    case 'DependencyTimeoutException':
      return cofferError('unavailable', `${where} is temporarily failing (${name}); retrying`);
    default:
      break;
  }
  if (status === undefined || status >= 500) {
    // No HTTP answer at all (refused, reset, timeout, DNS) or a server error: transient.
    return cofferError('unavailable', `${where} is unreachable (${code ?? name}); the node stays sealed and retries`);
  }
  return cofferError('internal', `${where} rejected the request (${name}, HTTP ${status})`);
}

function errorField(e: unknown, field: 'name' | 'code'): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const v = (e as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : undefined;
}

function httpStatus(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const meta = (e as Record<string, unknown>)['$metadata'];
  if (typeof meta !== 'object' || meta === null) return undefined;
  const s = (meta as Record<string, unknown>)['httpStatusCode'];
  return typeof s === 'number' ? s : undefined;
}
