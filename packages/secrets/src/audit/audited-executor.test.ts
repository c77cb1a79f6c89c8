import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HMAC_PREFIX } from './hash.js';
import { REQUEST_NOT_AUDITED, RESPONSE_NOT_AUDITED } from './audited-executor.js';
import { auditStack, at } from './audit.test-helper.js';
import type { AuditStack } from './audit.test-helper.js';
import { FileSink } from './sinks.js';
import type { AuditSink } from './sinks.js';

const HASH = /^hmac-sha256:[0-9a-f]{64}$/;
let stacks: AuditStack[] = [];
function stack(...args: Parameters<typeof auditStack>): AuditStack {
  const s = auditStack(...args);
  stacks.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.cleanup()));
  stacks = [];
});

async function auditHash(s: AuditStack, device: string, input: string): Promise<unknown> {
  const res = await s.req('update', `sys/audit-hash/${device}`, { input });
  expect(res.status).toBe(200);
  return at(res.body, 'data', 'hash');
}

describe('AuditedExecutor', () => {
  it('writes one request line and one response line per request, correlated by the envelope request_id', async () => {
    const s = stack();
    const file = join(s.dir, 'audit.log');
    expect((await s.enable('file', { file_path: file })).status).toBe(204);
    const res = await s.req('update', 'secret/data/app', { data: { password: 'hunter2' } });
    expect(res.status).toBe(200);
    const lines = s.lines(file);
    expect(lines.map((l) => l['type'])).toEqual(['request', 'response']);
    const id = at(res.body, 'request_id');
    expect(id).toBe('audit-req-2');
    for (const l of lines) {
      expect(at(l, 'request', 'id')).toBe(id);
      expect(at(l, 'request', 'path')).toBe('secret/data/app');
      expect(at(l, 'request', 'operation')).toBe('update');
      expect(at(l, 'request', 'client_token')).toMatch(HASH);
      expect(at(l, 'auth', 'client_token')).toBe(at(l, 'request', 'client_token'));
      expect(at(l, 'auth', 'policies')).toEqual(['root']);
      expect(at(l, 'auth', 'accessor')).toMatch(HASH);
      expect(at(l, 'time')).toBe('2026-11-29T21:00:00Z');
    }
    expect(at(lines[0], 'request', 'data', 'data', 'password')).toBe(await auditHash(s, 'file', 'hunter2'));
    expect(at(lines[1], 'response', 'status_code')).toBe(200);
    expect(at(lines[1], 'response', 'data', 'version')).toBe(await auditHash(s, 'file', '1'));
    expect(at(lines[1], 'response', 'request_id')).toBe(id);
    expect(at(lines[1], 'error')).toBe('');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('hashes every string and number in nested data, keeping keys, booleans and null', async () => {
    const s = stack();
    const file = join(s.dir, 'a.log');
    await s.enable('file', { file_path: file });
    await s.req('update', 'secret/data/n', { data: { outer: { list: ['x', 5, true, null, { deep: 'y' }] } } });
    const list = at(s.lines(file)[0], 'request', 'data', 'data', 'outer', 'list') as unknown[];
    expect(list[0]).toBe(await auditHash(s, 'file', 'x'));
    expect(list[1]).toBe(await auditHash(s, 'file', '5'));
    expect(list.slice(2, 4)).toEqual([true, null]);
    expect(at(list[4], 'deep')).toBe(await auditHash(s, 'file', 'y'));
    // A read's response data is hashed the same way.
    await s.req('read', 'secret/data/n');
    const read = s.lines(file).filter((l) => at(l, 'request', 'operation') === 'read' && l['type'] === 'response');
    expect(at(read[0], 'response', 'data', 'data', 'outer', 'list', 4, 'deep')).toBe(at(list[4], 'deep'));
  });

  it('two devices hash the same value under different keys', async () => {
    const s = stack();
    const [a, b] = [join(s.dir, 'a.log'), join(s.dir, 'b.log')];
    await s.enable('a', { file_path: a });
    await s.enable('b', { file_path: b });
    await s.req('update', 'secret/data/k', { data: { v: 'same' } });
    const ha = at(s.lines(a).at(-2), 'request', 'data', 'data', 'v');
    const hb = at(s.lines(b).at(-2), 'request', 'data', 'data', 'v');
    expect(ha).toMatch(HASH);
    expect(hb).toMatch(HASH);
    expect(ha).not.toBe(hb);
    expect(hb).toBe(await auditHash(s, 'b', 'same'));
  });

  it('refuses to enable a file device whose path cannot be opened (Vault sanity check)', async () => {
    const s = stack();
    const notDir = join(s.dir, 'plain-file');
    writeFileSync(notDir, '');
    const res = await s.enable('file', { file_path: join(notDir, 'audit.log') });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('sanity check failed');
    expect(at(await s.req('read', 'sys/audit'), 'body', 'data')).toEqual({});
  });

  it('leaves no file behind when an enable is refused for its options', async () => {
    const s = stack();
    const path = join(s.dir, 'never', 'audit.log');
    const res = await s.enable('file', { file_path: path, mode: 'rw' });
    expect(res.status).toBe(400);
    expect(existsSync(join(s.dir, 'never'))).toBe(false);
  });

  it('fails closed: when no device can write, the request is refused with a 500 and nothing is written', async () => {
    const s = stack();
    const dir = join(s.dir, 'logs');
    expect((await s.enable('file', { file_path: join(dir, 'audit.log') })).status).toBe(204);
    // The path breaks after enabling (the device opens lazily, on its first line).
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, '');
    const logBefore = s.proposer.log.length;
    const res = await s.req('update', 'secret/data/app', { data: { v: 'must-not-land' } });
    expect(res).toEqual({ status: 500, body: { errors: [REQUEST_NOT_AUDITED] } });
    expect(s.proposer.log.length).toBe(logBefore);
    expect((await s.executor.execute({ operation: 'read', path: 'secret/data/app' })).status).toBe(404);
  });

  it('proceeds when at least one of two devices writes', async () => {
    const errors: string[] = [];
    const s = stack({ broker: { onDeviceError: (path, code) => errors.push(`${path}${code}`) } });
    const brokenDir = join(s.dir, 'broken');
    const good = join(s.dir, 'good.log');
    await s.enable('good', { file_path: good });
    expect((await s.enable('broken', { file_path: join(brokenDir, 'x.log') })).status).toBe(204);
    rmSync(brokenDir, { recursive: true, force: true });
    writeFileSync(brokenDir, '');
    const res = await s.req('update', 'secret/data/app', { data: { v: 1 } });
    expect(res.status).toBe(200);
    expect(s.lines(good).map((l) => at(l, 'request', 'path'))).toEqual(['sys/audit/broken', 'sys/audit/broken', 'secret/data/app', 'secret/data/app']);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.startsWith('broken/E'))).toBe(true); // an OS code, never a line
  });

  it('turns an unloggable response into a 500 (the write itself already committed)', async () => {
    let writes = 0;
    const flaky: AuditSink = {
      write: () => (++writes > 1 ? Promise.reject(new Error('disk full')) : Promise.resolve()),
      reopen: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const s = stack({ broker: { openFile: () => flaky } });
    await s.enable('file', { file_path: join(s.dir, 'unused.log') });
    const res = await s.req('update', 'secret/data/app', { data: { v: 1 } });
    expect(res).toEqual({ status: 500, body: { errors: [RESPONSE_NOT_AUDITED] } });
    expect(writes).toBe(2);
  });

  it('fails closed while the device table cannot be read (sealed barrier)', async () => {
    const s = stack();
    await s.enable('file', { file_path: join(s.dir, 'a.log') });
    s.crypter.sealed = true;
    const logBefore = s.proposer.log.length;
    const res = await s.req('update', 'secret/data/app', { data: { v: 1 } });
    expect(res.status).toBe(503);
    expect(s.proposer.log.length).toBe(logBefore);
  });

  it('disabling a device stops its lines and removes it from the list', async () => {
    const s = stack();
    const file = join(s.dir, 'a.log');
    await s.enable('file', { file_path: file });
    await s.req('read', 'sys/audit');
    const list = await s.req('read', 'sys/audit');
    expect(Object.keys(at(list.body, 'data') as object)).toEqual(['file/']);
    expect(JSON.stringify(list.body)).not.toMatch(/hmacKey|[0-9a-f]{64}/);
    expect((await s.req('delete', 'sys/audit/file')).status).toBe(204);
    const count = s.lines(file).length;
    await s.req('update', 'secret/data/app', { data: { v: 1 } });
    expect(s.lines(file).length).toBe(count);
    expect(s.broker.devicePaths).toEqual([]);
    expect(at(await s.req('read', 'sys/audit'), 'body', 'data')).toEqual({});
  });

  it('writes to a stdout device (with the prefix option)', async () => {
    const out: string[] = [];
    const s = stack({ broker: { stdout: { write: (chunk, cb) => (out.push(chunk), cb(), true) } } });
    await s.enable('stdout', { file_path: 'stdout', prefix: 'AUDIT: ' });
    await s.req('update', 'secret/data/app', { data: { v: 'x' } });
    expect(out).toHaveLength(2);
    expect(out.every((l) => l.startsWith('AUDIT: {') && l.endsWith('}\n'))).toBe(true);
    expect(JSON.parse(out[1]?.slice('AUDIT: '.length) ?? '')).toMatchObject({ type: 'response', request: { path: 'secret/data/app' } });
  });

  it('log_raw writes values in the clear and hmac_accessor=false leaves accessors plain', async () => {
    const s = stack();
    const accessor = at(await s.req('read', 'auth/token/lookup-self'), 'body', 'data', 'accessor');
    expect(typeof accessor).toBe('string');
    const raw = join(s.dir, 'raw.log');
    const plainAcc = join(s.dir, 'acc.log');
    await s.enable('raw', { file_path: raw, log_raw: true });
    await s.enable('acc', { file_path: plainAcc, hmac_accessor: 'false' });
    await s.req('update', 'secret/data/app', { data: { v: 'clear' } });
    expect(at(s.lines(raw).at(-2), 'request', 'data', 'data', 'v')).toBe('clear');
    const acc = s.lines(plainAcc).at(-2);
    expect(at(acc, 'auth', 'accessor')).toBe(accessor);
    expect(at(acc, 'request', 'client_token_accessor')).toBe(accessor);
    expect(at(acc, 'auth', 'policies')).toEqual(['root']);
    expect(at(acc, 'auth', 'client_token')).toMatch(HASH);
    expect(at(acc, 'request', 'data', 'data', 'v')).toMatch(HASH);
  });

  it('a device heals once its path becomes writable again', async () => {
    const s = stack();
    const dir = join(s.dir, 'later');
    await s.enable('file', { file_path: join(dir, 'a.log') });
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, '');
    expect((await s.req('read', 'sys/audit')).status).toBe(500);
    rmSync(dir);
    mkdirSync(dir);
    expect((await s.req('read', 'sys/audit')).status).toBe(200);
    expect(s.lines(join(dir, 'a.log'))).toHaveLength(2);
  });

  it('FileSink applies the mode to an existing file', async () => {
    const s = stack();
    const file = join(s.dir, 'm.log');
    writeFileSync(file, '', { mode: 0o644 });
    const sink = new FileSink(file, 0o640);
    await sink.write('x\n');
    await sink.close();
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('hashes are the documented format', () => {
    expect(HMAC_PREFIX).toBe('hmac-sha256:');
  });
});

describe('FileSink', () => {
  it('creates missing parent directories', async () => {
    const s = stack();
    const file = join(s.dir, 'a', 'b', 'audit.log');
    await s.enable('file', { file_path: file });
    await s.req('read', 'sys/audit');
    expect(s.lines(file)).toHaveLength(2);
  });
});

describe('FileSink group commit', () => {
  it('keeps every line whole and present under 200 concurrent requests', async () => {
    const s = stack();
    const file = join(s.dir, 'c.log');
    await s.enable('file', { file_path: file });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => s.req('update', `secret/data/k${i}`, { data: { v: i } })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const lines = s.lines(file);
    expect(lines).toHaveLength(400);
    const paths = new Set(lines.filter((l) => l['type'] === 'response').map((l) => at(l, 'request', 'path')));
    expect(paths.size).toBe(200);
  });

  it('rejects every line of a failed batch, then heals', async () => {
    const s = stack();
    const dir = join(s.dir, 'd');
    writeFileSync(dir, '');
    const sink = new FileSink(join(dir, 'x.log'), 0o600);
    const outcomes = await Promise.allSettled([sink.write('a\n'), sink.write('b\n'), sink.write('c\n')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    rmSync(dir);
    await Promise.all([sink.write('d\n'), sink.write('e\n')]);
    await sink.close();
    expect(readFileSync(join(dir, 'x.log'), 'utf8')).toBe('d\ne\n');
  });
});
