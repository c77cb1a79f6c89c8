/**
 * The operator sys endpoints over HTTP against real `coffer server` processes (embedded gateways
 * on --api-address) and one stand-alone gateway: configuration, autopilot state, step-down,
 * snapshot save/restore (with a corrupt file refused), remove-peer and a fresh node joining back
 * through sys/storage/raft/join, and 403 for a non-root token. One cluster for the whole file; the
 * steps build on each other, in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, freePort, waitFor } from '../cluster/harness.js';

const GATEWAY_MAIN = fileURLToPath(new URL('../../packages/gateway/dist/main.js', import.meta.url));
const IDS = ['n1', 'n2', 'n3'] as const;

// Longer election timeouts (0.8-1.6 s) than the default: this suite is about the endpoints, not
// failover, and a 2-core machine shared with other builds must not churn leaders under it.
const c = new Cluster({ electionTicks: 16 });
const apiUrl = new Map<string, string>();
let standalone: { proc: ChildProcess; url: string } | undefined;
let rootToken = '';
let keys: string[] = [];
let failed = false;

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  json<T = Record<string, unknown>>(): T;
}

/** One HTTP call; `base` is a node id (its embedded gateway) or a URL. */
async function call(base: string, method: string, path: string, o: { token?: string; body?: unknown; raw?: Uint8Array } = {}): Promise<Answer> {
  const url = `${apiUrl.get(base) ?? base}/v1/${path}`;
  const headers: Record<string, string> = {};
  const token = o.token ?? rootToken;
  if (token !== '') headers['X-Vault-Token'] = token;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (o.raw !== undefined) {
    body = new Uint8Array(o.raw);
    headers['Content-Type'] = 'application/octet-stream';
  } else if (o.body !== undefined) body = JSON.stringify(o.body);
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(20_000) });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    bytes,
    json: <T,>() => JSON.parse(Buffer.from(bytes).toString('utf8')) as T,
  };
}

const track = <T,>(p: Promise<T>): Promise<T> => p.catch((e: unknown) => { failed = true; throw e; });

async function leaderAndStandby(): Promise<{ leader: string; standby: string }> {
  const leader = await c.waitForLeader(10_000);
  const standby = IDS.find((id) => id !== leader && c.isRunning(id));
  if (standby === undefined) throw new Error('no standby');
  return { leader, standby };
}

async function unsealNode(id: string): Promise<void> {
  await waitFor(`${id} initialized`, 10_000, async () => ((await call(id, 'GET', 'sys/seal-status', { token: '' })).json<{ initialized: boolean }>().initialized ? true : undefined));
  for (const key of keys) await call(id, 'PUT', 'sys/unseal', { token: '', body: { key } });
  expect((await call(id, 'GET', 'sys/seal-status', { token: '' })).json<{ sealed: boolean }>().sealed, id).toBe(false);
}

type Config = { data: { config: { index: number; servers: { node_id: string; address: string; leader: boolean; voter: boolean; protocol_version: string }[] } } };

async function readKv(id: string, key: string): Promise<unknown> {
  const r = await call(id, 'GET', `secret/data/${key}`);
  return r.status === 404 ? undefined : r.json<{ data: { data: unknown } }>().data.data;
}

beforeAll(() => track(startCluster()));

async function startCluster(): Promise<void> {
  for (const [id, url] of await c.startWithApi(IDS.length)) apiUrl.set(id, url);
  // Init straight on the leader's node API, answered once: a retry of PUT sys/init (the gateway's
  // router retries a routing failure with the same request id) is refused "already initialized" by
  // the leader's barrier before the dedup record can answer it, and the keys would be lost. Seen
  // under heavy machine load; reported to the lead (sys-leader.ts/barrier, not this suite's subject).
  const leaderId = await c.waitForLeader(60_000);
  const r = await c.node(leaderId).client.handle({ requestId: { clientId: `init-${process.pid}`, seq: 1 }, operation: 'update', path: 'sys/init', body: { secret_shares: 1, secret_threshold: 1 }, query: {}, token: '' }, 30_000);
  if (!r.ok || r.value.status !== 200 || (r.value.body as { root_token?: string }).root_token === '') throw new Error(`init failed: ${JSON.stringify(r)}`);
  const init = { json: <T,>() => r.value.body as T };
  const initBody = init.json<{ keys: string[]; root_token: string }>();
  keys = initBody.keys;
  rootToken = initBody.root_token;
  for (const id of IDS) await unsealNode(id);
}

afterAll(async () => {
  if (failed || process.env['COFFER_CLUSTER_LOGS'] === '1') process.stderr.write(`${c.logs()}\n`);
  standalone?.proc.kill('SIGKILL');
  await c.close();
});

describe('operator sys endpoints over HTTP', () => {
  it('refuses a non-root token (403) and bad input (400 naming what is wrong)', () =>
    track((async () => {
      const { leader, standby } = await leaderAndStandby();
      const created = await call(leader, 'POST', 'auth/token/create', { body: { policies: ['default'] } });
      const userToken = created.json<{ auth: { client_token: string } }>().auth.client_token;
      for (const [method, path] of [['GET', 'sys/storage/raft/configuration'], ['GET', 'sys/storage/raft/autopilot/state'], ['PUT', 'sys/step-down'], ['GET', 'sys/storage/raft/snapshot'], ['POST', 'sys/storage/raft/remove-peer']] as const) {
        expect((await call(standby, method, path, { token: userToken })).status, `${method} ${path}`).toBe(403);
        expect((await call(standby, method, path, { token: '' })).status, `${method} ${path} without token`).toBe(403);
      }
      expect((await call(standby, 'GET', 'sys/metrics', { token: '' })).status).toBe(403);
      // sys/metrics: this node's own metrics, any valid token, Prometheus text or JSON.
      const prom = await call(standby, 'GET', 'sys/metrics?format=prometheus', { token: userToken });
      expect(prom.status, Buffer.from(prom.bytes).toString().slice(0, 200)).toBe(200);
      expect(prom.contentType).toContain('text/plain');
      const asJson = await call(standby, 'GET', 'sys/metrics');
      expect(asJson.status).toBe(200);
      expect(asJson.contentType).toContain('json');
      expect((await call(standby, 'GET', 'sys/metrics?format=xml')).status).toBe(400);
      const missing = await call(standby, 'POST', 'sys/storage/raft/remove-peer', { body: {} });
      expect(missing.status).toBe(400);
      expect(missing.json<{ errors: string[] }>().errors[0]).toContain('server_id');
      const unknown = await call(standby, 'POST', 'sys/storage/raft/remove-peer', { body: { server_id: 'n9' } });
      expect(unknown.status).toBe(400);
      expect(unknown.json<{ errors: string[] }>().errors[0]).toContain('"n9" is not a member');
      expect((await call(standby, 'GET', 'sys/step-down')).status).toBe(405);
      const noAddr = await call(standby, 'POST', 'sys/storage/raft/join', { body: {} });
      expect(noAddr.status).toBe(400);
      expect(noAddr.json<{ errors: string[] }>().errors[0]).toContain('leader_api_addr');
    })()));

  it('lists 3 voters with one leader (also through a stand-alone gateway) and reports autopilot healthy, failure tolerance 1', () =>
    track((async () => {
      const { standby } = await leaderAndStandby();
      const cfg = (await call(standby, 'GET', 'sys/storage/raft/configuration')).json<Config>().data.config;
      expect(cfg.servers.map((s) => s.node_id).sort()).toEqual(['n1', 'n2', 'n3']);
      expect(cfg.servers.every((s) => s.voter && s.protocol_version === '3')).toBe(true);
      // Exactly one leader (which one may change under load between two calls, so not compared).
      const leaders = cfg.servers.filter((s) => s.leader);
      expect(leaders).toHaveLength(1);
      expect(leaders[0]?.address).toBe(c.node(leaders[0]?.node_id ?? '').address);

      const port = await freePort();
      const proc = spawn(process.execPath, [GATEWAY_MAIN, '--listen', `127.0.0.1:${port}`, '--nodes', IDS.map((id) => c.node(id).address).join(',')], { stdio: ['ignore', 'pipe', 'ignore'] });
      standalone = { proc, url: `http://127.0.0.1:${port}` };
      let out = '';
      proc.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
      await waitFor('stand-alone gateway listening', 10_000, () => (out.includes('gateway listening') ? true : undefined));
      const viaStandalone = await call(standalone.url, 'GET', 'sys/storage/raft/configuration');
      expect(viaStandalone.json<Config>().data.config.servers).toHaveLength(3);

      type Autopilot = { data: { healthy: boolean; failure_tolerance: number; leader: string; voters: string[]; servers: Record<string, { status: string; healthy: boolean; last_index: number; node_status: string }> } };
      const state = await waitFor('autopilot healthy', 10_000, async () => {
        const a = (await call(standby, 'GET', 'sys/storage/raft/autopilot/state')).json<Autopilot>().data;
        return a.healthy ? a : undefined;
      });
      expect(state.failure_tolerance).toBe(1);
      expect([...state.voters].sort()).toEqual(['n1', 'n2', 'n3']);
      expect(state.servers[state.leader]?.status).toBe('leader');
      for (const id of IDS.filter((x) => x !== state.leader)) expect(state.servers[id]).toMatchObject({ status: 'voter', healthy: true, node_status: 'alive' });
    })()));

  it('step-down (sent to a standby) hands leadership to another node', () =>
    track((async () => {
      const { leader, standby } = await leaderAndStandby();
      const r = await call(standby, 'PUT', 'sys/step-down');
      expect(r.status).toBe(204);
      const next = await waitFor('a new leader', 10_000, async () => {
        const l = await c.waitForLeader(10_000);
        return l !== leader ? l : undefined;
      });
      expect(next).not.toBe(leader);
    })()));

  it('restores a saved snapshot on every node (k back to v1, k2 gone) and refuses a corrupt file, changing nothing', () =>
    track((async () => {
      const { leader, standby } = await leaderAndStandby();
      expect((await call(leader, 'POST', 'secret/data/k', { body: { data: { v: 'v1' } } })).status).toBe(200);
      // Saved through the stand-alone gateway: the raw answer crosses it untouched.
      const saved = await call(standalone?.url ?? standby, 'GET', 'sys/storage/raft/snapshot');
      expect(saved.status).toBe(200);
      expect(saved.contentType).toBe('application/octet-stream');
      expect(Buffer.from(saved.bytes.subarray(0, 8)).toString('latin1')).toBe('COFFSNAP');
      // Ciphertext only: the value written above is not in the file in clear.
      expect(Buffer.from(saved.bytes).includes(Buffer.from('"v1"'))).toBe(false);
      expect((await call(standby, 'POST', 'secret/data/k', { body: { data: { v: 'v2' } } })).status).toBe(200);
      expect((await call(leader, 'POST', 'secret/data/k2', { body: { data: { v: 'x' } } })).status).toBe(200);

      const corrupt = saved.bytes.slice();
      corrupt[corrupt.length - 10] = (corrupt[corrupt.length - 10] ?? 0) ^ 0x5a;
      const refused = await call(standby, 'POST', 'sys/storage/raft/snapshot', { raw: corrupt });
      expect(refused.status).toBe(400);
      expect(refused.json<{ errors: string[] }>().errors[0]).toContain('checksum mismatch');
      const truncated = await call(leader, 'POST', 'sys/storage/raft/snapshot', { raw: saved.bytes.subarray(0, saved.bytes.length - 100) });
      expect(truncated.status).toBe(400);
      expect(truncated.json<{ errors: string[] }>().errors[0]).toContain('truncated');
      expect(await readKv(leader, 'k')).toEqual({ v: 'v2' });

      const restored = await call(standby, 'POST', 'sys/storage/raft/snapshot', { raw: saved.bytes });
      expect(restored.status, Buffer.from(restored.bytes).toString()).toBe(204);
      // Same cluster, same keyring: every node stays unsealed and serves the restored state.
      for (const id of IDS) {
        expect(await readKv(id, 'k'), `k via ${id}`).toEqual({ v: 'v1' });
        expect(await readKv(id, 'k2'), `k2 via ${id}`).toBeUndefined();
      }
      // Every replica holds the same state (compared by digest once all applied).
      const sts = await c.waitConverged([...IDS]);
      const digests = await Promise.all(IDS.map(async (id) => (await c.status(id, true))?.state_digest));
      expect(new Set(digests).size, JSON.stringify(sts.map((s) => s.applied))).toBe(1);
    })()));

  it('restores a snapshot taken before a keyring rotation: every node seals, and unseals with the snapshot\'s keys', () =>
    track((async () => {
      const { leader, standby } = await leaderAndStandby();
      const saved = await call(leader, 'GET', 'sys/storage/raft/snapshot');
      expect(saved.status).toBe(200);
      expect((await call(standby, 'PUT', 'sys/rotate')).status).toBe(204);
      expect((await call(leader, 'GET', 'sys/key-status')).json<{ term: number }>().term).toBe(2);
      expect((await call(standby, 'POST', 'secret/data/k', { body: { data: { v: 'v3' } } })).status).toBe(200);
      const restored = await call(standby, 'POST', 'sys/storage/raft/snapshot', { raw: saved.bytes });
      expect(restored.status, Buffer.from(restored.bytes).toString()).toBe(200);
      expect(restored.json<{ warnings: string[] }>().warnings[0]).toContain('sealed');
      // The restored keyring (term 1) is not the one in use (term 2): every node sealed itself.
      for (const id of IDS) {
        await waitFor(`${id} sealed after the restore`, 10_000, async () => ((await call(id, 'GET', 'sys/seal-status', { token: '' })).json<{ sealed: boolean }>().sealed ? true : undefined));
      }
      for (const id of IDS) await unsealNode(id);
      expect((await call(leader, 'GET', 'sys/key-status')).json<{ term: number }>().term).toBe(1);
      for (const id of IDS) expect(await readKv(id, 'k'), `k via ${id}`).toEqual({ v: 'v1' });
      expect((await call(leader, 'POST', 'secret/data/k', { body: { data: { v: 'v4' } } })).status).toBe(200);
      expect(await readKv(standby, 'k')).toEqual({ v: 'v4' });
    })()));

  it('removes a peer, then a fresh node joins back through sys/storage/raft/join and serves after unseal', () =>
    track((async () => {
      const { leader, standby } = await leaderAndStandby();
      const victim = standby;
      expect((await call(leader, 'POST', 'sys/storage/raft/remove-peer', { body: { server_id: victim } })).status).toBe(204);
      const after = (await call(leader, 'GET', 'sys/storage/raft/configuration')).json<Config>().data.config.servers;
      expect(after.map((s) => s.node_id).sort()).toEqual(IDS.filter((id) => id !== victim).sort());
      await c.kill(victim);
      c.wipe(victim);
      // A fresh process: no --bootstrap, no --join, empty data dir.
      const port = Number(new URL(apiUrl.get(victim) ?? '').port);
      c.spawn(victim, ['--api-address', `127.0.0.1:${port}`]);
      const member = IDS.find((id) => id !== victim && id !== leader) ?? leader;
      // Through a member's API URL that is not the leader: the join follows its leader hint.
      const joined = await waitFor(`${victim} join answered`, 60_000, async () => {
        const r = await call(victim, 'POST', 'sys/storage/raft/join', { token: '', body: { leader_api_addr: apiUrl.get(member) } }).catch(() => undefined);
        return r;
      });
      expect(joined.status, Buffer.from(joined.bytes).toString()).toBe(200);
      expect(joined.json()).toEqual({ joined: true });
      const servers = (await call(leader, 'GET', 'sys/storage/raft/configuration')).json<Config>().data.config.servers;
      expect(servers.map((s) => [s.node_id, s.voter]).sort()).toEqual([['n1', true], ['n2', true], ['n3', true]]);
      // Joining again is refused clearly: it is a member now.
      expect((await call(victim, 'POST', 'sys/storage/raft/join', { token: '', body: { leader_api_addr: c.node(leader).address } })).status).toBe(400);
      await unsealNode(victim);
      expect(await readKv(victim, 'k')).toEqual({ v: 'v4' });
    })()));

  it('removing the leader itself hands leadership over first, then removes it', () =>
    track((async () => {
      const { leader, standby } = await leaderAndStandby();
      const r = await call(standby, 'POST', 'sys/storage/raft/remove-peer', { body: { server_id: leader } });
      expect(r.status, Buffer.from(r.bytes).toString()).toBe(204);
      const rest = IDS.filter((id) => id !== leader);
      const next = await c.waitForLeader(10_000, rest);
      expect(next).not.toBe(leader);
      const servers = (await call(next, 'GET', 'sys/storage/raft/configuration')).json<Config>().data.config.servers;
      expect(servers.map((s) => s.node_id).sort()).toEqual([...rest].sort());
      expect(servers.filter((s) => s.leader).map((s) => s.node_id)).toEqual([next]);
    })()));
});
