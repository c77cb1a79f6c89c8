import { beforeEach, describe, expect, it } from 'vitest';
import { kvStack } from './kv.test-helper.js';
import type { KvTestStack } from './kv.test-helper.js';

let kv: KvTestStack;
const T0 = Date.UTC(2026, 10, 29, 21, 0, 0);
beforeEach(async () => {
  kv = kvStack();
  kv.clock.nowMs = T0;
  for (let i = 1; i <= 3; i++) await kv.req('update', 'secret/data/k', { data: { i } });
  kv.clock.nowMs = T0 + 1500;
});

const versionMeta = async (v: number): Promise<Record<string, unknown>> =>
  ((kv.data(await kv.req('read', 'secret/metadata/k'))['versions'] as Record<string, Record<string, unknown>>)[String(v)] ?? {});

describe('KV v2 soft delete, undelete, destroy', () => {
  it('DELETE data/:p soft-deletes the latest; reading it is 404 with metadata and data null', async () => {
    expect(await kv.req('delete', 'secret/data/k')).toEqual({ status: 204 });
    const res = await kv.req('read', 'secret/data/k');
    expect(res.status).toBe(404);
    expect(kv.data(res)).toEqual({
      data: null,
      metadata: { created_time: '2026-11-29T21:00:00Z', custom_metadata: null, deletion_time: '2026-11-29T21:00:01.5Z', destroyed: false, version: 3 },
    });
    expect(kv.data(await kv.req('read', 'secret/data/k', undefined, { version: '2' }))['data']).toEqual({ i: 2 });
    // Deleting again does not move the deletion time.
    kv.clock.nowMs += 1000;
    await kv.req('delete', 'secret/data/k');
    expect((await versionMeta(3))['deletion_time']).toBe('2026-11-29T21:00:01.5Z');
  });

  it('delete/:p and undelete/:p take versions; undelete restores the data', async () => {
    expect(await kv.req('update', 'secret/delete/k', { versions: [1, 2, 99] })).toEqual({ status: 204 });
    expect((await kv.req('read', 'secret/data/k', undefined, { version: '1' })).status).toBe(404);
    expect((await kv.req('read', 'secret/data/k')).status).toBe(200);
    expect(await kv.req('update', 'secret/undelete/k', { versions: [1] })).toEqual({ status: 204 });
    expect(kv.data(await kv.req('read', 'secret/data/k', undefined, { version: '1' }))['data']).toEqual({ i: 1 });
    expect((await versionMeta(2))['deletion_time']).not.toBe('');
  });

  it('destroy removes the version record for good; reading it is 404 with destroyed: true; undelete does nothing', async () => {
    const versionsBefore = kv.fsm.list('logical/default-secret/versions/').length;
    expect(await kv.req('update', 'secret/destroy/k', { versions: [2] })).toEqual({ status: 204 });
    expect(kv.fsm.list('logical/default-secret/versions/').length).toBe(versionsBefore - 1);
    const res = await kv.req('read', 'secret/data/k', undefined, { version: '2' });
    expect(res.status).toBe(404);
    expect(kv.data(res)).toMatchObject({ data: null, metadata: { destroyed: true, version: 2, deletion_time: '' } });
    const hash = kv.fsm.stateHash();
    const log = kv.proposer.log.length;
    expect(await kv.req('update', 'secret/undelete/k', { versions: [2] })).toEqual({ status: 204 });
    expect(await kv.req('update', 'secret/delete/k', { versions: [2] })).toEqual({ status: 204 });
    expect(kv.proposer.log.length).toBe(log); // nothing to propose
    expect(kv.fsm.stateHash()).toBe(hash);
    expect(await versionMeta(2)).toEqual({ created_time: '2026-11-29T21:00:00Z', deletion_time: '', destroyed: true });
  });

  it('a missing key is a 204 no-op; versions must be a non-empty array of integers', async () => {
    expect(await kv.req('update', 'secret/delete/none', { versions: [1] })).toEqual({ status: 204 });
    expect(await kv.req('update', 'secret/delete/k', { versions: [] })).toEqual({ status: 400, body: { errors: ['no version number provided'] } });
    expect(await kv.req('update', 'secret/destroy/k', {})).toEqual({ status: 400, body: { errors: ['no version number provided'] } });
    for (const versions of [['a'], [1.5], { a: 1 }, [-1], true]) {
      const res = await kv.req('update', 'secret/destroy/k', { versions });
      expect(res.status, JSON.stringify(versions)).toBe(400);
      expect((res.body as { errors: string[] }).errors[0]).toMatch(/"versions"/);
    }
    expect((await versionMeta(1))['destroyed']).toBe(false);
    // Vault's comma-separated form is accepted.
    expect(await kv.req('update', 'secret/delete/k', { versions: '1,2' })).toEqual({ status: 204 });
  });

  it('delete_version_after sets a future deletion time that takes effect when it passes', async () => {
    await kv.req('update', 'secret/metadata/t', { delete_version_after: '1h' });
    const w = await kv.req('update', 'secret/data/t', { data: { a: 1 } });
    expect(kv.data(w)['deletion_time']).toBe('2026-11-29T22:00:01.5Z');
    expect((await kv.req('read', 'secret/data/t')).status).toBe(200);
    kv.clock.nowMs += 3600 * 1000;
    expect((await kv.req('read', 'secret/data/t')).status).toBe(404);
  });
});
