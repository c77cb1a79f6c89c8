/** The binary routes: snapshot restore takes raw bytes (bounded), raw answers keep the node's type. */
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '@coffer/base';
import { FakeBackend, json } from './fake-backend.test-helper.js';
import { startGateway, type Gateway } from './gateway-server.js';

let gw: Gateway | undefined;
afterEach(async () => gw?.close());

async function start(backend: FakeBackend, maxBodyBytes?: number): Promise<Gateway> {
  gw = await startGateway({ backend, port: 0, ...(maxBodyBytes !== undefined ? { limits: { maxBodyBytes } } : {}) });
  return gw;
}

describe('raw bodies', () => {
  it('passes a snapshot upload through as bytes (not parsed as JSON) and still parses JSON elsewhere', async () => {
    const backend = new FakeBackend(() => ok({ status: 204, body: new Uint8Array(0), headers: {} }));
    const g = await start(backend);
    const bytes = new Uint8Array([0x43, 0x4f, 0x46, 0x46, 0x00, 0xff, 0x7b]);
    const r = await fetch(`${g.url}/v1/sys/storage/raft/snapshot`, { method: 'POST', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
    expect(r.status).toBe(204);
    expect(backend.calls[0]).toMatchObject({ operation: 'update', path: 'sys/storage/raft/snapshot', body: undefined });
    expect([...(backend.calls[0]?.rawBody ?? [])]).toEqual([...bytes]);
    const j = await fetch(`${g.url}/v1/sys/storage/raft/remove-peer`, { method: 'POST', body: '{not json' });
    expect(j.status).toBe(400);
  });

  it('answers 413 for an upload over the body limit, before the backend sees it', async () => {
    const backend = new FakeBackend();
    const g = await start(backend, 1024);
    const r = await fetch(`${g.url}/v1/sys/storage/raft/snapshot`, { method: 'POST', body: new Uint8Array(4096) });
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ errors: ['request body larger than 1024 bytes'] });
    expect(backend.calls).toHaveLength(0);
  });

  it('sends a raw answer with the node\'s Content-Type, and JSON answers as application/json', async () => {
    const file = new Uint8Array([1, 2, 3, 250]);
    const backend = new FakeBackend((call) =>
      call.path === 'sys/metrics' ? ok({ status: 200, body: Buffer.from('up 1\n'), headers: {}, contentType: 'text/plain; version=0.0.4' })
        : call.path === 'sys/storage/raft/snapshot' ? ok({ status: 200, body: file, headers: {}, contentType: 'application/octet-stream' })
          : json(200, { data: {} }));
    const g = await start(backend);
    const snap = await fetch(`${g.url}/v1/sys/storage/raft/snapshot`);
    expect(snap.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await snap.arrayBuffer())).toEqual(file);
    const m = await fetch(`${g.url}/v1/sys/metrics?format=prometheus`);
    expect(m.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await m.text()).toBe('up 1\n');
    const other = await fetch(`${g.url}/v1/sys/storage/raft/configuration`);
    expect(other.headers.get('content-type')).toBe('application/json');
  });
});
