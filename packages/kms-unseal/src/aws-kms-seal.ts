import { DecryptCommand, DescribeKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { cofferError, err, ok, type Logger, nullLogger, type Result } from '@coffer/base';
import {
  cryptoRandom, KEY_BYTES, NONCE_BYTES, nodeCipher, openRecord, parseRecord, ROOT_KEY_PATH, ROOT_KEY_TERM, sealRecord, wipe,
  INSPECT, redacted, type RandomSource, type Seal, type SealContext,
} from '@coffer/barrier';
import { decodeKmsBlob, encodeKmsBlob } from './blob.js';
import { resolveAwsKmsConfig, type AwsKmsSealConfig, type Env, type ResolvedAwsKmsConfig } from './config.js';
import { classifyKmsError } from './kms-errors.js';

/** The name of the EncryptionContext entry that binds every data key to its cluster. */
export const CLUSTER_CONTEXT_KEY = 'coffer_cluster_id';

export interface AwsKmsSealOptions {
  readonly random?: RandomSource;
  readonly logger?: Logger;
  /** Per-request bounds, so a black-holed endpoint fails fast and the retry loop stays in charge. */
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** SDK-level attempts per call (default 1: `unsealWithRetry` does the backing off). */
  readonly maxAttempts?: number;
}

/**
 * AWS KMS auto-unseal, as Vault's awskms seal: envelope encryption. A fresh random 32-byte data key
 * seals the root key (AES-256-GCM, barrier envelope); KMS encrypts the data key under `kms_key_id`
 * with the cluster id as EncryptionContext; the blob records the key ARN. Unwrap first checks the
 * key state with DescribeKey (so a disabled key gives a clear "enable it" error even where the KMS
 * does not enforce the state on Decrypt, as moto does not), then decrypts the data key.
 * IAM: kms:Encrypt, kms:Decrypt, kms:DescribeKey.
 */
export class AwsKmsSeal implements Seal {
  readonly type = 'awskms' as const;
  readonly isAutoUnseal = true;
  private readonly client: KMSClient;
  private readonly random: RandomSource;
  private readonly logger: Logger;
  private readonly endpointLabel: string;

  constructor(readonly config: ResolvedAwsKmsConfig, options: AwsKmsSealOptions = {}) {
    this.random = options.random ?? cryptoRandom;
    this.logger = options.logger ?? nullLogger;
    this.endpointLabel = config.endpoint ?? `kms.${config.region}.amazonaws.com`;
    this.client = new KMSClient({
      region: config.region,
      maxAttempts: options.maxAttempts ?? 1,
      requestHandler: { connectionTimeout: options.connectionTimeoutMs ?? 3_000, requestTimeout: options.requestTimeoutMs ?? 10_000 },
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
      ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
    });
  }

  /** From a seal stanza plus the environment (pass `process.env`). */
  static fromConfig(config: AwsKmsSealConfig, env: Env, options: AwsKmsSealOptions = {}): Result<AwsKmsSeal> {
    const resolved = resolveAwsKmsConfig(config, env);
    return resolved.ok ? ok(new AwsKmsSeal(resolved.value, options)) : resolved;
  }

  async wrap(rootKey: Uint8Array, context: SealContext): Promise<Result<Uint8Array>> {
    const dataKey = this.random.bytes(KEY_BYTES);
    try {
      const wrappedRootKey = sealRecord(nodeCipher, dataKey, ROOT_KEY_TERM, this.random.bytes(NONCE_BYTES), rootKey, ROOT_KEY_PATH);
      const out = await this.client.send(
        new EncryptCommand({ KeyId: this.config.kmsKeyId, Plaintext: dataKey, EncryptionContext: encryptionContext(context) }),
      );
      if (out.CiphertextBlob === undefined || out.KeyId === undefined) {
        return err(cofferError('internal', 'KMS Encrypt returned no ciphertext'));
      }
      return ok(encodeKmsBlob({ keyId: out.KeyId, encryptedDataKey: out.CiphertextBlob, wrappedRootKey }));
    } catch (e) {
      return this.fail('wrap', e, this.config.kmsKeyId);
    } finally {
      wipe(dataKey);
    }
  }

  async unwrap(blob: Uint8Array, context: SealContext): Promise<Result<Uint8Array>> {
    const parsed = decodeKmsBlob(blob);
    if (!parsed.ok) return parsed;
    const { keyId, encryptedDataKey, wrappedRootKey } = parsed.value;
    let dataKey: Uint8Array | undefined;
    try {
      const described = await this.client.send(new DescribeKeyCommand({ KeyId: keyId }));
      const state = described.KeyMetadata?.KeyState;
      if (state !== undefined && state !== 'Enabled') {
        const e = cofferError('unavailable', `KMS key ${keyId} is ${state}: enable it (aws kms enable-key --key-id ${keyId}); the node stays sealed and retries`);
        this.logger.warn('awskms unwrap failed', { kind: e.kind, reason: e.message });
        return err(e);
      }
      const out = await this.client.send(
        new DecryptCommand({ KeyId: keyId, CiphertextBlob: encryptedDataKey, EncryptionContext: encryptionContext(context) }),
      );
      dataKey = out.Plaintext === undefined ? undefined : new Uint8Array(out.Plaintext);
      if (dataKey?.length !== KEY_BYTES) return err(cofferError('internal', 'KMS Decrypt did not return a 32-byte data key'));
      const record = parseRecord(wrappedRootKey, ROOT_KEY_PATH);
      if (!record.ok) return record;
      const rootKey = openRecord(nodeCipher, dataKey, record.value, ROOT_KEY_PATH);
      if (!rootKey.ok) return err(cofferError('internal', 'the data key from KMS does not open the stored root key (blob corrupt or replaced)'));
      return rootKey;
    } catch (e) {
      return this.fail('unwrap', e, keyId);
    } finally {
      wipe(dataKey);
    }
  }

  /** Closes the SDK's sockets (tests, shutdown). */
  destroy(): void {
    this.client.destroy();
  }

  toJSON(): string {
    return redacted('awskms seal');
  }

  [INSPECT](): string {
    return redacted('awskms seal');
  }

  private fail(op: 'wrap' | 'unwrap', e: unknown, keyId: string): Result<Uint8Array> {
    const error = classifyKmsError(e, keyId, this.endpointLabel);
    this.logger.warn(`awskms ${op} failed`, { kind: error.kind, reason: error.message });
    return err(error);
  }
}

function encryptionContext(context: SealContext): Record<string, string> {
  return { [CLUSTER_CONTEXT_KEY]: context.clusterId };
}
