import { describe, expect, it } from 'vitest';
import { resolveAwsKmsConfig } from './config.js';
import { classifyKmsError } from './kms-errors.js';

describe('resolveAwsKmsConfig', () => {
  it('reads the stanza, defaults the region to us-east-1, leaves credentials to the SDK chain', () => {
    expect(resolveAwsKmsConfig({ kms_key_id: 'alias/coffer', endpoint: 'http://127.0.0.1:1' }, {})).toEqual({
      ok: true, value: { region: 'us-east-1', kmsKeyId: 'alias/coffer', endpoint: 'http://127.0.0.1:1', credentials: undefined },
    });
  });

  it('lets the environment win, as Vault does', () => {
    const env = { VAULT_AWSKMS_SEAL_KEY_ID: 'env-key', AWS_DEFAULT_REGION: 'eu-west-1', AWS_KMS_ENDPOINT: 'https://kms.example' };
    const r = resolveAwsKmsConfig({ kms_key_id: 'file-key', region: 'us-west-2', endpoint: 'http://file' }, env);
    expect(r).toMatchObject({ ok: true, value: { kmsKeyId: 'env-key', region: 'eu-west-1', endpoint: 'https://kms.example' } });
    expect(resolveAwsKmsConfig({ kms_key_id: 'k' }, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-1' })).toMatchObject({ ok: true, value: { region: 'ap-south-1' } });
  });

  it('takes static credentials from the stanza only in pairs', () => {
    expect(resolveAwsKmsConfig({ kms_key_id: 'k', access_key: 'a', secret_key: 's', session_token: 't' }, {})).toMatchObject({
      ok: true, value: { credentials: { accessKeyId: 'a', secretAccessKey: 's', sessionToken: 't' } },
    });
    expect(resolveAwsKmsConfig({ kms_key_id: 'k', access_key: 'a' }, {})).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
  });

  it('refuses a missing key id and a malformed endpoint, saying where to set them', () => {
    const r = resolveAwsKmsConfig({}, {});
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(!r.ok && r.error.message).toMatch(/VAULT_AWSKMS_SEAL_KEY_ID/);
    expect(resolveAwsKmsConfig({ kms_key_id: 'k', endpoint: '127.0.0.1:4566' }, {})).toMatchObject({ ok: false });
  });
});

describe('classifyKmsError', () => {
  const withStatus = (name: string, status: number) => Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: status } });
  it('maps what an operator can fix to unavailable with a hint, and a context mismatch to internal', () => {
    expect(classifyKmsError(withStatus('DisabledException', 400), 'k', 'e')).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/enable-key/) });
    expect(classifyKmsError(withStatus('AccessDeniedException', 400), 'k', 'e')).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/kms:Decrypt/) });
    expect(classifyKmsError(withStatus('InvalidCiphertextException', 400), 'k', 'e').kind).toBe('internal');
    expect(classifyKmsError(withStatus('KMSInternalException', 500), 'k', 'e').kind).toBe('unavailable');
    expect(classifyKmsError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'k', 'e').kind).toBe('unavailable');
    expect(classifyKmsError(withStatus('ValidationException', 400), 'k', 'e').kind).toBe('internal');
  });
});
