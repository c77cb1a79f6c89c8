/**
 * The HTTP gateway against real `coffer server` processes (each with its embedded gateway on
 * --api-address) and a stand-alone gateway process in front of them, driven only through the
 * client SDK over HTTP: every sys/health code in its state, init + unseal, KV v2, a write sent to
 * a standby, ACL denial, and a leader SIGKILL that the stand-alone gateway rides out.
 * One cluster for the whole file (the steps build on each other, in order).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferApiError, CofferClient } from '@coffer/client';
import { Cluster, freePort, waitFor } from '../cluster/harness.js';

const GATEWAY_MAIN = fileURLToPath(new URL('../../packages/gateway/dist/main.js', import.meta.url));
const IDS = ['n1', 'n2', 'n3'] as const;

const c = new Cluster();
const api = new Map<string, CofferClient>();
let standalone: { proc: ChildProcess; url: string; stderr: string[] } | undefined;
let rootToken = '';
let keys: string[] = [];
let failed = false;

/** Sends raw bytes and returns what comes back before the server closes (bounded). */
function rawExchange(baseUrl: string, payload: string): Promise<string> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname);
    let got = '';
    const timer = setTimeout(() => { s.destroy(); reject(new Error('no answer within 10 s')); }, 10_000);
    s.setEncoding('utf8').on('data', (d: string) => { got += d; });
    s.on('error', () => undefined);
    s.on('close', () => { clearTimeout(timer); resolve(got); });
    s.on('connect', () => s.write(payload));
  });
}

const http = (id: string): CofferClient => {
  const client = api.get(id);
  if (client === undefined) throw new Error(`no gateway for ${id}`);
  return client;
};

beforeAll(async () => {
  const urls = await c.startWithApi(IDS.length);
  for (const [id, url] of urls) api.set(id, new CofferClient({ address: url, env: {}, timeoutMs: 20_000 }));
});

afterAll(async () => {
  if (failed || process.env['COFFER_CLUSTER_LOGS'] === '1') process.stderr.write(`${c.logs()}\n--- gateway\n${standalone?.stderr.join('\n') ?? ''}\n`);
  standalone?.proc.kill('SIGKILL');
  await c.close();
});

async function leaderAndStandby(): Promise<{ leader: string; standby: string }> {
  const leader = await c.waitForLeader(10_000);
  const standby = IDS.find((id) => id !== leader && c.isRunning(id));
  if (standby === undefined) throw new Error('no standby');
  return { leader, standby };
}

function track<T>(p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => {
    failed = true;
    throw e;
  });
}

describe('gateway over real nodes', () => {
  it('answers 501 on sys/health before init (GET and HEAD), and init goes through a standby', () =>
    track((async () => {
      const { standby } = await leaderAndStandby();
      for (const id of IDS) expect((await http(id).sys.health()).status, id).toBe(501);
      const head = await http(standby).sys.health({}, 'HEAD');
      expect(head).toEqual({ status: 501, body: undefined });
      expect(await http(standby).sys.initStatus()).toBe(false);
      const init = await http(standby).sys.init({ secret_shares: 3, secret_threshold: 2 });
      expect(init.keys).toHaveLength(3);
      expect(init.root_token).not.toBe('');
      keys = init.keys;
      rootToken = init.root_token;
    })()));

  it('answers 503 sealed, then 200 active / 429 standby after unseal over HTTP', () =>
    track((async () => {
      for (const id of IDS) {
        await waitFor(`${id} initialized`, 10_000, async () => ((await http(id).sys.sealStatus()).initialized ? true : undefined));
        expect((await http(id).sys.health()).status, id).toBe(503);
        const first = await http(id).sys.unseal(keys[0]!);
        expect(first).toMatchObject({ sealed: true, progress: 1, t: 2, n: 3 });
        expect((await http(id).sys.unseal(keys[1]!)).sealed).toBe(false);
      }
      const { leader, standby } = await leaderAndStandby();
      expect((await http(leader).sys.health()).status).toBe(200);
      const st = await http(standby).sys.health();
      expect(st.status).toBe(429);
      expect(st.body).toMatchObject({ initialized: true, sealed: false, standby: true });
      expect((await http(standby).sys.health({ standbyok: true })).status).toBe(200);
      expect((await http(standby).sys.health({}, 'HEAD')).status).toBe(429);
      for (const id of IDS) http(id).setToken(rootToken);
    })()));

  it('serves KV v2 on the leader and accepts a write sent to a standby', () =>
    track((async () => {
      const { leader, standby } = await leaderAndStandby();
      const v1 = await http(leader).kv.put('app/db', { password: 'p1' });
      expect(v1.version).toBe(1);
      const v2 = await http(standby).kv.put('app/db', { password: 'p2' });
      expect(v2.version).toBe(2);
      expect((await http(leader).kv.get('app/db'))?.data).toEqual({ password: 'p2' });
      expect((await http(standby).kv.get('app/db', { version: 1 }))?.data).toEqual({ password: 'p1' });
      expect(await http(standby).kv.list('app')).toEqual(['db']);
      expect(await http(leader).kv.get('app/missing')).toBeUndefined();
    })()));

  it('denies with 403 what the token policy does not allow, and a forged token', () =>
    track((async () => {
      const { leader, standby } = await leaderAndStandby();
      await http(leader).policy.write('ro', 'path "secret/data/ro/*" { capabilities = ["read"] }');
      await http(leader).kv.put('ro/a', { v: '1' });
      const child = await http(standby).token.create({ policies: ['ro'] });
      const limited = http(standby).withToken(child.client_token);
      expect((await limited.kv.get('ro/a'))?.data).toEqual({ v: '1' });
      const denied = await limited.kv.put('ro/a', { v: '2' }).catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(CofferApiError);
      expect((denied as CofferApiError).status).toBe(403);
      const forged = await http(leader).withToken('hvs.forged-token').kv.get('app/db').catch((e: unknown) => e);
      expect((forged as CofferApiError).status).toBe(403);
      expect((await http(leader).kv.get('ro/a'))?.data).toEqual({ v: '1' });
    })()));

  it('round-trips transit encrypt/decrypt (mounted at init) through a standby', () =>
    track((async () => {
      const { leader, standby } = await leaderAndStandby();
      await http(standby).transit.createKey('app');
      const ct = await http(standby).transit.encrypt('app', 'attack at dawn');
      expect(ct).toMatch(/^vault:v1:/);
      expect(Buffer.from(await http(leader).transit.decrypt('app', ct)).toString('utf8')).toBe('attack at dawn');
    })()));

  it('refuses bad input with a clear 4xx, changes nothing, and keeps serving', () =>
    track((async () => {
      const { leader } = await leaderAndStandby();
      const base = http(leader).address;
      const bad = await fetch(`${base}/v1/secret/data/app/db`, { method: 'PUT', headers: { 'X-Vault-Token': rootToken }, body: '{"data":{"password":"p3"' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ errors: ['failed to parse JSON input: the request body is not valid JSON'] });
      // 40 MB announced (over the 32 MiB default): refused before a byte of body is read.
      const huge = await rawExchange(base, `PUT /v1/secret/data/app/db HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${rootToken}\r\nContent-Length: 40000000\r\n\r\n`);
      expect(huge).toMatch(/^HTTP\/1\.1 413 /);
      const wrong = await fetch(`${base}/v1/secret/data/app/db`, { method: 'OPTIONS' });
      expect(wrong.status).toBe(405);
      const unknown = await fetch(`${base}/v1/no-such-mount/x`, { headers: { 'X-Vault-Token': rootToken } });
      expect(unknown.status).toBeGreaterThanOrEqual(400);
      expect(Array.isArray(((await unknown.json()) as { errors?: unknown }).errors)).toBe(true);
      const meta = await http(leader).kv.metadata('app/db');
      expect(meta?.current_version).toBe(2);
      expect((await http(leader).kv.get('app/db'))?.data).toEqual({ password: 'p2' });
    })()));

  it('a stand-alone gateway keeps writes going through a leader SIGKILL (bounded gap)', () =>
    track((async () => {
      const port = await freePort();
      const nodes = IDS.map((id) => c.node(id).address).join(',');
      const proc = spawn(process.execPath, [GATEWAY_MAIN, '--listen', `127.0.0.1:${port}`, '--nodes', nodes], { stdio: ['ignore', 'pipe', 'pipe'] });
      const sa = { proc, url: `http://127.0.0.1:${port}`, stderr: [] as string[] };
      standalone = sa;
      proc.stderr?.setEncoding('utf8').on('data', (d: string) => sa.stderr.push(d));
      let out = '';
      proc.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
      await waitFor('stand-alone gateway listening', 10_000, () => (out.includes('gateway listening') ? true : undefined));
      const gw = new CofferClient({ address: sa.url, token: rootToken, env: {}, timeoutMs: 20_000 });
      expect((await gw.sys.health()).status).toBe(200); // it follows the leader

      const { leader } = await leaderAndStandby();
      let lastOkMs = performance.now();
      let maxGapMs = 0;
      let killedAt = -1;
      let afterKill = 0;
      const written: number[] = [];
      const deadline = performance.now() + 30_000;
      for (let i = 0; i < 400 && afterKill < 20 && performance.now() < deadline; i++) {
        const put = gw.kv.put(`kill/${i}`, { i });
        if (i === 15) {
          // Killed while write #15 is in flight: the gateway retries it with the same request id.
          await c.kill(leader, 'SIGKILL');
          killedAt = i;
        }
        await put;
        const now = performance.now();
        maxGapMs = Math.max(maxGapMs, now - lastOkMs);
        lastOkMs = now;
        written.push(i);
        if (killedAt >= 0) afterKill++;
      }
      process.stderr.write(`stand-alone gateway: ${written.length} writes, leader ${leader} killed at #${killedAt}, max gap ${maxGapMs.toFixed(0)} ms\n`);
      expect(killedAt).toBe(15);
      expect(afterKill).toBe(20);
      expect(maxGapMs).toBeLessThan(5_000);
      const { leader: newLeader } = await leaderAndStandby();
      expect(newLeader).not.toBe(leader);
      for (const i of [0, 14, 15, 16, written.at(-1)!]) expect((await gw.kv.get(`kill/${i}`))?.data, `kill/${i}`).toEqual({ i });
      // The write in flight at the kill applied at most once (a retry is answered from the dedup record).
      expect((await gw.kv.metadata('kill/15'))?.current_version).toBe(1);
    })()));
});
