/**
 * Audit must never leak: canaries sent as KV data, a real token issued by `auth/token/create`
 * (in the response's auth block, then as the client token of later requests, and as `id` in its
 * own lookup), its accessor, and transit plaintexts, ciphertexts and data keys must not appear in the audit file raw, base64, base64url or hex;
 * yet `sys/audit-hash` gives the exact string an operator greps for. A log_raw control device
 * proves the scan would find them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditStack, at } from './audit.test-helper.js';
import type { AuditStack } from './audit.test-helper.js';

const KV_CANARY = 'canary-5e1d-kv-value';
const NESTED_CANARY = 'canary-77ab-nested';
const META_CANARY = 'canary-31f0-custom-metadata';
const TRANSIT_CANARY = 'canary-e4c2-transit-plaintext';

function forms(s: string): string[] {
  const raw = Buffer.from(s, 'utf8');
  return [s, raw.toString('base64'), raw.toString('base64url'), raw.toString('hex'), raw.toString('hex').toUpperCase()];
}

let s: AuditStack;
afterEach(async () => s.cleanup());

describe('audit never leaks', () => {
  it('no canary in any form reaches the audit file; audit-hash finds each one', async () => {
    s = auditStack();
    const file = join(s.dir, 'audit.log');
    const control = join(s.dir, 'raw.log');
    await s.enable('file', { file_path: file });
    await s.enable('raw', { file_path: control, log_raw: true });
    const policy = 'path "secret/*" {\n  capabilities = ["create", "read", "update", "patch", "list"]\n}\n';
    expect((await s.req('update', 'sys/policy/app', { policy })).status).toBe(204);
    const created = await s.req('update', 'auth/token/create', { policies: ['app'], meta: { owner: META_CANARY } });
    expect(created.status).toBe(200);
    const issued = String(at(created.body, 'auth', 'client_token'));
    const accessor = String(at(created.body, 'auth', 'accessor'));
    expect(issued).toMatch(/^hvs\./);
    const token = { token: issued };
    expect((await s.req('update', 'secret/data/app', { data: { password: KV_CANARY, more: [{ n: NESTED_CANARY }] } }, token)).status).toBe(200);
    expect((await s.req('patch', 'secret/data/app', { data: { again: KV_CANARY } }, token)).status).toBe(200);
    const read = await s.req('read', 'secret/data/app', undefined, token);
    expect(JSON.stringify(read.body)).toContain(KV_CANARY);
    expect((await s.req('update', 'secret/metadata/app', { custom_metadata: { note: META_CANARY } }, token)).status).toBe(204);
    const self = await s.req('read', 'auth/token/lookup-self', undefined, token);
    expect(at(self.body, 'data', 'id')).toBe(issued);

    // Transit: the plaintext goes in base64; the decrypt response hands it back; datakey makes one.
    const b64 = Buffer.from(TRANSIT_CANARY).toString('base64');
    expect((await s.req('update', 'transit/keys/k')).status).toBeLessThan(300);
    const enc = await s.req('update', 'transit/encrypt/k', { plaintext: b64 });
    const ciphertext = String(at(enc.body, 'data', 'ciphertext'));
    expect(ciphertext).toMatch(/^vault:v1:/);
    expect(at(await s.req('update', 'transit/decrypt/k', { ciphertext }), 'body', 'data', 'plaintext')).toBe(b64);
    const dk = await s.req('update', 'transit/datakey/plaintext/k');
    const dataKey = String(at(dk.body, 'data', 'plaintext'));
    expect(dataKey.length).toBeGreaterThan(40);

    const canaries = [KV_CANARY, NESTED_CANARY, META_CANARY, issued, accessor, TRANSIT_CANARY, b64, ciphertext, dataKey];
    const audit = readFileSync(file, 'utf8');
    expect(audit.split('\n').filter((l) => l !== '')).toHaveLength(24); // 2 for enabling the control device, 2 per request after
    for (const canary of canaries) for (const form of forms(canary)) expect(audit.includes(form), `audit log holds a canary as ${form.slice(0, 8)}...`).toBe(false);
    const rawLog = readFileSync(control, 'utf8');
    for (const canary of canaries.filter((c) => c !== TRANSIT_CANARY)) expect(rawLog.includes(canary), 'control log lacks a canary').toBe(true);

    const hashOf = async (input: string): Promise<string> => String(at(await s.req('update', 'sys/audit-hash/file', { input }), 'body', 'data', 'hash'));
    // Every canary but the transit plaintext itself (only its base64 was ever sent) is findable.
    for (const canary of canaries.filter((c) => c !== TRANSIT_CANARY)) expect(audit.includes(`"${await hashOf(canary)}"`), 'the hash of a canary is in the log').toBe(true);
    const lines = s.lines(file);
    const createLine = lines.find((l) => l['type'] === 'response' && at(l, 'request', 'path') === 'auth/token/create');
    expect(at(createLine, 'response', 'auth', 'client_token')).toBe(await hashOf(issued));
    expect(at(createLine, 'response', 'auth', 'accessor')).toBe(await hashOf(accessor));
    expect(at(createLine, 'response', 'auth', 'policies')).toEqual(['app', 'default']);
    const kvLine = lines.find((l) => l['type'] === 'request' && at(l, 'request', 'path') === 'secret/data/app');
    expect(at(kvLine, 'auth', 'client_token')).toBe(await hashOf(issued));
    expect(at(kvLine, 'auth', 'policies')).toEqual(['app', 'default']);
  });
});
