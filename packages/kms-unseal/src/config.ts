import { cofferError, err, ok, type Result } from '@coffer/base';

/** The `seal "awskms"` stanza, with Vault's field names. Credentials default to the SDK chain. */
export interface AwsKmsSealConfig {
  readonly region?: string;
  readonly kms_key_id?: string;
  readonly endpoint?: string;
  readonly access_key?: string;
  readonly secret_key?: string;
  readonly session_token?: string;
}

export interface ResolvedAwsKmsConfig {
  readonly region: string;
  /** Key id, ARN, alias name or alias ARN. */
  readonly kmsKeyId: string;
  readonly endpoint: string | undefined;
  /** Static credentials when the stanza gives them; otherwise undefined and the SDK's default chain applies. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string } | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (...xs: ReadonlyArray<string | undefined>): string | undefined => xs.find((x) => x !== undefined && x !== '');

/**
 * Resolves the stanza the way Vault's awskms wrapper does: the environment wins over the file
 * (VAULT_AWSKMS_SEAL_KEY_ID, AWS_REGION then AWS_DEFAULT_REGION, AWS_KMS_ENDPOINT), the region
 * defaults to us-east-1, and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, instance
 * roles and profiles are left to the SDK's credential chain unless the stanza sets keys.
 */
export function resolveAwsKmsConfig(config: AwsKmsSealConfig, env: Env): Result<ResolvedAwsKmsConfig> {
  const kmsKeyId = nonEmpty(env['VAULT_AWSKMS_SEAL_KEY_ID'], config.kms_key_id);
  if (kmsKeyId === undefined) {
    return err(cofferError('invalid-request', 'awskms seal: kms_key_id is not set (seal stanza or VAULT_AWSKMS_SEAL_KEY_ID)'));
  }
  const region = nonEmpty(env['AWS_REGION'], env['AWS_DEFAULT_REGION'], config.region) ?? 'us-east-1';
  const endpoint = nonEmpty(env['AWS_KMS_ENDPOINT'], config.endpoint);
  if (endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(endpoint)) {
    return err(cofferError('invalid-request', `awskms seal: endpoint must be an http(s) URL, got ${JSON.stringify(endpoint)}`));
  }
  if ((config.access_key === undefined) !== (config.secret_key === undefined)) {
    return err(cofferError('invalid-request', 'awskms seal: access_key and secret_key must be set together'));
  }
  const credentials =
    config.access_key !== undefined && config.secret_key !== undefined
      ? { accessKeyId: config.access_key, secretAccessKey: config.secret_key, ...(config.session_token ? { sessionToken: config.session_token } : {}) }
      : undefined;
  return ok({ region, kmsKeyId, endpoint, credentials });
}
