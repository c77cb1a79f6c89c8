/**
 * Transit under the ACL: `encrypt/:name` has Vault's existence check, so encrypting with a missing
 * key (which creates it) needs the `create` capability, while an existing key needs `update`.
 */
import { describe, expect, it } from 'vitest';
import { b64, transitStack } from './transit.test-helper.js';
import type { TransitTestStack } from './transit.test-helper.js';

async function tokenWith(t: TransitTestStack, name: string, hcl: string): Promise<string> {
  expect((await t.post(`sys/policies/acl/${name}`, { policy: hcl })).status).toBeLessThan(300);
  const res = await t.post('auth/token/create', { policies: [name] });
  expect(res.status).toBe(200);
  return (res.body as { auth: { client_token: string } }).auth.client_token;
}

describe('transit with ACL policies', () => {
  it('encrypt to a missing key needs create; to an existing key update is enough', async () => {
    const t = transitStack();
    await t.post('transit/keys/existing');
    const updater = await tokenWith(t, 'enc-update', 'path "transit/encrypt/*" {\n  capabilities = ["update"]\n}\n');
    const creator = await tokenWith(t, 'enc-create', 'path "transit/encrypt/*" {\n  capabilities = ["create"]\n}\n');
    const enc = (token: string, key: string) => t.executor.execute({ operation: 'update', path: `transit/encrypt/${key}`, data: { plaintext: b64('x') }, token });
    expect((await enc(updater, 'existing')).status).toBe(200);
    expect((await enc(updater, 'missing')).status).toBe(403);
    expect((await t.req('read', 'transit/keys/missing')).status).toBe(404);
    expect((await enc(creator, 'existing')).status).toBe(403);
    expect((await enc(creator, 'missing')).status).toBe(200);
    expect((await t.req('read', 'transit/keys/missing')).status).toBe(200);
  });
});
