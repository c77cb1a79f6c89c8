import { describe, expect, it } from 'vitest';
import { authStack, dataOf, errorsOf } from '../auth/auth.test-helper.js';

const ACL_DENIED = { status: 403, body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } };

describe('sys/policy endpoints', () => {
  it('write, read, list and delete on both paths; root and default are built in', async () => {
    const a = authStack();
    const text = 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n';
    expect(await a.as(a.rootToken, 'update', 'sys/policy/App', { policy: text })).toEqual({ status: 204 });
    const old = await a.as(a.rootToken, 'read', 'sys/policy/app');
    expect(old.body).toMatchObject({ name: 'app', rules: text, data: { name: 'app', rules: text } });
    expect(dataOf(await a.as(a.rootToken, 'read', 'sys/policies/acl/app'))).toEqual({ name: 'app', policy: text });
    expect(dataOf(await a.as(a.rootToken, 'read', 'sys/policy'))).toEqual({ keys: ['app', 'default', 'root'], policies: ['app', 'default', 'root'] });
    expect(dataOf(await a.as(a.rootToken, 'list', 'sys/policies/acl'))).toEqual({ keys: ['app', 'default', 'root'] });
    expect(dataOf(await a.as(a.rootToken, 'read', 'sys/policy/default'))['rules']).toMatch(/auth\/token\/lookup-self/);
    expect(await a.as(a.rootToken, 'update', 'sys/policies/acl/j', { policy: '{"path": {"x/*": {"capabilities": ["list"]}}}' })).toEqual({ status: 204 });
    expect(await a.as(a.rootToken, 'delete', 'sys/policy/app')).toEqual({ status: 204 });
    expect((await a.as(a.rootToken, 'read', 'sys/policy/app')).status).toBe(404);
    expect(errorsOf(await a.as(a.rootToken, 'delete', 'sys/policy/root'))).toEqual(['cannot delete "root" policy']);
    expect(errorsOf(await a.as(a.rootToken, 'delete', 'sys/policy/default'))).toEqual(['cannot delete "default" policy']);
    expect(errorsOf(await a.as(a.rootToken, 'update', 'sys/policy/root', { policy: text }))).toEqual(['cannot update "root" policy']);
  });

  it('a policy that does not parse is a 400 naming the line, and changes nothing', async () => {
    const a = authStack();
    const before = a.fsm.stateHash();
    const res = await a.as(a.rootToken, 'update', 'sys/policy/bad', { policy: 'path "a" {\n  capabilities = ["read"]\n}\npath "b" {\n  capabilities = ["read"\n}\n' });
    expect(res.status).toBe(400);
    expect(errorsOf(res)[0]).toMatch(/^failed to parse policy: At 6:1: /);
    expect((await a.as(a.rootToken, 'update', 'sys/policy/bad', {})).status).toBe(400);
    expect(a.fsm.stateHash()).toBe(before);
  });

  it('managing policies needs the ACL (a default token cannot), and a change applies to live tokens at once', async () => {
    const a = authStack();
    await a.policy('reader', 'path "secret/data/*" { capabilities = ["read"] }');
    const t = await a.token({ policies: ['reader'] });
    expect(await a.as(t, 'update', 'sys/policy/mine', { policy: 'path "*" { capabilities = ["sudo"] }' })).toEqual(ACL_DENIED);
    expect(await a.as(t, 'read', 'sys/policy')).toEqual(ACL_DENIED);
    expect((await a.as(t, 'read', 'secret/data/x')).status).toBe(404);
    await a.policy('reader', 'path "secret/data/*" { capabilities = ["deny"] }');
    expect(await a.as(t, 'read', 'secret/data/x')).toEqual(ACL_DENIED);
  });
});

describe('ACL enforcement in the executor', () => {
  it('KV: writing a new key needs create, an existing one update (existence check on metadata)', async () => {
    const a = authStack();
    await a.policy('creator', 'path "secret/data/*" { capabilities = ["create", "read"] }');
    await a.policy('updater', 'path "secret/data/*" { capabilities = ["update", "read"] }');
    const creator = await a.token({ policies: ['creator'] });
    const updater = await a.token({ policies: ['updater'] });
    expect(await a.as(updater, 'update', 'secret/data/k', { data: { v: 1 } })).toEqual(ACL_DENIED);
    expect((await a.as(creator, 'update', 'secret/data/k', { data: { v: 1 } })).status).toBe(200);
    expect(await a.as(creator, 'update', 'secret/data/k', { data: { v: 2 } })).toEqual(ACL_DENIED);
    expect((await a.as(updater, 'update', 'secret/data/k', { data: { v: 2 } })).status).toBe(200);
    expect((dataOf(await a.as(creator, 'read', 'secret/data/k'))['data'] as { v: number }).v).toBe(2);
    // patch and delete are their own capabilities
    expect(await a.as(updater, 'patch', 'secret/data/k', { data: { v: 3 } })).toEqual(ACL_DENIED);
    expect(await a.as(updater, 'delete', 'secret/data/k')).toEqual(ACL_DENIED);
  });

  it('an exact path grant beats a glob deny on KV; + segments; list needs list', async () => {
    const a = authStack();
    await a.as(a.rootToken, 'update', 'secret/data/team/a/db', { data: { p: 1 } });
    await a.as(a.rootToken, 'update', 'secret/data/team/b/db', { data: { p: 2 } });
    await a.policy('p', [
      'path "secret/data/team/*" { capabilities = ["deny"] }',
      'path "secret/data/team/a/db" { capabilities = ["read"] }',
      'path "secret/data/+/b/db" { capabilities = ["read"] }',
      'path "secret/metadata/team/" { capabilities = ["list"] }',
    ].join('\n'));
    const t = await a.token({ policies: ['p'] });
    expect((await a.as(t, 'read', 'secret/data/team/a/db')).status).toBe(200);
    // `secret/data/team/*` (first wildcard at 17) outranks `secret/data/+/b/db` (at 12): deny.
    expect(await a.as(t, 'read', 'secret/data/team/b/db')).toEqual(ACL_DENIED);
    expect((await a.as(t, 'list', 'secret/metadata/team/')).status).toBe(200);
    expect(await a.as(t, 'list', 'secret/metadata/')).toEqual(ACL_DENIED);
  });

  it('no token: 403 everywhere except the unauthenticated allow-list; unknown routes do not leak 404s', async () => {
    const a = authStack();
    const none = { status: 403, body: { errors: ['permission denied'] } };
    expect(await a.as('', 'read', 'secret/data/x')).toEqual(none);
    expect(await a.as('', 'read', 'nosuch/route')).toEqual(none);
    expect(await a.as('', 'update', 'auth/token/create', {})).toEqual(none);
    expect((await a.as(a.rootToken, 'read', 'nosuch/route')).status).toBe(404);
    // sys/health is the node's, but the executor lets it through without a token.
    expect((await a.as('', 'read', 'sys/health')).status).toBe(404);
    const t = await a.token({ policies: ['default'] });
    expect((await a.as(t, 'read', 'nosuch/route')).status).toBe(403);
  });

  it('the default policy allows lookup-self, renew-self and revoke-self and nothing else', async () => {
    const a = authStack();
    const t = await a.token({ policies: [] });
    expect((await a.as(t, 'read', 'auth/token/lookup-self')).status).toBe(200);
    expect((await a.as(t, 'update', 'auth/token/renew-self')).status).toBe(200);
    expect(await a.as(t, 'update', 'auth/token/create', {})).toEqual(ACL_DENIED);
    expect(await a.as(t, 'read', 'secret/data/x')).toEqual(ACL_DENIED);
    expect(await a.as(t, 'read', 'sys/mounts')).toEqual(ACL_DENIED);
    const bare = await a.token({ policies: ['x'], no_default_policy: true });
    expect(await a.as(bare, 'read', 'auth/token/lookup-self')).toEqual(ACL_DENIED);
  });
});
