/** Transit key management against vault-api.md 1.5 and Vault's path_keys*.go behaviour. */
import { describe, expect, it } from 'vitest';
import { transitStack } from './transit.test-helper.js';

const T0_S = Math.floor(Date.UTC(2026, 10, 29, 21, 0, 0) / 1000);

describe('transit keys', () => {
  it('creates an aes256-gcm96 key by default and reads it back in Vault\'s exact shape', async () => {
    const t = transitStack();
    expect(await t.post('transit/keys/app')).toEqual({ status: 204 });
    const res = await t.req('read', 'transit/keys/app');
    expect(res.status).toBe(200);
    expect((res.body as { mount_type: string }).mount_type).toBe('transit');
    expect(t.data(res)).toEqual({
      allow_plaintext_backup: false, auto_rotate_period: 0, deletion_allowed: false, derived: false, exportable: false, imported_key: false,
      keys: { '1': T0_S }, latest_version: 1, min_available_version: 0, min_decryption_version: 1, min_encryption_version: 0, name: 'app',
      supports_decryption: true, supports_derivation: true, supports_encryption: true, supports_signing: false, type: 'aes256-gcm96',
    });
  });

  it('creates chacha20-poly1305 and derived keys; re-creating leaves the key as it was', async () => {
    const t = transitStack();
    expect((await t.post('transit/keys/c', { type: 'chacha20-poly1305', derived: true, exportable: 'true' })).status).toBe(204);
    const info = t.data(await t.req('read', 'transit/keys/c'));
    expect(info).toMatchObject({ type: 'chacha20-poly1305', derived: true, exportable: true, kdf: 'hkdf_sha256', convergent_encryption: false });
    const before = t.fsm.stateHash();
    expect((await t.post('transit/keys/c', { type: 'aes256-gcm96' })).status).toBe(204);
    expect(t.fsm.stateHash()).toBe(before);
  });

  it('rejects bad key types, bad flags and bad names with 400/404 and writes nothing', async () => {
    const t = transitStack();
    const before = t.fsm.stateHash();
    const logBefore = t.proposer.log.length;
    expect(await t.post('transit/keys/k', { type: 'rot13' })).toEqual({ status: 400, body: { errors: ['unknown key type rot13'] } });
    expect((await t.post('transit/keys/k', { type: 'ed25519' })).status).toBe(400);
    expect((await t.post('transit/keys/k', { derived: 'maybe' })).status).toBe(400);
    expect((await t.post('transit/keys/k', { convergent_encryption: true, derived: true })).status).toBe(400);
    expect((await t.post('transit/keys/k', [1, 2])).status).toBe(400);
    expect((await t.post('transit/keys/bad$name')).status).toBe(404);
    expect(t.fsm.stateHash()).toBe(before);
    expect(t.proposer.log).toHaveLength(logBefore);
  });

  it('lists keys (404 when there are none)', async () => {
    const t = transitStack();
    expect(await t.req('list', 'transit/keys')).toEqual({ status: 404, body: { errors: [] } });
    await t.post('transit/keys/b');
    await t.post('transit/keys/a');
    expect(t.data(await t.req('list', 'transit/keys/'))).toEqual({ keys: ['a', 'b'] });
  });

  it('rotates: new version with its own time, answers with the key info; unknown key is a 400', async () => {
    const t = transitStack();
    await t.post('transit/keys/k');
    t.clock.nowMs += 5000;
    const res = await t.post('transit/keys/k/rotate');
    expect(res.status).toBe(200);
    expect(t.data(res)).toMatchObject({ latest_version: 2, keys: { '1': T0_S, '2': T0_S + 5 } });
    expect(await t.post('transit/keys/nope/rotate')).toEqual({ status: 400, body: { errors: ['key not found'] } });
  });

  it('deletes only when deletion_allowed', async () => {
    const t = transitStack();
    await t.post('transit/keys/k');
    expect(await t.req('delete', 'transit/keys/k')).toEqual({ status: 400, body: { errors: ['error deleting policy k: deletion is not allowed for this key'] } });
    expect((await t.post('transit/keys/k/config', { deletion_allowed: true })).status).toBe(200);
    expect(await t.req('delete', 'transit/keys/k')).toEqual({ status: 204 });
    expect((await t.req('read', 'transit/keys/k')).status).toBe(404);
    expect((await t.req('delete', 'transit/keys/k')).status).toBe(400);
  });

  it('config validates min versions like Vault and changes nothing on error', async () => {
    const t = transitStack();
    await t.post('transit/keys/k');
    await t.post('transit/keys/k/rotate');
    await t.post('transit/keys/k/rotate');
    const before = t.fsm.stateHash();
    const errorOf = async (body: unknown): Promise<unknown> => (await t.post('transit/keys/k/config', body)).body;
    expect(await errorOf({ min_decryption_version: 4 })).toEqual({ errors: ['cannot set min decryption version of 4, latest key version is 3'] });
    expect(await errorOf({ min_encryption_version: 9 })).toEqual({ errors: ['cannot set min encryption version of 9, latest key version is 3'] });
    expect(await errorOf({ min_decryption_version: -1 })).toEqual({ errors: ['min decryption version cannot be negative'] });
    expect(await errorOf({ min_decryption_version: 3, min_encryption_version: 2 })).toEqual({
      errors: ['cannot set min encryption/decryption values; min encryption version of 2 must be greater than or equal to min decryption version of 3'],
    });
    expect(await errorOf({ deletion_allowed: 'perhaps' })).toEqual({ errors: ['invalid value for field "deletion_allowed": expected a boolean'] });
    expect((await t.post('transit/keys/none/config', { deletion_allowed: true })).body).toEqual({ errors: ['no existing key named none could be found'] });
    expect(t.fsm.stateHash()).toBe(before);

    const ok = await t.post('transit/keys/k/config', { min_decryption_version: 2, min_encryption_version: 3, exportable: true });
    expect(t.data(ok)).toMatchObject({ min_decryption_version: 2, min_encryption_version: 3, exportable: true });
    // Versions below min_decryption_version are archived: not listed.
    expect(Object.keys(t.data(ok)['keys'] as object)).toEqual(['2', '3']);
    // exportable cannot be switched off again; min_decryption_version 0 is forced to 1 with Vault's warning.
    const again = await t.post('transit/keys/k/config', { exportable: false, min_decryption_version: 0 });
    expect(t.data(again)).toMatchObject({ exportable: true, min_decryption_version: 1 });
    expect((again.body as { warnings: string[] }).warnings).toEqual(['since Vault 0.3, transit key numbering starts at 1; forcing minimum to 1']);
  });
});
