/**
 * `coffer dr ...` end to end through the dispatcher against an in-process fake server (node:http on
 * 127.0.0.1): the status text (lag in words and numbers), the wipe confirmation of secondary
 * enable, the DR operation token rules, the generate-root style flow, and that no token, share or
 * OTP ever lands in an error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeWithOtp } from './dr-otp.js';
import { formatMs } from './dr-status-output.js';
import { fakeIo } from './fake-io.test-helper.js';
import { startFakeVault, type FakeVault } from './fake-vault.test-helper.js';
import { runCli } from './run.js';

type Handler = (method: string, path: string, body: Record<string, unknown>) => { status: number; body?: unknown };
let handler: Handler = () => ({ status: 404, body: { errors: [] } });
const seen: { method: string; path: string; body: Record<string, unknown> }[] = [];
let fake: FakeVault;
let address = '';

beforeAll(async () => {
  fake = await startFakeVault((r) => {
    const body = (r.raw === '' ? {} : JSON.parse(r.raw)) as Record<string, unknown>;
    const path = r.url.replace(/^\/v1\//, '');
    seen.push({ method: r.method, path, body });
    return handler(r.method, path, body);
  });
  address = fake.address;
});
afterAll(() => fake.close());
beforeEach(() => { seen.length = 0; });

const ROOT = 'hvs.root-token-very-secret';
const ACTIVATION = 'cdr1.activation-token-very-secret';
const OP_TOKEN = 'hvs.operation-token-secret';
/** Every error output of this file, checked at the end for secrets. */
const allErr: string[] = [];

async function cli(argv: string[], o: { stdin?: string; tty?: boolean; hidden?: string; env?: Record<string, string> } = {}) {
  const env = { COFFER_ADDR: address, HOME: '/nonexistent-home', COFFER_TOKEN: ROOT, ...o.env };
  const io = fakeIo({ env, isStdinTty: o.tty ?? false, ...(o.stdin !== undefined ? { stdin: o.stdin } : {}), ...(o.hidden !== undefined ? { hidden: o.hidden } : {}) });
  const code = await runCli(argv, io);
  const r = { code, out: io.stdout.join(''), err: io.stderr.join('') };
  allErr.push(r.err);
  return r;
}

const SECONDARY = {
  mode: 'secondary', cluster_id: 'c-2', secondary_id: 'dc2', state: 'stream-entries', connection_state: 'ready', epoch: 3,
  last_remote_wal: 88, primary_last_wal: 100, lag_entries: 12, lag_ms: 340, lag_ms_is_lower_bound: false,
  primary_cluster_addr: '127.0.0.1:9201', known_primary_cluster_addrs: ['127.0.0.1:9201'],
  primaries: [{ cluster_address: '127.0.0.1:9201', connection_status: 'connected', last_heartbeat: '2026-11-30T02:00:00.000Z' }],
};
const PRIMARY = {
  mode: 'primary', cluster_id: 'c-1', state: 'running', epoch: 2, last_wal: 100, last_dr_wal: 100, known_secondaries: ['dc2', 'dc3'],
  secondaries: [
    { node_id: 'dc2', api_address: '', cluster_address: '127.0.0.1:9301', connection_status: 'connected', last_heartbeat: '2026-11-30T02:00:00.000Z', last_sent_index: 97, state: 'active' },
    { node_id: 'dc3', api_address: '', cluster_address: '', connection_status: 'disconnected', last_heartbeat: '', last_sent_index: 0, state: 'token-issued' },
  ],
};
const statusOf = (s: unknown): Handler => () => ({ status: 200, body: { data: s } });
const lagLine = (out: string): string => out.split('\n').find((l) => l.startsWith('lag ')) ?? '';

describe('coffer dr status', () => {
  it('says how far a secondary is behind, in words and numbers', async () => {
    handler = statusOf(SECONDARY);
    const r = await cli(['dr', 'status']);
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'GET', path: 'sys/replication/dr/status' });
    expect(lagLine(r.out)).toMatch(/^lag +12 entries, 340 ms behind the primary \(caught up < 1 s\)$/);
    expect(r.out).toMatch(/\nstate +stream-entries\n/);
    expect(r.out).toMatch(/\nconnection +ready\n/);
    expect(r.out).toMatch(/\nepoch +3\n/);

    handler = statusOf({ ...SECONDARY, lag_ms: 5200, lag_ms_is_lower_bound: true, connection_state: 'transient_failure' });
    expect(lagLine((await cli(['dr', 'status'])).out)).toContain('12 entries, at least 5.2 s behind the primary (not heard from it since 2026-11-30T02:00:00.000Z');

    handler = statusOf({ ...SECONDARY, lag_ms: null, connection_state: 'connecting', last_error: 'connection refused' });
    const unknown = await cli(['dr', 'status']);
    expect(lagLine(unknown.out)).toContain('unknown (not connected since 2026-11-30T02:00:00.000Z');
    expect(unknown.out).toMatch(/\nlast_error +connection refused/);

    handler = statusOf({ ...SECONDARY, lag_ms: 42_000, lag_entries: 1 });
    expect(lagLine((await cli(['dr', 'status'])).out)).toMatch(/1 entry, 42 s behind the primary \(falling behind\)$/);
  });

  it('lists a primary\'s secondaries; -format=json prints the raw DrStatus', async () => {
    handler = statusOf(PRIMARY);
    const r = await cli(['dr', 'status']);
    expect(r.out).toMatch(/\nconnection +1 of 2 secondaries connected\n/);
    expect(r.out).toMatch(/ID +State +Connection +Last Heartbeat +Last Sent Index/);
    expect(r.out).toMatch(/\ndc2 +active +connected +2026-11-30T02:00:00.000Z \(.* ago\) +97\n/);
    expect(r.out).toMatch(/\ndc3 +token-issued +disconnected +never +0/);
    handler = statusOf({ ...PRIMARY, state: 'fenced', fenced_by: { cluster_id: 'c-2', epoch: 4 } });
    expect((await cli(['dr', 'status'])).out).toContain('cluster c-2 at epoch 4: client writes are refused; make this cluster its secondary with coffer dr secondary update-primary');
    handler = statusOf(SECONDARY);
    expect(JSON.parse((await cli(['dr', 'status', '-format=json'])).out)).toEqual(SECONDARY);
  });

  it('formats durations as a person reads them', () => {
    expect([formatMs(340), formatMs(5200), formatMs(5000), formatMs(125_000)]).toEqual(['340 ms', '5.2 s', '5 s', '2m5s']);
  });
});

describe('coffer dr secondary enable (wipes the cluster)', () => {
  const ENABLED = statusOf({ ...SECONDARY, lag_ms: null, connection_state: 'connecting' });

  it('is refused without -force when no question can be asked, and sends nothing', async () => {
    handler = ENABLED;
    const r = await cli(['dr', 'secondary', 'enable', ACTIVATION]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`this wipes ALL data of the cluster at ${address}`);
    expect(r.err).toContain('confirm with -force');
    expect(r.err).toContain('nothing was changed');
    const piped = await cli(['dr', 'secondary', 'enable', '-'], { stdin: ACTIVATION, tty: true });
    expect(piped.code).toBe(2);
    expect(seen).toEqual([]);
  });

  it('on a terminal asks for the address or yes; anything else changes nothing', async () => {
    handler = ENABLED;
    const no = await cli(['dr', 'secondary', 'enable', ACTIVATION], { tty: true, hidden: 'y' });
    expect(no.code).toBe(1);
    expect(no.err).toContain('not confirmed: nothing was changed');
    expect(seen).toEqual([]);
    const yes = await cli(['dr', 'secondary', 'enable', ACTIVATION], { tty: true, hidden: address });
    expect(yes.code).toBe(0);
    expect(seen).toEqual([{ method: 'POST', path: 'sys/replication/dr/secondary/enable', body: { token: ACTIVATION } }]);
  });

  it('with -force reads the token from stdin, sends it, and says what to do next', async () => {
    handler = ENABLED;
    const r = await cli(['dr', 'secondary', 'enable', '-force', '-'], { stdin: `${ACTIVATION}\n` });
    expect(r.code).toBe(0);
    expect(seen[0]?.body).toEqual({ token: ACTIVATION });
    expect(r.out).toContain("Unseal every node of this cluster with the PRIMARY's unseal keys");
    expect(r.out).toContain('coffer dr status');
  });
});

describe('DR operation tokens on the secondary calls', () => {
  it('a missing token is a usage error saying how to get one, and nothing is sent', async () => {
    handler = statusOf(SECONDARY);
    for (const argv of [['dr', 'secondary', 'promote'], ['dr', 'secondary', 'disable'], ['dr', 'operation-token', 'delete']]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toContain('needs a DR operation token: pass -dr-operation-token=<token> or set COFFER_DR_OPERATION_TOKEN');
      expect(r.err).toContain('coffer dr operation-token generate');
    }
    expect(seen).toEqual([]);
    // update-primary asks the status first: only a fenced primary may use the root token instead.
    const up = await cli(['dr', 'secondary', 'update-primary', ACTIVATION]);
    expect(up.code).toBe(2);
    expect(seen.map((s) => s.method)).toEqual(['GET']);
  });

  it('takes the token from the flag or the environment, and shows the server\'s refusal', async () => {
    handler = statusOf(PRIMARY);
    expect((await cli(['dr', 'secondary', 'promote', `-dr-operation-token=${OP_TOKEN}`])).code).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'POST', path: 'sys/replication/dr/secondary/promote', body: { dr_operation_token: OP_TOKEN } });
    await cli(['dr', 'secondary', 'update-primary', ''], { env: { COFFER_DR_OPERATION_TOKEN: OP_TOKEN } });
    expect(seen[1]?.body).toEqual({ dr_operation_token: OP_TOKEN, token: '' });
    handler = () => ({ status: 400, body: { errors: ['invalid DR operation token'] } });
    const bad = await cli(['dr', 'secondary', 'promote'], { env: { COFFER_DR_OPERATION_TOKEN: OP_TOKEN } });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('invalid DR operation token');
  });

  it('a fenced old primary takes update-primary with its root token', async () => {
    handler = (m) => m === 'GET' ? { status: 200, body: { data: { ...PRIMARY, state: 'fenced' } } } : { status: 200, body: { data: SECONDARY } };
    const r = await cli(['dr', 'secondary', 'update-primary', ACTIVATION]);
    expect(r.code).toBe(0);
    expect(seen[1]).toMatchObject({ method: 'POST', body: { token: ACTIVATION } });
  });
});

describe('coffer dr primary', () => {
  it('secondary-token -field=token prints only the token; the table names it', async () => {
    handler = () => ({ status: 200, body: { wrap_info: { token: ACTIVATION, ttl: 3600, creation_time: 't0', expires_at: 't1' }, data: null } });
    const raw = await cli(['dr', 'primary', 'secondary-token', '-ttl=1h', '-field=token', 'dc2']);
    expect(raw).toMatchObject({ code: 0, out: ACTIVATION });
    expect(seen[0]).toMatchObject({ path: 'sys/replication/dr/primary/secondary-token', body: { id: 'dc2', ttl: '1h' } });
    expect((await cli(['dr', 'primary', 'secondary-token', 'dc2'])).out).toMatch(/wrapping_token_ttl +1h/);
    expect((await cli(['dr', 'primary', 'secondary-token', '-ttl=soon', 'dc2'])).code).toBe(2);
  });

  it('batch-token requires -ttl and known operations', async () => {
    handler = () => ({ status: 200, body: { data: { token: 'hvb.batch', display_name: 'oncall', expires_at: 't', operations: ['promote'] } } });
    expect((await cli(['dr', 'primary', 'batch-token'])).code).toBe(2);
    expect((await cli(['dr', 'primary', 'batch-token', '-ttl=8h', '-operations=promote,explode'])).code).toBe(2);
    expect(seen).toEqual([]);
    const ok = await cli(['dr', 'primary', 'batch-token', '-ttl=8h', '-operations=promote,update-primary', '-field=token']);
    expect(ok.out).toBe('hvb.batch');
    expect(seen[0]?.body).toEqual({ ttl: '8h', operations: ['promote', 'update-primary'] });
  });
});

describe('coffer dr operation-token generate', () => {
  const OTP = 'abcdefghijklmnopqrstuvwxyz01';
  const TOKEN = 'hvs.ABCDEFGHIJKLMNOPQRSTUVWX';
  const SHARES = ['share-one-secret', 'share-two-secret'];
  const encode = (t: string, otp: string): string => Buffer.from(Buffer.from(t).map((b, i) => b ^ otp.charCodeAt(i))).toString('base64').replace(/=+$/, '');

  /** A generate-root style attempt on the fake server: 2 shares, a wrong share resets the progress. */
  function attemptServer(): void {
    let started = false;
    let got: string[] = [];
    const view = (extra: object = {}) => ({ started, nonce: started ? 'nonce-1' : '', progress: got.length, required: 2, complete: false, encoded_token: '', otp: '', otp_length: 28, ...extra });
    handler = (m, p, b) => {
      if (p.endsWith('/attempt') && m === 'GET') return { status: 200, body: view() };
      if (p.endsWith('/attempt') && m === 'POST') { started = true; return { status: 200, body: view({ otp: OTP }) }; }
      if (p.endsWith('/update')) {
        if (b['nonce'] !== 'nonce-1') return { status: 400, body: { errors: ['incorrect nonce supplied'] } };
        got.push(String(b['key']));
        if (got.length < 2) return { status: 200, body: view() };
        const isRight = got.every((k, i) => k === SHARES[i]);
        got = [];
        if (!isRight) return { status: 400, body: { errors: ['DR operation token generation failed: the shares do not reconstruct the primary\'s key; progress was reset, submit the shares again with the same nonce'] } };
        started = false;
        return { status: 200, body: { ...view(), progress: 2, complete: true, encoded_token: encode(TOKEN, OTP) } };
      }
      return { status: 404, body: { errors: [] } };
    };
  }

  it('starts the attempt itself, submits the piped shares and prints the decoded token', async () => {
    attemptServer();
    const r = await cli(['dr', 'operation-token', 'generate'], { stdin: `${SHARES[0]}\n${SHARES[1]}\n` });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`DR operation token: ${TOKEN}`);
    expect(r.err).toContain('Progress: 1/2');
    expect(seen.map((s) => `${s.method} ${s.path.replace(/.*\/generate-operation-token\//, '')}`)).toEqual(['GET attempt', 'POST attempt', 'POST update', 'POST update']);
    expect(seen.slice(2).map((s) => s.body)).toEqual([{ key: SHARES[0], nonce: 'nonce-1' }, { key: SHARES[1], nonce: 'nonce-1' }]);
  });

  it('-init, then one share per call, the last with -otp gives the token; -field=token prints it raw', async () => {
    attemptServer();
    const init = await cli(['dr', 'operation-token', 'generate', '-init', '-format=json']);
    expect(JSON.parse(init.out)).toMatchObject({ started: true, nonce: 'nonce-1', otp: OTP, required: 2 });
    expect((await cli(['dr', 'operation-token', 'generate', SHARES[0] ?? ''])).code).toBe(0);
    const last = await cli(['dr', 'operation-token', 'generate', `-otp=${OTP}`, '-field=token', SHARES[1] ?? '']);
    expect(last).toMatchObject({ code: 0, out: TOKEN });
  });

  it('a share the server refuses prints its error and the progress after it', async () => {
    attemptServer();
    const r = await cli(['dr', 'operation-token', 'generate'], { stdin: `${SHARES[0]}\nshare-wrong-secret\n` });
    expect(r.code).toBe(1);
    expect(r.err).toContain('the server refused the share (HTTP 400): DR operation token generation failed');
    expect(r.err).toContain('progress was reset');
    expect(r.err).toContain('progress is now 0/2');
    const none = await cli(['dr', 'operation-token', 'generate', 'share-x'], {});
    expect(none.code).toBe(0); // the attempt is still started: the share counts
  });

  it('-decode with -otp only decodes, locally; a wrong OTP is a usage error without secrets', async () => {
    handler = () => ({ status: 500, body: { errors: ['must not be called'] } });
    const r = await cli(['dr', 'operation-token', 'generate', `-decode=${encode(TOKEN, OTP)}`, `-otp=${OTP}`]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toContain(TOKEN);
    const bad = await cli(['dr', 'operation-token', 'generate', `-decode=${encode(TOKEN, OTP)}`, '-otp=short']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('the OTP is 5 characters but the encoded token holds 28 bytes');
    expect(seen).toEqual([]);
    expect(decodeWithOtp(encode(TOKEN, OTP), OTP)).toEqual({ ok: true, value: TOKEN });
    expect(decodeWithOtp('%%%', OTP).ok).toBe(false);
  });
});

describe('the dr command group', () => {
  it('coffer dr lists its groups; an unknown word gets the usual help', async () => {
    const help = await cli(['dr', '-h']);
    expect(help.code).toBe(0);
    for (const w of ['status', 'primary', 'secondary', 'operation-token']) expect(help.out).toMatch(new RegExp(`\\n  ${w} `));
    const sec = await cli(['dr', 'secondary', '-h']);
    expect(sec.out).toMatch(/enable +Make this cluster a DR secondary \(WIPES its data\)/);
    const bogus = await cli(['dr', 'bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.err).toContain('coffer: unknown command "dr bogus"');
  });

  it('no token, share or OTP appeared in any error output of this file', () => {
    const text = allErr.join('\n');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [ROOT, ACTIVATION, OP_TOKEN, 'share-one-secret', 'share-two-secret', 'share-wrong-secret', 'hvs.ABCDEFGHIJKLMNOPQRSTUVWX', 'abcdefghijklmnopqrstuvwxyz01', 'hvb.batch']) {
      expect(text, secret).not.toContain(secret);
    }
  });
});
