import { describe, expect, it } from 'vitest';
import { authOf, authStack, dataOf, errorsOf } from './auth.test-helper.js';
import { sweepExpiredTokens } from './root-token.js';

const S = 1000;

describe('token store: create and lookup', () => {
  it('create answers Vault\'s auth block; lookup-self shows the token; default policy is attached', async () => {
    const a = authStack();
    const res = await a.as(a.rootToken, 'update', 'auth/token/create', { policies: ['app'], ttl: '1h', meta: { team: 'a' }, display_name: 'ci', num_uses: 5 });
    expect(res.status).toBe(200);
    const auth = authOf(res);
    expect(Object.keys(auth).sort()).toEqual(['accessor', 'client_token', 'entity_id', 'lease_duration', 'metadata', 'mfa_requirement', 'num_uses', 'orphan', 'policies', 'renewable', 'token_policies', 'token_type'].sort());
    expect(auth).toMatchObject({ policies: ['app', 'default'], token_policies: ['app', 'default'], metadata: { team: 'a' }, lease_duration: 3600, renewable: true, token_type: 'service', orphan: false, num_uses: 5, entity_id: '' });
    expect(auth['client_token']).toMatch(/^hvs\.[A-Za-z0-9]{24}$/);
    const self = await a.as(auth['client_token'] as string, 'read', 'auth/token/lookup-self');
    expect(self.status).toBe(200);
    expect(dataOf(self)).toMatchObject({ id: auth['client_token'], accessor: auth['accessor'], display_name: 'token-ci', ttl: 3600, creation_ttl: 3600, num_uses: 4, orphan: false, path: 'auth/token/create', policies: ['app', 'default'], type: 'service', meta: { team: 'a' }, expire_time: '2026-11-29T22:00:00Z' });
  });

  it('the root token from the harness has policy root, never expires and is an orphan', async () => {
    const a = authStack();
    const self = dataOf(await a.as(a.rootToken, 'read', 'auth/token/lookup-self'));
    expect(self).toMatchObject({ policies: ['root'], ttl: 0, expire_time: null, orphan: true, path: 'auth/token/root' });
  });

  it('missing, unknown and malformed tokens get 403 permission denied', async () => {
    const a = authStack();
    for (const t of ['', 'hvs.nosuchtoken000000000000', 'garbage']) expect(await a.as(t, 'read', 'secret/data/x')).toEqual({ status: 403, body: { errors: ['permission denied'] } });
  });

  it('lookup by token and by accessor; the accessor lookup never reveals the id', async () => {
    const a = authStack();
    const t = await a.token({ policies: ['p'] });
    const byToken = dataOf(await a.as(a.rootToken, 'update', 'auth/token/lookup', { token: t }));
    expect(byToken['id']).toBe(t);
    const byAccessor = await a.as(a.rootToken, 'update', 'auth/token/lookup-accessor', { accessor: byToken['accessor'] });
    expect(dataOf(byAccessor)).toMatchObject({ id: '', accessor: byToken['accessor'], policies: ['default', 'p'] });
    expect((await a.as(a.rootToken, 'update', 'auth/token/lookup-accessor', { accessor: 'nope' })).status).toBe(400);
    expect(await a.as(a.rootToken, 'update', 'auth/token/lookup', { token: 'hvs.unknown' })).toEqual({ status: 403, body: { errors: ['bad token'] } });
    // Revoking an unknown token is a no-op, as in Vault; a missing field is a 400.
    const before = a.proposer.log.length;
    expect(await a.as(a.rootToken, 'update', 'auth/token/revoke', { token: 'hvs.unknown' })).toEqual({ status: 204 });
    expect(a.proposer.log).toHaveLength(before);
    expect((await a.as(a.rootToken, 'update', 'auth/token/revoke', {})).status).toBe(400);
  });

  it('a non-root parent can only hand out a subset of its policies, and cannot mint root', async () => {
    const a = authStack();
    await a.policy('maker', 'path "auth/token/create" { capabilities = ["update"] }');
    const parent = await a.token({ policies: ['maker', 'p1'] });
    expect((await a.as(parent, 'update', 'auth/token/create', { policies: ['p1'] })).status).toBe(200);
    expect(errorsOf(await a.as(parent, 'update', 'auth/token/create', { policies: ['p2'] }))).toEqual(['child policies must be subset of parent']);
    expect((await a.as(parent, 'update', 'auth/token/create', { policies: ['root'] })).status).toBe(400);
    expect(errorsOf(await a.as(parent, 'update', 'auth/token/create', { no_parent: true }))).toEqual(['root or sudo privileges required to create orphan token']);
  });
});

describe('token store: parents, children, orphans', () => {
  it('revoking a parent revokes its whole subtree; an orphan made by the parent survives', async () => {
    const a = authStack();
    await a.policy('maker', 'path "auth/token/create*" { capabilities = ["update"] }\npath "secret/*" { capabilities = ["read"] }');
    const parent = await a.token({ policies: ['maker'] });
    const child = await a.token({ policies: ['maker'] }, parent);
    const grandchild = await a.token({}, child);
    const orphan = await a.token({}, parent, 'auth/token/create-orphan');
    expect(authOf(await a.as(parent, 'update', 'auth/token/renew-self')).orphan).toBe(false);
    expect(await a.as(a.rootToken, 'update', 'auth/token/revoke', { token: parent })).toEqual({ status: 204 });
    for (const t of [parent, child, grandchild]) expect((await a.as(t, 'read', 'auth/token/lookup-self')).status).toBe(403);
    const o = await a.as(orphan, 'read', 'auth/token/lookup-self');
    expect(o.status).toBe(200);
    expect(dataOf(o)['orphan']).toBe(true);
    // Only the root token and the orphan are left, with no index records of the revoked ones.
    expect(a.fsm.list('auth/token/id/')).toHaveLength(2);
    expect(a.fsm.list('auth/token/accessor/')).toHaveLength(2);
    expect(a.fsm.list('auth/token/parent/')).toHaveLength(0);
  });

  it('revoke-orphan needs sudo; revoke-self and revoke-accessor revoke', async () => {
    const a = authStack();
    const target = await a.token({ policies: ['p'] });
    const plain = await a.token({ policies: ['default'] });
    await a.policy('all-but-sudo', 'path "auth/token/*" { capabilities = ["create", "read", "update", "delete", "list"] }');
    const nearly = await a.token({ policies: ['all-but-sudo'] });
    expect((await a.as(plain, 'update', 'auth/token/revoke-orphan', { token: target })).status).toBe(403);
    expect(await a.as(nearly, 'update', 'auth/token/revoke-orphan', { token: target })).toEqual({ status: 403, body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } });
    expect((await a.as(target, 'read', 'auth/token/lookup-self')).status).toBe(200);
    expect(await a.as(plain, 'update', 'auth/token/revoke-self')).toEqual({ status: 204 });
    expect((await a.as(plain, 'read', 'auth/token/lookup-self')).status).toBe(403);
    const accessor = dataOf(await a.as(target, 'read', 'auth/token/lookup-self'))['accessor'];
    expect(await a.as(nearly, 'update', 'auth/token/revoke-accessor', { accessor })).toEqual({ status: 204 });
    expect((await a.as(target, 'read', 'auth/token/lookup-self')).status).toBe(403);
  });

  it('revoke-orphan: the revoked token\'s children survive as orphans', async () => {
    const a = authStack();
    await a.policy('maker', 'path "auth/token/create" { capabilities = ["update"] }');
    const parent = await a.token({ policies: ['maker'] });
    const child = await a.token({}, parent);
    expect(dataOf(await a.as(child, 'read', 'auth/token/lookup-self'))['orphan']).toBe(false);
    expect(await a.as(a.rootToken, 'update', 'auth/token/revoke-orphan', { token: parent })).toEqual({ status: 204 });
    expect((await a.as(parent, 'read', 'auth/token/lookup-self')).status).toBe(403);
    const c = await a.as(child, 'read', 'auth/token/lookup-self');
    expect(c.status).toBe(200);
    expect(dataOf(c)['orphan']).toBe(true);
  });
});

describe('token store: uses, expiry, renewal', () => {
  it('num_uses: each request uses one; the last use revokes the token', async () => {
    const a = authStack();
    await a.policy('r', 'path "secret/data/*" { capabilities = ["read"] }');
    const t = await a.token({ policies: ['r'], num_uses: 3 });
    expect((await a.as(t, 'read', 'secret/data/missing')).status).toBe(404);
    expect(dataOf(await a.as(t, 'read', 'auth/token/lookup-self'))['num_uses']).toBe(1);
    expect((await a.as(t, 'read', 'secret/data/missing')).status).toBe(404); // the last use
    expect(await a.as(t, 'read', 'secret/data/missing')).toEqual({ status: 403, body: { errors: ['permission denied'] } });
    expect(a.fsm.list('auth/token/id/')).toHaveLength(1);
  });

  it('an expired token is refused at once by the leader time; the sweeper then removes it and its children', async () => {
    const a = authStack();
    const t = await a.token({ ttl: '60s', policies: ['maker'] });
    const child = await a.token({ ttl: '1h' }, a.rootToken);
    void child;
    expect(dataOf(await a.as(t, 'read', 'auth/token/lookup-self'))['ttl']).toBe(60);
    a.clock.nowMs += 59 * S;
    expect((await a.as(t, 'read', 'auth/token/lookup-self')).status).toBe(200);
    a.clock.nowMs += 1 * S;
    expect(await a.as(t, 'read', 'auth/token/lookup-self')).toEqual({ status: 403, body: { errors: ['permission denied'] } });
    expect(a.fsm.list('auth/token/id/')).toHaveLength(3); // still stored until swept
    const swept = await sweepExpiredTokens(a.executor);
    expect(swept).toEqual({ ok: true, value: { revoked: 1 } });
    expect(a.fsm.list('auth/token/id/')).toHaveLength(2);
    expect(await sweepExpiredTokens(a.executor)).toEqual({ ok: true, value: { revoked: 0 } });
  });

  it('a child never outlives its parent: its TTL is capped at the parent\'s expiry', async () => {
    const a = authStack();
    await a.policy('maker', 'path "auth/token/create" { capabilities = ["update"] }');
    const parent = await a.token({ ttl: '10m', policies: ['maker'] });
    const res = await a.as(parent, 'update', 'auth/token/create', { ttl: '1h' });
    expect(authOf(res)['lease_duration']).toBe(600);
    const child = authOf(res)['client_token'] as string;
    a.clock.nowMs += 600 * S;
    expect((await a.as(child, 'read', 'auth/token/lookup-self')).status).toBe(403);
    const swept = await sweepExpiredTokens(a.executor);
    expect(swept.ok && swept.value.revoked).toBeGreaterThanOrEqual(1);
    expect(a.fsm.list('auth/token/id/')).toHaveLength(1);
  });

  it('renew-self extends by increment, capped by explicit_max_ttl with Vault\'s warning', async () => {
    const a = authStack();
    const t = await a.token({ ttl: '1h', explicit_max_ttl: '2h' });
    a.clock.nowMs += 30 * 60 * S;
    const r1 = await a.as(t, 'update', 'auth/token/renew-self', { increment: '1h' });
    expect(authOf(r1)['lease_duration']).toBe(3600);
    a.clock.nowMs += 50 * 60 * S; // 80 min after creation: 1h more would pass the 2h explicit max
    const r2 = await a.as(t, 'update', 'auth/token/renew-self', { increment: '1h' });
    expect(r2.status).toBe(200);
    expect(authOf(r2)['lease_duration']).toBe(2400);
    expect((r2.body as { warnings: string[] }).warnings[0]).toMatch(/exceeded the effective max_ttl.*capped/);
    a.clock.nowMs += 2400 * S;
    expect((await a.as(t, 'read', 'auth/token/lookup-self')).status).toBe(403);
  });

  it('renewal without increment restores the creation TTL; a non-renewable token cannot renew; periodic tokens renew to the period', async () => {
    const a = authStack();
    const t = await a.token({ ttl: '10m' });
    a.clock.nowMs += 5 * 60 * S;
    expect(authOf(await a.as(a.rootToken, 'update', 'auth/token/renew', { token: t }))['lease_duration']).toBe(600);
    const fixed = await a.token({ ttl: '10m', renewable: false });
    expect(errorsOf(await a.as(fixed, 'update', 'auth/token/renew-self'))).toEqual(['lease is not renewable']);
    const periodic = await a.token({ period: '15m', ttl: '1m' });
    expect(dataOf(await a.as(periodic, 'read', 'auth/token/lookup-self'))['ttl']).toBe(900);
    a.clock.nowMs += 10 * 60 * S;
    expect(authOf(await a.as(periodic, 'update', 'auth/token/renew-self', { increment: '1h' }))['lease_duration']).toBe(900);
  });

  it('bad input is a 400 that creates nothing', async () => {
    const a = authStack();
    const before = a.fsm.stateHash();
    for (const body of [{ ttl: 'soon' }, { num_uses: -1 }, { policies: 3 }, { meta: { a: 1 } }, { renewable: 'maybe' }, { type: 'batch' }]) {
      expect((await a.as(a.rootToken, 'update', 'auth/token/create', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(a.fsm.stateHash()).toBe(before);
  });
});
