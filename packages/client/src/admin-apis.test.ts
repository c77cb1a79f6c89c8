import { describe, expect, it } from 'vitest';
import { CofferClient } from './client.js';
import { CofferApiError } from './errors.js';

interface Seen { method: string; url: URL; headers: Record<string, string>; body: Uint8Array | string | undefined }

/** A fetch twin that records raw bodies (strings or bytes) and answers scripted bytes. */
function fakeFetch(answer: (s: Seen) => { status: number; body?: string | Uint8Array; contentType?: string }): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const f = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const body = init?.body instanceof Uint8Array || typeof init?.body === 'string' ? init.body : undefined;
    const s: Seen = { method: init?.method ?? 'GET', url: new URL(String(input)), headers, body };
    seen.push(s);
    const a = answer(s);
    return new Response(a.body === undefined ? null : typeof a.body === 'string' ? a.body : new Uint8Array(a.body), { status: a.status, headers: { 'content-type': a.contentType ?? 'application/json' } });
  };
  return { fetch: f as typeof fetch, seen };
}

const json = (s: Seen): unknown => JSON.parse(typeof s.body === 'string' ? s.body : '');

describe('operator calls of the SDK', () => {
  it('saves and restores raft snapshots as raw bytes, and parses an error answer', async () => {
    const snap = new Uint8Array([0, 1, 2, 255, 10]);
    const { fetch, seen } = fakeFetch((s) => {
      if (s.method === 'GET') return { status: 200, body: snap, contentType: 'application/octet-stream' };
      if (s.url.pathname.endsWith('snapshot-force')) return { status: 400, body: JSON.stringify({ errors: ['snapshot is corrupt'] }) };
      return { status: 204 };
    });
    const c = new CofferClient({ fetch, env: {}, token: 'hvs.root-token' });
    expect(await c.raft.snapshotSave()).toEqual(snap);
    await c.raft.snapshotRestore(snap);
    expect(seen[1]).toMatchObject({ method: 'PUT', body: snap });
    expect(seen[1]?.url.pathname).toBe('/v1/sys/storage/raft/snapshot');
    expect(seen[1]?.headers['content-type']).toBe('application/octet-stream');
    const e = await c.raft.snapshotRestore(snap, { force: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CofferApiError);
    expect(e).toMatchObject({ status: 400, errors: ['snapshot is corrupt'], request: 'PUT /v1/sys/storage/raft/snapshot-force' });
    expect((e as Error).message).not.toContain('hvs.root-token');
  });

  it('reads the raft configuration and autopilot state from Vault\'s envelopes; remove-peer and join send Vault\'s fields', async () => {
    const { fetch, seen } = fakeFetch((s) => {
      if (s.url.pathname.endsWith('/configuration')) return { status: 200, body: JSON.stringify({ data: { config: { index: 7, servers: [{ node_id: 'n1', address: 'a:1', leader: true, voter: true }] } } }) };
      if (s.url.pathname.endsWith('/autopilot/state')) return { status: 200, body: JSON.stringify({ data: { healthy: true, failure_tolerance: 1, leader: 'n1', voters: ['n1'], servers: {} } }) };
      if (s.url.pathname.endsWith('/join')) return { status: 200, body: JSON.stringify({ joined: true }) };
      return { status: 204 };
    });
    const c = new CofferClient({ fetch, env: {} });
    expect((await c.raft.configuration()).servers[0]?.node_id).toBe('n1');
    expect((await c.raft.autopilotState()).failure_tolerance).toBe(1);
    await c.raft.removePeer('n3');
    expect(json(seen[2]!)).toEqual({ server_id: 'n3' });
    expect(await c.raft.join({ leader_api_addr: 'http://h:8200', non_voter: true })).toBe(true);
    expect(json(seen[3]!)).toEqual({ leader_api_addr: 'http://h:8200', non_voter: true });
  });

  it('maps rekey, rotate, key-status, audit, token lookup/renew and metrics onto their paths', async () => {
    const { fetch, seen } = fakeFetch((s) => {
      const p = s.url.pathname;
      if (p === '/v1/sys/rekey/update') return { status: 200, body: JSON.stringify({ complete: true, nonce: 'n', keys: ['aa'], keys_base64: ['qg=='] }) };
      if (p.startsWith('/v1/sys/rekey')) return { status: 200, body: JSON.stringify({ started: true, nonce: 'n', t: 2, n: 3, progress: 0, required: 2 }) };
      if (p === '/v1/sys/key-status') return { status: 200, body: JSON.stringify({ term: 2, install_time: 't', encryptions: 5 }) };
      if (p === '/v1/sys/audit' && s.method === 'GET') return { status: 200, body: JSON.stringify({ data: { 'file/': { type: 'file', description: '', options: {}, local: false, path: 'file/' } } }) };
      if (p === '/v1/auth/token/lookup') return { status: 200, body: JSON.stringify({ data: { policies: ['ro'] } }) };
      if (p === '/v1/auth/token/renew-self') return { status: 200, body: JSON.stringify({ data: null, auth: { client_token: 'x', accessor: 'a', policies: ['default'], lease_duration: 60, renewable: true } }) };
      if (p === '/v1/sys/metrics') return { status: 200, body: 'coffer_up 1\n', contentType: 'text/plain' };
      return { status: 204 };
    });
    const c = new CofferClient({ fetch, env: {} });
    expect((await c.rekey.init({ secret_shares: 3, secret_threshold: 2 })).started).toBe(true);
    expect(json(seen[0]!)).toEqual({ secret_shares: 3, secret_threshold: 2 });
    expect(await c.rekey.update('k', 'n')).toMatchObject({ complete: true, keys: ['aa'] });
    await c.rekey.cancel();
    expect(seen[2]?.method).toBe('DELETE');
    await c.sys.rotate();
    expect((await c.sys.keyStatus()).term).toBe(2);
    expect(Object.keys(await c.audit.list())).toEqual(['file/']);
    await c.audit.enable('file', { type: 'file', options: { file_path: '/tmp/a.log' } });
    expect(seen.at(-1)?.url.pathname).toBe('/v1/sys/audit/file');
    await c.audit.disable('file/');
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE' });
    expect((await c.token.lookup('hvs.other')).policies).toEqual(['ro']);
    expect(json(seen.at(-1)!)).toEqual({ token: 'hvs.other' });
    expect((await c.token.renewSelf('1h')).lease_duration).toBe(60);
    expect(json(seen.at(-1)!)).toEqual({ increment: '1h' });
    expect(await c.sys.metrics()).toBe('coffer_up 1\n');
    expect(seen.at(-1)?.url.search).toBe('?format=prometheus');
  });
});
