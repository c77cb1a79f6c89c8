import { afterEach, describe, expect, it } from 'vitest';
import { auditStack, at } from './audit.test-helper.js';
import type { AuditStack } from './audit.test-helper.js';
import { AUDIT_DEVICES_PATH, loadAuditDevices } from './config.js';

let s: AuditStack;
afterEach(async () => s.cleanup());

describe('sys/audit engine', () => {
  it('enables a device with Vault defaults and lists it without its key', async () => {
    s = auditStack();
    expect((await s.req('update', 'sys/audit/file', { type: 'file', description: 'main', options: { file_path: 'discard' } })).status).toBe(204);
    const list = await s.req('read', 'sys/audit');
    expect(at(list.body, 'data')).toEqual({
      'file/': {
        type: 'file', description: 'main', local: false, path: 'file/',
        options: { file_path: 'discard', mode: '0600', format: 'json', hmac_accessor: 'true', log_raw: 'false' },
      },
    });
    const stored = loadAuditDevices(s.fsm, s.crypter);
    expect(stored.ok && stored.value.devices[0]?.hmacKeyHex).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores the table (and its key) only as ciphertext', async () => {
    s = auditStack();
    await s.enable('file', { file_path: 'discard' });
    const loaded = loadAuditDevices(s.fsm, s.crypter);
    const key = loaded.ok ? loaded.value.devices[0]?.hmacKeyHex ?? '' : '';
    expect(key).toHaveLength(64);
    const raw = Buffer.from(s.fsm.get(AUDIT_DEVICES_PATH)?.value ?? new Uint8Array());
    expect(raw.length).toBeGreaterThan(0);
    expect(raw.includes(Buffer.from(key))).toBe(false);
    expect(raw.includes(Buffer.from(key, 'hex'))).toBe(false);
    expect(raw.includes(Buffer.from('discard'))).toBe(false);
  });

  it.each([
    [{ type: 'syslog', options: { file_path: 'x' } }, 'unknown backend type'],
    [{ type: 'file', options: {} }, 'file_path is required'],
    [{ type: 'file', options: { file_path: 'x', format: 'jsonx' } }, 'unsupported format'],
    [{ type: 'file', options: { file_path: 'x', mode: 'rw' } }, 'invalid mode'],
    [{ type: 'file', options: { file_path: 'x', log_raw: 'maybe' } }, 'log_raw'],
    [{ type: 'file', options: { file_path: 'x', bogus: '1' } }, 'unknown audit option(s): bogus'],
    [{ type: 'file', options: { file_path: 'x' }, description: 5 }, 'description'],
    ['not an object', 'JSON object'],
  ])('rejects %j with a 400 and changes nothing', async (body, message) => {
    s = auditStack();
    const before = s.proposer.log.length;
    const res = await s.req('update', 'sys/audit/file', body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(message);
    expect(s.proposer.log.length).toBe(before);
  });

  it('accepts the legacy `path` option and boolean options as JSON booleans', async () => {
    s = auditStack();
    expect((await s.req('update', 'sys/audit/f', { type: 'file', options: { path: 'discard', log_raw: true } })).status).toBe(204);
    expect(at(await s.req('read', 'sys/audit'), 'body', 'data', 'f/', 'options')).toMatchObject({ file_path: 'discard', log_raw: 'true' });
  });

  it('refuses a path already in use; disabling an absent device is a 204', async () => {
    s = auditStack();
    await s.enable('file', { file_path: 'discard' });
    const again = await s.enable('file/', { file_path: 'discard' });
    expect(again).toEqual({ status: 400, body: { errors: ['path already in use at file/'] } });
    expect((await s.req('delete', 'sys/audit/nope')).status).toBe(204);
  });

  it('audit-hash needs a known device and a string input', async () => {
    s = auditStack();
    expect((await s.req('update', 'sys/audit-hash/none', { input: 'x' })).status).toBe(400);
    await s.enable('file', { file_path: 'discard' });
    expect((await s.req('update', 'sys/audit-hash/file', { input: 5 })).status).toBe(400);
    const res = await s.req('update', 'sys/audit-hash/file', { input: 'x' });
    expect(at(res.body, 'data', 'hash')).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(at(res.body, 'hash')).toBe(at(res.body, 'data', 'hash'));
    // A re-enabled device draws a new key: old hashes no longer match.
    await s.req('delete', 'sys/audit/file');
    await s.enable('file', { file_path: 'discard' });
    expect(at(await s.req('update', 'sys/audit-hash/file', { input: 'x' }), 'body', 'data', 'hash')).not.toBe(at(res.body, 'data', 'hash'));
  });
});
