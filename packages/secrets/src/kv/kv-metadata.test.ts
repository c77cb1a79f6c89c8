import { beforeEach, describe, expect, it } from 'vitest';
import { kvStack } from './kv.test-helper.js';
import type { KvTestStack } from './kv.test-helper.js';

let kv: KvTestStack;
const T0 = Date.UTC(2026, 10, 29, 21, 0, 0, 123);
beforeEach(() => {
  kv = kvStack();
  kv.clock.nowMs = T0;
});

describe('KV v2 metadata', () => {
  it('GET metadata has Vault\'s exact shape', async () => {
    await kv.req('update', 'secret/data/app', { data: { a: 1 } });
    kv.clock.nowMs = T0 + 1000;
    await kv.req('update', 'secret/data/app', { data: { a: 2 } });
    const res = await kv.req('read', 'secret/metadata/app');
    expect(res.status).toBe(200);
    expect(kv.data(res)).toEqual({
      cas_required: false, created_time: '2026-11-29T21:00:00.123Z', current_version: 2, custom_metadata: null,
      delete_version_after: '0s', max_versions: 0, oldest_version: 0, updated_time: '2026-11-29T21:00:01.123Z',
      versions: {
        '1': { created_time: '2026-11-29T21:00:00.123Z', deletion_time: '', destroyed: false },
        '2': { created_time: '2026-11-29T21:00:01.123Z', deletion_time: '', destroyed: false },
      },
    });
    expect(await kv.req('read', 'secret/metadata/none')).toEqual({ status: 404, body: { errors: [] } });
  });

  it('POST metadata sets fields (also on a key with no versions yet); custom_metadata shows up on data reads', async () => {
    const res = await kv.req('update', 'secret/metadata/new', { max_versions: 5, cas_required: true, delete_version_after: '1h30m', custom_metadata: { owner: 'ops' } });
    expect(res).toEqual({ status: 204 });
    const meta = kv.data(await kv.req('read', 'secret/metadata/new'));
    expect(meta).toMatchObject({ max_versions: 5, cas_required: true, delete_version_after: '1h30m0s', custom_metadata: { owner: 'ops' }, current_version: 0, versions: {} });
    await kv.req('update', 'secret/data/new', { data: { x: 1 }, options: { cas: 0 } });
    expect(kv.data(await kv.req('read', 'secret/data/new'))['metadata']).toMatchObject({ custom_metadata: { owner: 'ops' } });
  });

  it('POST metadata rejects bad types and changes nothing', async () => {
    await kv.req('update', 'secret/data/k', { data: { a: 1 } });
    const before = kv.fsm.stateHash();
    for (const body of [{ max_versions: 'many' }, { max_versions: -1 }, { cas_required: 'maybe' }, { delete_version_after: 'soon' }, { custom_metadata: 'x' }, { custom_metadata: { k: { nested: 1 } } }]) {
      const res = await kv.req('update', 'secret/metadata/k', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(kv.fsm.stateHash()).toBe(before);
  });

  it('DELETE metadata removes every version and the key', async () => {
    for (let i = 0; i < 3; i++) await kv.req('update', 'secret/data/gone', { data: { i } });
    await kv.req('update', 'secret/data/stay', { data: { i: 0 } });
    expect(await kv.req('delete', 'secret/metadata/gone')).toEqual({ status: 204 });
    expect((await kv.req('read', 'secret/data/gone')).status).toBe(404);
    expect((await kv.req('read', 'secret/metadata/gone')).status).toBe(404);
    expect(kv.fsm.list('logical/default-secret/').map(([k]) => k.split('/')[2])).toEqual(['metadata', 'versions']);
    expect(kv.fsm.list('logical/default-secret/versions/')).toHaveLength(1);
    // Writing again starts over at version 1.
    expect(kv.data(await kv.req('update', 'secret/data/gone', { data: { i: 9 } }))['version']).toBe(1);
  });

  it('LIST folds nested directories and is 404 when empty', async () => {
    for (const k of ['a', 'dir/x', 'dir/sub/y', 'dir/sub/z', 'b', 'dir2/q']) await kv.req('update', `secret/data/${k}`, { data: { k } });
    expect(kv.data(await kv.req('list', 'secret/metadata/'))).toEqual({ keys: ['a', 'b', 'dir/', 'dir2/'] });
    expect(kv.data(await kv.req('list', 'secret/metadata/dir'))).toEqual({ keys: ['sub/', 'x'] });
    expect(kv.data(await kv.req('list', 'secret/metadata/dir/sub/'))).toEqual({ keys: ['y', 'z'] });
    expect(await kv.req('list', 'secret/metadata/empty/')).toEqual({ status: 404, body: { errors: [] } });
    // A deleted key is still listed (its metadata exists); a metadata-deleted one is not.
    await kv.req('delete', 'secret/data/a');
    await kv.req('delete', 'secret/metadata/b');
    expect(kv.data(await kv.req('list', 'secret/metadata/'))).toEqual({ keys: ['a', 'dir/', 'dir2/'] });
  });
});

describe('KV v2 config', () => {
  it('GET/POST config; max_versions from config prunes on write', async () => {
    expect(kv.data(await kv.req('read', 'secret/config'))).toEqual({ cas_required: false, delete_version_after: '0s', max_versions: 0 });
    expect(await kv.req('update', 'secret/config', { max_versions: 3, delete_version_after: 0 })).toEqual({ status: 204 });
    expect(kv.data(await kv.req('read', 'secret/config'))).toEqual({ cas_required: false, delete_version_after: '0s', max_versions: 3 });
    for (let i = 0; i < 5; i++) await kv.req('update', 'secret/data/c', { data: { i } });
    expect(Object.keys(kv.data(await kv.req('read', 'secret/metadata/c'))['versions'] as object)).toEqual(['3', '4', '5']);
    expect((await kv.req('update', 'secret/config', { max_versions: 'x' })).status).toBe(400);
  });
});

describe('KV v2 metadata PATCH', () => {
  it('merges custom_metadata (null removes), keeps other fields, 404 on a missing key', async () => {
    expect(await kv.req('patch', 'secret/metadata/none', { max_versions: 3 })).toEqual({ status: 404, body: { errors: [] } });
    await kv.req('update', 'secret/metadata/k', { max_versions: 4, custom_metadata: { a: '1', b: '2' } });
    expect(await kv.req('patch', 'secret/metadata/k', { custom_metadata: { b: null, c: '3' } })).toEqual({ status: 204 });
    expect(kv.data(await kv.req('read', 'secret/metadata/k'))).toMatchObject({ max_versions: 4, custom_metadata: { a: '1', c: '3' } });
    // POST replaces instead, and refuses null values.
    expect((await kv.req('update', 'secret/metadata/k', { custom_metadata: { a: null } })).status).toBe(400);
    await kv.req('update', 'secret/metadata/k', { custom_metadata: { z: '9' } });
    expect(kv.data(await kv.req('read', 'secret/metadata/k'))['custom_metadata']).toEqual({ z: '9' });
  });
});
