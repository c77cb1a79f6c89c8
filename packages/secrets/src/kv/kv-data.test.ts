import { beforeEach, describe, expect, it } from 'vitest';
import { kvStack } from './kv.test-helper.js';
import type { KvTestStack } from './kv.test-helper.js';
import { CAS_MISMATCH, CAS_REQUIRED } from './kv-data.js';

let kv: KvTestStack;
beforeEach(() => {
  kv = kvStack();
  kv.clock.nowMs = Date.UTC(2026, 10, 29, 21, 0, 0, 945);
});

describe('KV v2 data write and read', () => {
  it('writes version 1 and answers with Vault envelope and version metadata', async () => {
    const res = await kv.req('create', 'secret/data/app/db', { data: { password: 'hunter2', n: 1 } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/), lease_id: '', renewable: false, lease_duration: 0,
      data: { created_time: '2026-11-29T21:00:00.945Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 1 },
      wrap_info: null, warnings: null, auth: null, mount_type: 'kv',
    });
    const read = await kv.req('read', 'secret/data/app/db');
    expect(read.status).toBe(200);
    expect(kv.data(read)).toEqual({
      data: { password: 'hunter2', n: 1 },
      metadata: { created_time: '2026-11-29T21:00:00.945Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 1 },
    });
  });

  it('reads ?version=N, 0 = latest; a missing key or version is a bare 404', async () => {
    await kv.req('update', 'secret/data/k', { data: { v: 1 } });
    await kv.req('update', 'secret/data/k', { data: { v: 2 } });
    expect(kv.data(await kv.req('read', 'secret/data/k', undefined, { version: '1' }))['data']).toEqual({ v: 1 });
    expect(kv.data(await kv.req('read', 'secret/data/k', undefined, { version: '0' }))['data']).toEqual({ v: 2 });
    expect(await kv.req('read', 'secret/data/k', undefined, { version: '9' })).toEqual({ status: 404, body: { errors: [] } });
    expect(await kv.req('read', 'secret/data/nope')).toEqual({ status: 404, body: { errors: [] } });
    expect((await kv.req('read', 'secret/data/k', undefined, { version: 'x' })).status).toBe(400);
  });

  it('CAS: 0 is create-only, N must match the current version, mismatch is 400 and changes nothing', async () => {
    expect((await kv.req('create', 'secret/data/c', { data: { a: 1 }, options: { cas: 0 } })).status).toBe(200);
    const again = await kv.req('update', 'secret/data/c', { data: { a: 2 }, options: { cas: 0 } });
    expect(again).toEqual({ status: 400, body: { errors: [CAS_MISMATCH] } });
    expect((await kv.req('update', 'secret/data/c', { data: { a: 3 }, options: { cas: 2 } })).status).toBe(400);
    expect(kv.data(await kv.req('update', 'secret/data/c', { data: { a: 4 }, options: { cas: 1 } }))['version']).toBe(2);
    expect(kv.data(await kv.req('read', 'secret/data/c'))['data']).toEqual({ a: 4 });
    const notNumber = await kv.req('update', 'secret/data/c', { data: { a: 5 }, options: { cas: 'two' } });
    expect(notNumber).toEqual({ status: 400, body: { errors: ['error parsing check-and-set parameter'] } });
  });

  it('cas_required (engine config or key metadata) demands options.cas', async () => {
    await kv.req('update', 'secret/metadata/r', { cas_required: true });
    expect(await kv.req('update', 'secret/data/r', { data: { a: 1 } })).toEqual({ status: 400, body: { errors: [CAS_REQUIRED] } });
    expect((await kv.req('update', 'secret/data/r', { data: { a: 1 }, options: { cas: 0 } })).status).toBe(200);
    await kv.req('update', 'secret/config', { cas_required: true });
    expect((await kv.req('update', 'secret/data/other', { data: { a: 1 } })).status).toBe(400);
  });

  it('prunes past max_versions (default 10 when 0) like Vault, and pruned versions are gone', async () => {
    for (let i = 1; i <= 12; i++) await kv.req('update', 'secret/data/p', { data: { i } });
    const meta = kv.data(await kv.req('read', 'secret/metadata/p'));
    expect(meta['current_version']).toBe(12);
    expect(meta['oldest_version']).toBe(3);
    expect(Object.keys(meta['versions'] as object).map(Number).sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect((await kv.req('read', 'secret/data/p', undefined, { version: '2' })).status).toBe(404);
    // Only 10 version records remain in storage.
    expect(kv.fsm.list('logical/default-secret/versions/').length).toBe(10);
    // Lowering max_versions on the key prunes further on the next write.
    await kv.req('update', 'secret/metadata/p', { max_versions: 2 });
    await kv.req('update', 'secret/data/p', { data: { i: 13 } });
    expect(Object.keys(kv.data(await kv.req('read', 'secret/metadata/p'))['versions'] as object)).toEqual(['12', '13']);
    expect(kv.fsm.list('logical/default-secret/versions/').length).toBe(2);
  });

  it('PATCH merges into the latest version (merge-patch), needs an existing key, honours cas', async () => {
    expect(await kv.req('patch', 'secret/data/m', { data: { a: 1 } })).toEqual({ status: 404, body: { errors: [] } });
    await kv.req('create', 'secret/data/m', { data: { a: 1, b: { c: 2, d: 3 }, e: 'x' } });
    const res = await kv.req('patch', 'secret/data/m', { data: { b: { c: 20, d: null }, e: null, f: true }, options: { cas: 1 } });
    expect(kv.data(res)['version']).toBe(2);
    expect(kv.data(await kv.req('read', 'secret/data/m'))['data']).toEqual({ a: 1, b: { c: 20 }, f: true });
    expect((await kv.req('patch', 'secret/data/m', { data: { a: 2 }, options: { cas: 1 } })).status).toBe(400);
    await kv.req('delete', 'secret/data/m');
    const gone = await kv.req('patch', 'secret/data/m', { data: { a: 3 } });
    expect(gone.status).toBe(404);
    expect(kv.data(gone)).toMatchObject({ version: 2, destroyed: false });
  });

  it('subkeys shows the shape with null leaves, to a depth', async () => {
    await kv.req('create', 'secret/data/s', { data: { a: 1, b: { c: { d: 2 } }, e: [1] } });
    expect(kv.data(await kv.req('read', 'secret/subkeys/s'))['subkeys']).toEqual({ a: null, b: { c: { d: null } }, e: null });
    expect(kv.data(await kv.req('read', 'secret/subkeys/s', undefined, { depth: '1' }))['subkeys']).toEqual({ a: null, b: null, e: null });
  });
});

describe('KV v2 bad input: 400 naming the problem, nothing changes', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['missing data', { options: {} }, /no data provided/],
    ['data is a string', { data: 'hello' }, /"data"/],
    ['data is an array', { data: [1, 2] }, /"data"/],
    ['data is null', { data: null }, /"data"/],
    ['options not an object', { data: {}, options: 3 }, /"options"/],
    ['body not an object', [1, 2], /JSON object/],
  ];
  for (const [name, body, message] of cases) {
    it(name, async () => {
      const before = kv.fsm.stateHash();
      const res = await kv.req('update', 'secret/data/bad', body);
      expect(res.status).toBe(400);
      expect((res.body as { errors: string[] }).errors.join(' ')).toMatch(message);
      expect(kv.fsm.stateHash()).toBe(before);
      expect(kv.proposer.log).toHaveLength(1); // entry 1 is the harness's root token
    });
  }

  it('paths with "..", ".", empty segments or a trailing dot-segment', async () => {
    for (const path of ['secret/data/a/../b', 'secret/data/a//b', 'secret/data/a/.', 'secret/data/./a', 'secret/data/a/..', '/secret/data/a', 'secret/data/a\u0000b']) {
      const res = await kv.req('update', path, { data: { a: 1 } });
      expect(res.status, path).toBe(400);
      expect((res.body as { errors: string[] }).errors).toHaveLength(1);
    }
    expect(kv.proposer.log).toHaveLength(1); // entry 1 is the harness's root token
  });

  it('unknown top-level fields are ignored with Vault\'s warning', async () => {
    const res = await kv.req('update', 'secret/data/w', { data: { a: 1 }, zeta: 1, alpha: 2 });
    expect(res.status).toBe(200);
    expect((res.body as { warnings: string[] }).warnings).toEqual(['Endpoint ignored these unrecognized parameters: [alpha zeta]']);
  });

  it('unknown mount, unknown KV path, unsupported operation', async () => {
    expect((await kv.req('read', 'nomount/data/x')).status).toBe(404);
    expect(await kv.req('read', 'secret/bogus/x')).toEqual({ status: 404, body: { errors: ['unsupported path'] } });
    expect((await kv.req('list', 'secret/data/x')).status).toBe(405);
    expect((await kv.req('update', 'secret/data/dir/', { data: {} })).status).toBe(404);
  });
});
