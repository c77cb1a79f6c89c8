import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cofferError, err, ERROR_KINDS, type ErrorKind } from '@coffer/base';
import { ERROR_STATUS } from './error-status.js';
import { FakeBackend, json } from './fake-backend.test-helper.js';
import { startGateway, type Gateway, type GatewayLimits } from './gateway-server.js';

let gw: Gateway;
let backend: FakeBackend;

async function start(limits: Partial<GatewayLimits> = {}): Promise<void> {
  backend = new FakeBackend();
  gw = await startGateway({ backend, port: 0, limits });
}

beforeEach(async () => start());
afterEach(async () => gw.close());

async function send(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const r = await fetch(`${gw.url}${path}`, { method, ...(init.body !== undefined ? { body: init.body } : {}), headers: init.headers ?? {} });
  return { status: r.status, text: await r.text(), headers: r.headers };
}

/** A raw HTTP/1.1 exchange, for what fetch will not send (oversized heads, slow clients, chunked bodies). */
function raw(payload: string | ((write: (s: string) => void) => void), timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(gw.port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`no close within ${timeoutMs} ms; got ${got.slice(0, 80)}`)); }, timeoutMs);
    s.setEncoding('utf8').on('data', (d: string) => { got += d; });
    s.on('error', () => undefined);
    s.on('close', () => { clearTimeout(timer); resolve(got); });
    s.on('connect', () => (typeof payload === 'string' ? s.write(payload) : payload((x) => s.write(x))));
  });
}

describe('method and path mapping', () => {
  const cases: [string, string, string, Record<string, string>][] = [
    ['GET', '/v1/secret/data/app?version=2', 'read', { version: '2' }],
    ['GET', '/v1/secret/metadata/?list=true&after=a', 'list', { after: 'a' }],
    ['POST', '/v1/secret/data/app', 'update', {}],
    ['PUT', '/v1/secret/data/app', 'update', {}],
    ['PATCH', '/v1/secret/data/app', 'patch', {}],
    ['DELETE', '/v1/secret/data/app', 'delete', {}],
  ];
  it.each(cases)('%s %s -> %s', async (method, url, operation, query) => {
    const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const r = await send(method, url, hasBody ? { body: '{"data":{"k":"v"}}' } : {});
    expect(r.status).toBe(200);
    expect(backend.calls).toHaveLength(1);
    const c = backend.calls[0]!;
    expect(c.operation).toBe(operation);
    expect(c.path).toBe(new URL(url, 'http://x').pathname.slice(4).replace(/^\//, ''));
    expect(c.query).toEqual(query);
    expect(c.body).toEqual(hasBody ? { data: { k: 'v' } } : undefined);
  });

  it('decodes the path and keeps the first of repeated query parameters', async () => {
    await send('GET', '/v1/secret/data/a%20b?x=1&x=2');
    expect(backend.calls[0]).toMatchObject({ path: 'secret/data/a b', query: { x: '1' } });
  });

  it('takes the token from X-Vault-Token, else Authorization: Bearer', async () => {
    await send('GET', '/v1/a', { headers: { 'X-Vault-Token': 'hvs.one', Authorization: 'Bearer hvs.two' } });
    await send('GET', '/v1/a', { headers: { Authorization: 'Bearer hvs.two' } });
    await send('GET', '/v1/a', { headers: { Authorization: 'Basic abc' } });
    await send('GET', '/v1/a');
    expect(backend.calls.map((c) => c.token)).toEqual(['hvs.one', 'hvs.two', '', '']);
  });

  it('answers 404 outside /v1/, 405 for other methods, 400 for bad encoding or dot segments', async () => {
    expect((await send('GET', '/v2/secret')).status).toBe(404);
    expect((await send('GET', '/v1/')).status).toBe(404);
    const opt = await send('OPTIONS', '/v1/secret/data/a');
    expect(opt.status).toBe(405);
    expect(JSON.parse(opt.text)).toEqual({ errors: ['unsupported method OPTIONS'] });
    expect((await send('GET', '/v1/secret/%E0%A4%A')).status).toBe(400);
    expect(await raw('GET /v1/secret/%2e%2E/sys/seal HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw('GET /v1/secret/../sys/seal HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(backend.calls).toHaveLength(0);
  });
});

describe('bodies', () => {
  it('answers 400 with Vault errors on malformed JSON, without echoing it, and calls nothing', async () => {
    const r = await send('PUT', '/v1/secret/data/a', { body: '{"data": {"password": "hunter2"' });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(r.text)).toEqual({ errors: ['failed to parse JSON input: the request body is not valid JSON'] });
    expect(r.text).not.toContain('hunter2');
    expect((await send('PUT', '/v1/secret/data/a', { body: '[1,2]' })).status).toBe(400);
    expect((await send('PUT', '/v1/secret/data/a', { body: 'null' })).status).toBe(400);
    expect(backend.calls).toHaveLength(0);
  });

  it('treats an empty body as none', async () => {
    await send('POST', '/v1/sys/seal', { body: '' });
    expect(backend.calls[0]?.body).toBeUndefined();
  });

  it('answers 413 for a body over the limit (declared, or streamed in chunks) and then keeps serving', async () => {
    await gw.close();
    await start({ maxBodyBytes: 1024 });
    const big = JSON.stringify({ data: { v: 'x'.repeat(2000) } });
    const r = await send('PUT', '/v1/secret/data/a', { body: big });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toEqual({ errors: ['request body larger than 1024 bytes'] });
    const chunked = await raw((w) => {
      w('PUT /v1/secret/data/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
      for (let i = 0; i < 4; i++) w(`200\r\n${'y'.repeat(0x200)}\r\n`);
      w('0\r\n\r\n');
    });
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
    expect(backend.calls).toHaveLength(0);
    expect((await send('PUT', '/v1/secret/data/a', { body: '{"data":{}}' })).status).toBe(200);
  });
});

describe('responses', () => {
  it('passes status, body and headers through untouched, for any path', async () => {
    backend.respond = () => json(404, { errors: ['no handler for route "nope/x"'] }, { 'X-Coffer-Node': 'n2', 'Content-Length': '1' });
    const r = await send('GET', '/v1/nope/x');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toEqual({ errors: ['no handler for route "nope/x"'] });
    expect(r.headers.get('x-coffer-node')).toBe('n2');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(backend.calls[0]?.path).toBe('nope/x');
  });

  it('adds {"errors":[]} to a >= 400 answer without a body, and sends no body with 204', async () => {
    backend.respond = () => json(404);
    const r = await send('GET', '/v1/secret/data/missing');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toEqual({ errors: [] });
    backend.respond = () => json(204);
    const d = await send('DELETE', '/v1/secret/data/a');
    expect(d.status).toBe(204);
    expect(d.text).toBe('');
  });

  it('HEAD sys/health answers the health status with no body; HEAD elsewhere is 405', async () => {
    backend.respond = () => json(429, { initialized: true, sealed: false, standby: true });
    const h = await send('HEAD', '/v1/sys/health?standbycode=429');
    expect(h.status).toBe(429);
    expect(h.text).toBe('');
    expect(backend.calls[0]).toMatchObject({ operation: 'read', path: 'sys/health', query: { standbycode: '429' } });
    expect((await send('HEAD', '/v1/secret/data/a')).status).toBe(405);
  });

  it('maps every error kind through the one table, as Vault errors', async () => {
    for (const kind of ERROR_KINDS) {
      backend.respond = () => err(cofferError(kind, kind === 'internal' ? 'boom at /secret/path with token hvs.x' : `it was ${kind}`));
      const r = await send('GET', '/v1/secret/data/a');
      expect(r.status, kind).toBe(ERROR_STATUS[kind]);
      const body = JSON.parse(r.text) as { errors: string[] };
      expect(body.errors).toHaveLength(1);
      expect(r.text).not.toContain('hvs.x');
    }
    const statuses = Object.fromEntries(ERROR_KINDS.map((k) => [k, ERROR_STATUS[k]]));
    expect(statuses).toMatchObject({ sealed: 503, 'permission-denied': 403, 'invalid-request': 400, 'not-found': 404, 'too-large': 413, internal: 500, 'no-leader': 500 });
  });

  it('has a status for every kind, and only those (a new kind without one does not compile)', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_KINDS].sort());
    for (const k of ERROR_KINDS) expect(ERROR_STATUS[k]).toBeGreaterThanOrEqual(400);
    // @ts-expect-error: a kind outside ErrorKind has no row.
    const missing: number = ERROR_STATUS['no-such-kind' as ErrorKind | 'no-such-kind'];
    expect(missing).toBeUndefined();
  });

  it('normalises an unknown throw into 500 internal error, with no stack or message', async () => {
    backend.respond = () => { throw new Error('secret s3cr3t at /home/x/file.ts:12'); };
    const r = await send('GET', '/v1/secret/data/a');
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text)).toEqual({ errors: ['internal error'] });
    expect((await send('GET', '/v1/secret/data/a')).status).toBe(500);
  });
});

describe('connection limits', () => {
  it('answers 431 to oversized headers', async () => {
    await gw.close();
    await start({ maxHeaderBytes: 1024 });
    const res = await raw(`GET /v1/sys/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4096)}\r\n\r\n`);
    expect(res).toMatch(/^HTTP\/1\.1 431 /);
    expect(res).toContain('"errors"');
  });

  it('closes a slow-loris connection that never finishes its headers', async () => {
    await gw.close();
    await start({ headersTimeoutMs: 300, requestTimeoutMs: 600, connectionsCheckingIntervalMs: 50 });
    const t0 = performance.now();
    const res = await raw((w) => w('GET /v1/sys/health HTTP/1.1\r\nHost: x\r\nX-Slow: '), 5000);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(res).toMatch(/^HTTP\/1\.1 408 /);
    expect(backend.calls).toHaveLength(0);
  });

  it('answers the LIST method with a JSON 400 (Node\'s parser refuses it; clients send GET ?list=true)', async () => {
    const res = await raw('LIST /v1/secret/metadata/ HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 400 /);
    expect(res).toContain('{"errors":["malformed HTTP request"]}');
  });

  it('answers a 400 to a request that is not HTTP', async () => {
    const res = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('close() closes the backend', async () => {
    await gw.close();
    expect(backend.isClosed).toBe(true);
    await start();
  });
});

