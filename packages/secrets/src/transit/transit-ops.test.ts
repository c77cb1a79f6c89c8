/** Transit encrypt/decrypt/rewrap/datakey against vault-api.md 1.5 and keysutil's rules. */
import { describe, expect, it } from 'vitest';
import { b64, transitStack, unb64 } from './transit.test-helper.js';
import type { TransitTestStack } from './transit.test-helper.js';

const ct = async (t: TransitTestStack, key: string, plain: string, extra: Record<string, unknown> = {}): Promise<string> => {
  const res = await t.post(`transit/encrypt/${key}`, { plaintext: b64(plain), ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return String(t.data(res)['ciphertext']);
};
const pt = async (t: TransitTestStack, key: string, ciphertext: string, extra: Record<string, unknown> = {}): Promise<unknown> =>
  (await t.post(`transit/decrypt/${key}`, { ciphertext, ...extra })).body;

describe('transit encrypt/decrypt', () => {
  for (const type of ['aes256-gcm96', 'chacha20-poly1305']) {
    it(`round-trips with ${type} in Vault's ciphertext layout, a fresh nonce each time`, async () => {
      const t = transitStack();
      const logBefore = t.proposer.log.length;
      await t.post('transit/keys/k', { type });
      const c1 = await ct(t, 'k', 'hello transit');
      const c2 = await ct(t, 'k', 'hello transit');
      expect(c1).toMatch(/^vault:v1:[A-Za-z0-9+/]+=*$/);
      expect(c1).not.toBe(c2);
      // 12-byte nonce || ciphertext (13 bytes) || 16-byte tag
      expect(Buffer.from(c1.slice('vault:v1:'.length), 'base64').length).toBe(12 + 13 + 16);
      expect(unb64(t.data((await t.post('transit/decrypt/k', { ciphertext: c1 })))['plaintext'])).toBe('hello transit');
      expect(t.proposer.log).toHaveLength(logBefore + 1); // only the key creation was proposed
    });
  }

  it('decrypts old versions after rotation, encrypts with the latest or key_version', async () => {
    const t = transitStack();
    await t.post('transit/keys/k');
    const v1 = await ct(t, 'k', 'one');
    await t.post('transit/keys/k/rotate');
    const v2 = await ct(t, 'k', 'two');
    expect(v2.startsWith('vault:v2:')).toBe(true);
    expect((await ct(t, 'k', 'x', { key_version: 1 })).startsWith('vault:v1:')).toBe(true);
    expect(unb64((await pt(t, 'k', v1) as { data: { plaintext: string } }).data.plaintext)).toBe('one');
    expect(unb64((await pt(t, 'k', v2) as { data: { plaintext: string } }).data.plaintext)).toBe('two');
    expect((await t.post('transit/encrypt/k', { plaintext: b64('x'), key_version: 3 })).body).toEqual({
      errors: ['requested version for encryption is higher than the latest key version'],
    });
  });

  it('refuses a ciphertext below min_decryption_version with Vault\'s message; min_encryption_version bounds key_version', async () => {
    const t = transitStack();
    await t.post('transit/keys/k');
    const v1 = await ct(t, 'k', 'old');
    await t.post('transit/keys/k/rotate');
    await t.post('transit/keys/k/config', { min_decryption_version: 2, min_encryption_version: 2 });
    expect(await pt(t, 'k', v1)).toEqual({ errors: ['ciphertext or signature version is disallowed by policy (too old)'] });
    expect((await t.post('transit/encrypt/k', { plaintext: b64('x'), key_version: 1 })).body).toEqual({
      errors: ['requested version for encryption is less than the minimum encryption key version'],
    });
    // Lowering it again brings the archived version back.
    await t.post('transit/keys/k/config', { min_decryption_version: 1 });
    expect((await t.post('transit/decrypt/k', { ciphertext: v1 })).status).toBe(200);
  });

  it('rewraps to the latest version without revealing the plaintext', async () => {
    const t = transitStack();
    await t.post('transit/keys/k', { type: 'chacha20-poly1305' });
    const v1 = await ct(t, 'k', 'wrapped');
    await t.post('transit/keys/k/rotate');
    await t.post('transit/keys/k/rotate');
    const res = await t.post('transit/rewrap/k', { ciphertext: v1 });
    expect(Object.keys(t.data(res)).sort()).toEqual(['ciphertext', 'key_version']);
    expect(t.data(res)['key_version']).toBe(3);
    const v3 = String(t.data(res)['ciphertext']);
    expect(v3.startsWith('vault:v3:')).toBe(true);
    expect(unb64((await pt(t, 'k', v3) as { data: { plaintext: string } }).data.plaintext)).toBe('wrapped');
  });

  it('batch: every item answered, one bad item -> 400 with per-item errors, the good ones still done', async () => {
    const t = transitStack();
    await t.post('transit/keys/k');
    const enc = await t.post('transit/encrypt/k', { batch_input: [{ plaintext: b64('a') }, { plaintext: 'not base64!' }, { plaintext: b64('c'), reference: 'r3' }] });
    expect(enc.status).toBe(400);
    const results = t.data(enc)['batch_results'] as Array<Record<string, unknown>>;
    expect(results).toHaveLength(3);
    expect(results[1]).toEqual({ error: 'illegal base64 data at input byte 3' });
    expect(results[2]).toMatchObject({ key_version: 1, reference: 'r3' });
    const good = [results[0]?.['ciphertext'], results[2]?.['ciphertext']];
    const dec = await t.post('transit/decrypt/k', { batch_input: good.map((c) => ({ ciphertext: c })) });
    expect(dec.status).toBe(200);
    expect((t.data(dec)['batch_results'] as Array<{ plaintext: string }>).map((r) => unb64(r.plaintext))).toEqual(['a', 'c']);
    const mixed = await t.post('transit/decrypt/k', { batch_input: [{ ciphertext: good[0] }, { ciphertext: 'nope' }] });
    expect(mixed.status).toBe(400);
    expect(t.data(mixed)['batch_results']).toEqual([{ plaintext: b64('a') }, { error: 'invalid ciphertext: no prefix' }]);
    expect((await t.post('transit/encrypt/k', { batch_input: [] })).body).toEqual({ errors: ['missing batch input to process'] });
  });

  it('derived keys: HKDF per context; no context -> 400; the wrong context fails to decrypt', async () => {
    const t = transitStack();
    await t.post('transit/keys/d', { derived: true });
    const ctxA = b64('tenant-a');
    const c = await ct(t, 'd', 'scoped', { context: ctxA });
    expect(unb64((await pt(t, 'd', c, { context: ctxA }) as { data: { plaintext: string } }).data.plaintext)).toBe('scoped');
    expect((await pt(t, 'd', c, { context: b64('tenant-b') }))).toEqual({ errors: ['cipher: message authentication failed'] });
    const noCtx = await t.post('transit/encrypt/d', { plaintext: b64('x') });
    expect(noCtx.status).toBe(400);
    expect((noCtx.body as { errors: string[] }).errors[0]).toMatch(/^missing 'context' for key derivation/);
    expect((await pt(t, 'd', c) as { errors: string[] }).errors[0]).toMatch(/^missing 'context'/);
    expect((await t.post('transit/encrypt/d', { batch_input: [{ plaintext: b64('x'), context: ctxA }, { plaintext: b64('y') }] })).body).toEqual({
      errors: ['context should be set either in all the request blocks or in none'],
    });
  });

  it('datakey: wrapped decrypts to the plaintext one; bits 128/256/512 only', async () => {
    const t = transitStack();
    await t.post('transit/keys/k');
    for (const bits of [128, 256, 512]) {
      const res = await t.post('transit/datakey/plaintext/k', { bits });
      const d = t.data(res);
      expect(Buffer.from(String(d['plaintext']), 'base64').length).toBe(bits / 8);
      expect((await pt(t, 'k', String(d['ciphertext'])) as { data: { plaintext: string } }).data.plaintext).toBe(d['plaintext']);
    }
    const wrapped = t.data(await t.post('transit/datakey/wrapped/k'));
    expect(Object.keys(wrapped).sort()).toEqual(['ciphertext', 'key_version']);
    const unwrapped = (await pt(t, 'k', String(wrapped['ciphertext'])) as { data: { plaintext: string } }).data.plaintext;
    expect(Buffer.from(unwrapped, 'base64').length).toBe(32);
    expect((await t.post('transit/datakey/plaintext/k', { bits: 64 })).body).toEqual({ errors: ['invalid bits value'] });
    expect((await t.post('transit/datakey/both/k')).status).toBe(400);
    expect((await t.post('transit/datakey/wrapped/none')).body).toEqual({ errors: ['encryption key not found'] });
  });

  it('bad input gets Vault\'s 400 and changes nothing', async () => {
    const t = transitStack();
    await t.post('transit/keys/k');
    const c = await ct(t, 'k', 'x');
    const before = t.fsm.stateHash();
    const logBefore = t.proposer.log.length;
    const cases: Array<[string, unknown, string]> = [
      ['encrypt/k', { plaintext: 'abc$' }, 'illegal base64 data at input byte 3'],
      ['encrypt/k', {}, 'missing plaintext to encrypt'],
      ['encrypt/k', { plaintext: b64('x'), context: '%%' }, 'illegal base64 data at input byte 0'],
      ['decrypt/k', { ciphertext: 'aGVsbG8=' }, 'invalid ciphertext: no prefix'],
      ['decrypt/k', { ciphertext: 'vault:vX:aGVsbG8=' }, 'invalid ciphertext: version number could not be decoded'],
      ['decrypt/k', { ciphertext: c.replace('vault:v1:', 'vault:v7:') }, 'invalid ciphertext: version is too new'],
      ['decrypt/k', { ciphertext: `${c.slice(0, -6)}AAAA==` }, 'cipher: message authentication failed'],
      ['decrypt/k', {}, 'missing ciphertext to decrypt'],
      ['decrypt/none', { ciphertext: c }, 'encryption key not found'],
      ['rewrap/none', { ciphertext: c }, 'encryption key not found'],
      ['encrypt/none', { plaintext: b64('x'), type: 'rot13' }, 'unknown key type rot13'],
      ['encrypt/none', { batch_input: [{ plaintext: b64('x') }, { plaintext: '!' }] }, ''],
    ];
    for (const [path, body, error] of cases) {
      const res = await t.post(`transit/${path}`, body);
      expect(res.status, path).toBe(400);
      if (error !== '') expect(res.body, path).toEqual({ errors: [error] });
    }
    // Encrypt on a missing key would upsert it, but not when the input is bad.
    expect((await t.req('create', 'transit/encrypt/fresh', { plaintext: 'abc$' })).status).toBe(400);
    expect((await t.req('read', 'transit/keys/fresh')).status).toBe(404);
    expect(t.fsm.stateHash()).toBe(before);
    expect(t.proposer.log).toHaveLength(logBefore);
    expect((await t.req('read', 'transit/encrypt/k')).status).toBe(405);
  });

  it('encrypt on a missing key upserts it (aes256-gcm96, not derived) and answers after the commit', async () => {
    const t = transitStack();
    const res = await t.post('transit/encrypt/fresh', { plaintext: b64('hi') });
    expect(res.status).toBe(200);
    expect(t.data(await t.req('read', 'transit/keys/fresh'))).toMatchObject({ type: 'aes256-gcm96', derived: false, latest_version: 1 });
    expect(unb64(t.data(await t.post('transit/decrypt/fresh', { ciphertext: t.data(res)['ciphertext'] }))['plaintext'])).toBe('hi');
  });

  it('encrypt with the create operation upserts the key (derived when a context is given)', async () => {
    const t = transitStack();
    const res = await t.req('create', 'transit/encrypt/auto', { plaintext: b64('x'), context: b64('c'), type: 'chacha20-poly1305' });
    expect(res.status).toBe(200);
    expect(t.data(await t.req('read', 'transit/keys/auto'))).toMatchObject({ type: 'chacha20-poly1305', derived: true, latest_version: 1 });
    const again = await t.req('create', 'transit/encrypt/auto', { plaintext: b64('x'), context: b64('c') });
    expect((again.body as { warnings: string[] }).warnings).toEqual(['Attempted creation of the key during the encrypt operation, but it was created beforehand']);
    const plain = await t.post('transit/decrypt/auto', { ciphertext: t.data(res)['ciphertext'], context: b64('c') });
    expect(unb64(t.data(plain)['plaintext'])).toBe('x');
  });
});
