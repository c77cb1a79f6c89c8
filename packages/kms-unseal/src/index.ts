export type { AwsKmsSealOptions } from './aws-kms-seal.js';
export { AwsKmsSeal, CLUSTER_CONTEXT_KEY } from './aws-kms-seal.js';
export type { AwsKmsSealConfig, ResolvedAwsKmsConfig, Env } from './config.js';
export { resolveAwsKmsConfig } from './config.js';
export type { KmsBlob } from './blob.js';
export { encodeKmsBlob, decodeKmsBlob } from './blob.js';
export { classifyKmsError } from './kms-errors.js';
export type { RetryOptions, AttemptFailure } from './retry.js';
export { unsealWithRetry, backoffDelayMs } from './retry.js';
