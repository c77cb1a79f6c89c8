import { describe, expect, it } from 'vitest';
import { CofferClient } from './client.js';
import { CofferApiError } from './errors.js';

interface Seen { method: string; url: URL; headers: Record<string, string>; body: unknown }

/** A fetch twin: records the request, answers with the scripted status and JSON body. */
function fakeFetch(answer: (s: Seen) => { status: number; body?: unknown }): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const f = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const s: Seen = { method: init?.method ?? 'GET', url: new URL(String(input)), headers, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined };
    seen.push(s);
    const a = answer(s);
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status });
  };
  return { fetch: f as typeof fetch, seen };
}

describe('CofferClient', () => {
  it('reads COFFER_* before VAULT_* and sends the token in X-Vault-Token', async () => {
    const { fetch, seen } = fakeFetch(() => ({ status: 200, body: { data: { keys: ['a', 'dir/'] } } }));
    const c = new CofferClient({ fetch, env: { VAULT_ADDR: 'http://v:1', COFFER_ADDR: 'http://c:2/', VAULT_TOKEN: 'hvs.v', COFFER_TOKEN: 'hvs.c' } });
    expect(c.address).toBe('http://c:2/');
    expect(await c.kv.list('dir')).toEqual(['a', 'dir/']);
    expect(seen[0]?.url.href).toBe('http://c:2/v1/secret/metadata/dir?list=true');
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.headers['x-vault-token']).toBe('hvs.c');
    const v = new CofferClient({ fetch, env: { VAULT_ADDR: 'http://v:1', VAULT_TOKEN: 'hvs.v' } });
    expect(v.address).toBe('http://v:1');
    expect(v.getToken()).toBe('hvs.v');
    expect(new CofferClient({ fetch, env: {} }).address).toBe('http://127.0.0.1:8200');
  });

  it('maps the KV v2 calls onto their paths and bodies', async () => {
    const { fetch, seen } = fakeFetch((s) => {
      if (s.url.pathname === '/v1/secret/data/missing') return { status: 404, body: { errors: [] } };
      if (s.method === 'GET') return { status: 200, body: { data: { data: { k: 'v' }, metadata: { version: 3 } } } };
      if (s.method === 'DELETE') return { status: 204 };
      return { status: 200, body: { data: { version: 4 } } };
    });
    const c = new CofferClient({ fetch, env: {}, token: 't' });
    expect((await c.kv.put('app/db', { k: 'v' }, { cas: 3 })).version).toBe(4);
    expect(seen[0]).toMatchObject({ method: 'PUT', body: { data: { k: 'v' }, options: { cas: 3 } } });
    expect(seen[0]?.url.pathname).toBe('/v1/secret/data/app/db');
    expect((await c.kv.get('app/db', { version: 3 }))?.data).toEqual({ k: 'v' });
    expect(seen[1]?.url.search).toBe('?version=3');
    expect(await c.kv.get('missing')).toBeUndefined();
    await c.kv.delete('app/db');
    expect(seen.at(-1)?.method).toBe('DELETE');
    await c.kvAt('kv2').metadata('x');
    expect(seen.at(-1)?.url.pathname).toBe('/v1/kv2/metadata/x');
  });

  it('throws CofferApiError with the status and Vault errors array', async () => {
    const { fetch } = fakeFetch(() => ({ status: 403, body: { errors: ['permission denied'] } }));
    const c = new CofferClient({ fetch, env: {}, token: 'hvs.secret-token' });
    const e = await c.read('secret/data/x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CofferApiError);
    const a = e as CofferApiError;
    expect(a.status).toBe(403);
    expect(a.errors).toEqual(['permission denied']);
    expect(a.isPermissionDenied).toBe(true);
    expect(a.message).toBe('GET /v1/secret/data/x: HTTP 403: permission denied');
    expect(a.message).not.toContain('hvs.secret-token');
  });

  it('returns health codes instead of throwing, and reports sealed clearly', async () => {
    const { fetch, seen } = fakeFetch((s) => (s.url.pathname === '/v1/sys/health' ? { status: 429, body: { standby: true, sealed: false, initialized: true } } : { status: 503, body: { errors: ['Coffer is sealed'] } }));
    const c = new CofferClient({ fetch, env: {} });
    const h = await c.sys.health({ standbycode: 429 });
    expect(h.status).toBe(429);
    expect(h.body?.standby).toBe(true);
    expect(seen[0]?.url.search).toBe('?standbycode=429');
    const e = (await c.kv.get('x').catch((x: unknown) => x)) as CofferApiError;
    expect(e.isSealed).toBe(true);
  });

  it('sends sys, transit, token and policy calls where Vault expects them', async () => {
    const { fetch, seen } = fakeFetch((s) => {
      const p = s.url.pathname;
      if (p === '/v1/sys/init') return { status: 200, body: { keys: ['aa'], keys_base64: ['qg=='], root_token: 'hvs.root' } };
      if (p === '/v1/sys/unseal') return { status: 200, body: { sealed: false, t: 1, n: 1, progress: 0 } };
      if (p.startsWith('/v1/transit/encrypt/')) return { status: 200, body: { data: { ciphertext: 'vault:v1:abc' } } };
      if (p.startsWith('/v1/transit/decrypt/')) return { status: 200, body: { data: { plaintext: Buffer.from('hi').toString('base64') } } };
      if (p === '/v1/auth/token/create') return { status: 200, body: { data: null, auth: { client_token: 'hvs.child', accessor: 'x', policies: ['p'], lease_duration: 60, renewable: true } } };
      if (p === '/v1/sys/policies/acl/p' && s.method === 'GET') return { status: 200, body: { data: { name: 'p', policy: 'path "x" {}' } } };
      if (p === '/v1/sys/policies/acl') return { status: 200, body: { data: { keys: ['default', 'p'] } } };
      return { status: 204 };
    });
    const c = new CofferClient({ fetch, env: {} });
    const init = await c.sys.init({ secret_shares: 1, secret_threshold: 1 });
    expect(seen[0]).toMatchObject({ method: 'PUT', body: { secret_shares: 1, secret_threshold: 1 } });
    expect((await c.sys.unseal(init.keys[0]!)).sealed).toBe(false);
    expect(seen[1]?.body).toEqual({ key: 'aa' });
    expect(await c.transit.encrypt('k', 'hi')).toBe('vault:v1:abc');
    expect(seen[2]?.body).toEqual({ plaintext: Buffer.from('hi').toString('base64') });
    expect(Buffer.from(await c.transit.decrypt('k', 'vault:v1:abc')).toString()).toBe('hi');
    expect((await c.token.create({ policies: ['p'] })).client_token).toBe('hvs.child');
    await c.token.revoke('hvs.child');
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', body: { token: 'hvs.child' } });
    await c.policy.write('p', 'path "x" {}');
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', body: { policy: 'path "x" {}' } });
    expect(await c.policy.read('p')).toEqual({ name: 'p', rules: 'path "x" {}' });
    expect(await c.policy.list()).toEqual(['default', 'p']);
    await c.policy.delete('p');
    expect(seen.at(-1)?.method).toBe('DELETE');
  });

  it('reports an unreachable server as a network error with status 0', async () => {
    const c = new CofferClient({ address: 'http://127.0.0.1:1', env: {}, timeoutMs: 2000 });
    const e = (await c.sys.sealStatus().catch((x: unknown) => x)) as CofferApiError;
    expect(e).toBeInstanceOf(CofferApiError);
    expect(e.status).toBe(0);
    expect(e.kind).toBe('network');
  });
});
