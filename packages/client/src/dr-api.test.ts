import { describe, expect, it } from 'vitest';
import { CofferClient } from './client.js';
import { CofferApiError } from './errors.js';

interface Seen { method: string; path: string; token: string | undefined; body: unknown }

/** A fetch twin: records method, path, token and JSON body; answers from a route table. */
function fakeFetch(answer: (s: Seen) => { status: number; body?: unknown }): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const f = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const s: Seen = {
      method: init?.method ?? 'GET',
      path: new URL(String(input)).pathname,
      token: headers['X-Vault-Token'],
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    seen.push(s);
    const a = answer(s);
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: f as typeof fetch, seen };
}

const SECONDARY = {
  mode: 'secondary', cluster_id: 'c2', secondary_id: 'dc2', state: 'stream-entries', connection_state: 'ready', epoch: 3,
  last_remote_wal: 90, primary_last_wal: 100, lag_entries: 10, lag_ms: 250, lag_ms_is_lower_bound: false,
  primary_cluster_addr: '127.0.0.1:9201', known_primary_cluster_addrs: ['127.0.0.1:9201'], primaries: [],
} as const;
const ATTEMPT = { started: true, nonce: 'n-1', progress: 0, required: 2, complete: false, encoded_token: '', otp: 'otp', otp_length: 28 };

describe('DR replication calls of the SDK', () => {
  it('reads both status endpoints out of their envelopes', async () => {
    const { fetch, seen } = fakeFetch((s) => s.path === '/v1/sys/replication/status'
      ? { status: 200, body: { data: { dr: { mode: 'disabled', epoch: 0 }, performance: { mode: 'disabled' } } } }
      : { status: 200, body: { data: SECONDARY } });
    const c = new CofferClient({ fetch, env: {} });
    const st = await c.dr.status();
    expect(st.mode).toBe('secondary');
    if (st.mode === 'secondary') expect(st.lag_entries).toBe(10);
    expect((await c.dr.replicationStatus()).dr).toEqual({ mode: 'disabled', epoch: 0 });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /v1/sys/replication/dr/status', 'GET /v1/sys/replication/status']);
  });

  it('maps the primary calls onto their paths and bodies; the activation token comes out of wrap_info', async () => {
    const { fetch, seen } = fakeFetch((s) => {
      if (s.path.endsWith('/secondary-token')) return { status: 200, body: { wrap_info: { token: 'cdr1.abc', ttl: 1800, creation_time: 't0', expires_at: 't1' }, data: null } };
      if (s.path.endsWith('/batch-token')) return { status: 200, body: { data: { token: 'hvb.x', display_name: 'oncall', expires_at: 't', operations: ['promote'] } } };
      return { status: 200, body: { data: { mode: 'primary', cluster_id: 'c1', state: 'running', epoch: 1, last_wal: 5, last_dr_wal: 5, known_secondaries: [], secondaries: [] } } };
    });
    const c = new CofferClient({ fetch, env: {}, token: 'hvs.root' });
    expect((await c.dr.primaryEnable()).mode).toBe('primary');
    expect(await c.dr.secondaryToken('dc2', '1h')).toEqual({ token: 'cdr1.abc', ttlSeconds: 1800, expiresAt: 't1', creationTime: 't0' });
    await c.dr.secondaryToken('dc3');
    await c.dr.revokeSecondary('dc2');
    await c.dr.demote();
    await c.dr.primaryDisable();
    expect((await c.dr.batchToken({ ttl: '8h', displayName: 'oncall', operations: ['promote'] })).token).toBe('hvb.x');
    expect(seen.map((s) => [s.path.replace('/v1/sys/replication/dr/', ''), s.body])).toEqual([
      ['primary/enable', {}],
      ['primary/secondary-token', { id: 'dc2', ttl: '1h' }],
      ['primary/secondary-token', { id: 'dc3' }],
      ['primary/revoke-secondary', { id: 'dc2' }],
      ['primary/demote', {}],
      ['primary/disable', {}],
      ['primary/batch-token', { ttl: '8h', display_name: 'oncall', operations: ['promote'] }],
    ]);
    expect(seen.every((s) => s.method === 'POST' && s.token === 'hvs.root')).toBe(true);
  });

  it('a secondary-token answer without wrap_info is a bad response, not an empty token', async () => {
    const { fetch } = fakeFetch(() => ({ status: 200, body: { data: null } }));
    const e = await new CofferClient({ fetch, env: {} }).dr.secondaryToken('dc2').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CofferApiError);
    expect(e).toMatchObject({ kind: 'bad-response' });
  });

  it('sends the DR operation token in the body of the secondary calls, and runs the generate attempt', async () => {
    const { fetch, seen } = fakeFetch((s) => {
      if (s.path.endsWith('/operation-token/delete') || s.method === 'DELETE') return { status: 204 };
      if (s.path.endsWith('/update')) return { status: 200, body: { ...ATTEMPT, progress: 2, complete: true, encoded_token: 'ZW5j', otp: '' } };
      if (s.path.endsWith('/attempt')) return { status: 200, body: ATTEMPT };
      return { status: 200, body: { data: SECONDARY } };
    });
    const c = new CofferClient({ fetch, env: {} });
    await c.dr.secondaryEnable('cdr1.act');
    await c.dr.promote('hvs.op');
    await c.dr.updatePrimary('hvs.op', '');
    await c.dr.updatePrimary(undefined, 'cdr1.new');
    await c.dr.secondaryDisable('hvs.op');
    await c.dr.deleteOperationToken('hvs.op');
    expect((await c.dr.generateOperationToken.attemptStart()).otp).toBe('otp');
    expect((await c.dr.generateOperationToken.attemptStatus()).required).toBe(2);
    expect(await c.dr.generateOperationToken.update('share-1', 'n-1')).toMatchObject({ complete: true, encoded_token: 'ZW5j' });
    await c.dr.generateOperationToken.attemptCancel();
    expect(seen.map((s) => [s.method, s.path.replace('/v1/sys/replication/dr/secondary/', ''), s.body])).toEqual([
      ['POST', 'enable', { token: 'cdr1.act' }],
      ['POST', 'promote', { dr_operation_token: 'hvs.op' }],
      ['POST', 'update-primary', { dr_operation_token: 'hvs.op', token: '' }],
      ['POST', 'update-primary', { token: 'cdr1.new' }],
      ['POST', 'disable', { dr_operation_token: 'hvs.op' }],
      ['POST', 'operation-token/delete', { dr_operation_token: 'hvs.op' }],
      ['POST', 'generate-operation-token/attempt', {}],
      ['GET', 'generate-operation-token/attempt', undefined],
      ['POST', 'generate-operation-token/update', { key: 'share-1', nonce: 'n-1' }],
      ['DELETE', 'generate-operation-token/attempt', undefined],
    ]);
  });

  it('a refused call throws the server\'s error without the token in its message', async () => {
    const { fetch } = fakeFetch(() => ({ status: 400, body: { errors: ['invalid DR operation token'] } }));
    const e = await new CofferClient({ fetch, env: {} }).dr.promote('hvs.secret-op-token').catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 400, errors: ['invalid DR operation token'], request: 'POST /v1/sys/replication/dr/secondary/promote' });
    expect((e as Error).message).not.toContain('hvs.secret-op-token');
  });
});
