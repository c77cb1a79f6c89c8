/**
 * The dispatcher end to end against an in-process fake Vault (node:http): exit codes, the
 * explained errors (and that they carry no token or value), table and JSON output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeIo } from './fake-io.test-helper.js';
import { startFakeVault, type FakeAnswer, type FakeRequest, type FakeVault } from './fake-vault.test-helper.js';
import { runCli } from './run.js';

type Handler = (req: FakeRequest, body: string) => FakeAnswer;
let handler: Handler = () => ({ status: 404, body: { errors: [] } });
const seen: { method: string; url: string; token: string | undefined; body: string }[] = [];
let fake: FakeVault;
let address = '';

beforeAll(async () => {
  fake = await startFakeVault((r) => {
    seen.push({ method: r.method, url: r.url, token: r.token, body: r.raw });
    return handler(r, r.raw);
  });
  address = fake.address;
});
afterAll(() => fake.close());

const TOKEN = 'hvs.very-secret-token';
async function cli(argv: string[], options: { stdin?: string; token?: string | null } = {}) {
  const env: Record<string, string> = { COFFER_ADDR: address, HOME: '/nonexistent-home' };
  if (options.token !== null) env['COFFER_TOKEN'] = options.token ?? TOKEN;
  const io = fakeIo({ env, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) });
  const code = await runCli(argv, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

const SEAL = { type: 'shamir', initialized: true, sealed: true, t: 2, n: 3, progress: 1, nonce: 'abc', version: '0.1.0', storage_type: 'raft' };

describe('coffer client commands (fake server)', () => {
  it('usage errors exit 2 and say how to get help', async () => {
    expect((await cli(['kv', 'put', 'secret/a'])).code).toBe(2);
    const bad = await cli(['kv', 'get', '-bogus', 'secret/a']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('flag provided but not defined: -bogus');
    expect(bad.err).toContain('Run "coffer kv get -h" for usage.');
    expect((await cli(['nope'])).code).toBe(2);
    expect((await cli(['status', '-format=yaml'])).code).toBe(2);
    expect((await cli(['kv', 'get', '-h'])).code).toBe(0);
  });

  it('status exits 2 when sealed and prints vault rows; JSON is the API data', async () => {
    handler = () => ({ status: 200, body: SEAL });
    const t = await cli(['status']);
    expect(t.code).toBe(2);
    expect(t.out).toMatch(/^Key {16}Value\n-{3} {16}-{5}\nSeal Type {10}shamir\n/);
    expect(t.out).toContain('Unseal Progress    1/2');
    const j = await cli(['status', '-format=json']);
    expect(JSON.parse(j.out)).toMatchObject({ sealed: true, t: 2, n: 3 });
  });

  it('explains sealed, forbidden, missing-token and unreachable without printing the token or values', async () => {
    handler = () => ({ status: 503, body: { errors: ['Coffer is sealed'] } });
    const sealed = await cli(['kv', 'put', 'secret/a', 'password=hunter2']);
    expect(sealed.code).toBe(1);
    expect(sealed.err).toContain('Coffer is sealed: run coffer operator unseal');
    handler = () => ({ status: 403, body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } });
    const denied = await cli(['kv', 'put', 'secret/app', 'password=hunter2']);
    expect(denied.err).toContain('permission denied: the token lacks a policy for secret/data/app (coffer token lookup)');
    const noToken = await cli(['read', 'secret/data/app'], { token: null });
    expect(noToken.err).toContain('no token: set COFFER_TOKEN or run coffer login');
    for (const r of [sealed, denied, noToken]) {
      expect(r.err).not.toContain(TOKEN);
      expect(r.err).not.toContain('hunter2');
    }
    const down = await cli(['status', '-address=http://127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.err).toContain('cannot reach Coffer at http://127.0.0.1:1: is it running? (set COFFER_ADDR)');
  });

  it('kv put sends the data under "data" with cas, and kv get -field prints the raw value', async () => {
    seen.length = 0;
    handler = (req) => req.method === 'GET'
      ? { status: 200, body: { data: { data: { password: 's3cret', n: 2 }, metadata: { version: 3, deletion_time: '', destroyed: false } } } }
      : { status: 200, body: { data: { version: 4, created_time: 't', deletion_time: '', destroyed: false, custom_metadata: null } } };
    const put = await cli(['kv', 'put', '-mount=kv', 'app/db', 'password=-', '-cas=3'], { stdin: 'from-stdin' });
    expect(put.code).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/v1/kv/data/app/db', token: TOKEN });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ data: { password: 'from-stdin' }, options: { cas: 3 } });
    expect(put.out).toContain('= Secret Path =\nkv/data/app/db\n');
    expect(put.out).toContain('deletion_time      n/a');
    const field = await cli(['kv', 'get', '-field=password', 'secret/app/db']);
    expect(field).toEqual({ code: 0, out: 's3cret', err: '' });
    expect(seen.at(-1)?.url).toBe('/v1/secret/data/app/db');
    const get = await cli(['kv', 'get', 'secret/app/db']);
    expect(get.out).toContain('====== Data ======\nKey         Value\n---         -----\nn           2\npassword    s3cret');
  });

  it('a missing secret prints "No value found" and exits 2', async () => {
    handler = () => ({ status: 404, body: { errors: [] } });
    const r = await cli(['kv', 'get', 'secret/missing']);
    expect(r).toEqual({ code: 2, out: '', err: 'No value found at secret/data/missing\n' });
  });

  it('operator init -format=json prints vault\'s init shape', async () => {
    handler = (req) => req.method === 'GET'
      ? { status: 200, body: { ...SEAL, initialized: false } }
      : { status: 200, body: { keys: ['aa', 'bb'], keys_base64: ['qg==', 'uw=='], root_token: 'hvs.root' } };
    const r = await cli(['operator', 'init', '-key-shares=2', '-key-threshold=2', '-format=json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ unseal_keys_b64: ['qg==', 'uw=='], unseal_keys_hex: ['aa', 'bb'], unseal_shares: 2, unseal_threshold: 2, root_token: 'hvs.root' });
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({ secret_shares: 2, secret_threshold: 2 });
  });
});
