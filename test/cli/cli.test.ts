/**
 * The BUILT `coffer` CLI (node packages/cli/dist/main.js) against a real 3-node cluster (embedded
 * gateways on --api-address), as an operator would drive it: init + unseal, status exit codes,
 * KV v2, transit through the generic commands, policies, tokens and a denied read, audit, rekey,
 * usage errors, a sealed node's message, and a stand-alone `coffer gateway` in front of the cluster.
 * One cluster for the whole file; the steps build on each other, in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferClient } from '@coffer/client';
import { CLI, Cluster, freePort, waitFor } from '../cluster/harness.js';
import { runCli, type CliRun } from '../cluster/run-cli.js';

const IDS = ['n1', 'n2', 'n3'] as const;
// A longer election timeout than the default (6 ticks): on a loaded CI machine a stalled event loop
// must not move the leader in the middle of a rekey (its progress lives on the leader, as Vault's).
const c = new Cluster({ electionTicks: 20 });
const apiUrl = new Map<string, string>();
const tmp = mkdtempSync(join(tmpdir(), 'coffer-cli-'));
let gateway: ChildProcess | undefined;
let gatewayErr = '';
let keys: string[] = [];
let rootToken = '';
let failed = false;

type Run = CliRun;

/** Runs the built CLI with COFFER_ADDR/COFFER_TOKEN (HOME is empty: no stored token). Bounded at 30 s. */
function coffer(args: readonly string[], o: { addr?: string; token?: string | null; stdin?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: tmp, COFFER_ADDR: o.addr ?? apiUrl.get('n1') ?? '' };
  const token = o.token === undefined ? rootToken : o.token;
  if (token !== null && token !== '') env['COFFER_TOKEN'] = token;
  return runCli(args, env, o.stdin ?? '');
}

/** A run that must succeed; its output otherwise shows in the failure. */
async function ok(args: readonly string[], o: Parameters<typeof coffer>[1] = {}): Promise<string> {
  const r = await coffer(args, o);
  expect(r.code, `coffer ${args.join(' ')}: ${r.err}`).toBe(0);
  return r.out;
}

function track(fn: () => Promise<void>): () => Promise<void> {
  return () => fn().catch((e: unknown) => {
    failed = true;
    throw e;
  });
}

beforeAll(() => track(startCluster)());

async function startCluster(): Promise<void> {
  for (const [id, url] of await c.startWithApi(IDS.length)) apiUrl.set(id, url);
}

afterAll(async () => {
  if (failed || process.env['COFFER_CLUSTER_LOGS'] === '1') process.stderr.write(`${c.logs()}\n--- gateway\n${gatewayErr}\n`);
  gateway?.kill('SIGKILL');
  await c.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('coffer CLI against a real cluster', () => {
  it('status exits 2 before init; operator init -format=json returns the shares and root token', track(async () => {
    const before = await coffer(['status'], { token: null });
    expect(before.code).toBe(2);
    expect(before.out).toMatch(/Initialized\s+false/);
    const init = JSON.parse(await ok(['operator', 'init', '-key-shares=3', '-key-threshold=2', '-format=json'], { token: null })) as {
      unseal_keys_b64: string[]; unseal_keys_hex: string[]; unseal_threshold: number; root_token: string;
    };
    expect(init.unseal_keys_b64).toHaveLength(3);
    expect(init.unseal_threshold).toBe(2);
    expect(init.root_token).not.toBe('');
    keys = init.unseal_keys_b64;
    rootToken = init.root_token;
  }));

  it('a sealed node says to unseal; unseal (argument and piped stdin) on each node; status exits 0', track(async () => {
    for (const id of IDS) {
      const addr = apiUrl.get(id) ?? '';
      const probe = new CofferClient({ address: addr, env: {}, timeoutMs: 5000 });
      await waitFor(`${id} initialized`, 10_000, async () => ((await probe.sys.sealStatus().catch(() => undefined))?.initialized === true ? true : undefined));
      if (id === 'n1') {
        const sealed = await coffer(['kv', 'get', 'secret/app/db'], { addr });
        expect(sealed.code).toBe(1);
        expect(sealed.err).toContain('Coffer is sealed: run coffer operator unseal');
        expect(sealed.err).not.toContain(rootToken);
      }
      const first = await ok(['operator', 'unseal', keys[0] ?? ''], { addr });
      expect(first).toMatch(/Unseal Progress\s+1\/2/);
      const second = await ok(['operator', 'unseal'], { addr, stdin: `${keys[1] ?? ''}\n` });
      expect(second).toMatch(/Sealed\s+false/);
      const st = await coffer(['status'], { addr });
      expect(st.code, st.err).toBe(0);
      expect(st.out).toMatch(/HA Enabled\s+true/);
    }
  }));

  it('kv put/get/-field/-version/patch/list/delete/undelete/destroy/metadata get', track(async () => {
    const put = await ok(['kv', 'put', 'secret/app/db', 'password=s3cret']);
    expect(put).toContain('secret/data/app/db');
    expect(put).toMatch(/version\s+1/);
    writeFileSync(join(tmp, 'pw.txt'), 'p2');
    await ok(['kv', 'put', '-mount=secret', 'app/db', `password=@${join(tmp, 'pw.txt')}`]);
    expect(await ok(['kv', 'get', '-field=password', 'secret/app/db'])).toBe('p2');
    expect(await ok(['kv', 'get', '-mount=secret', '-version=1', '-field=password', 'app/db'])).toBe('s3cret');
    await ok(['kv', 'patch', 'secret/app/db', 'user=-'], { stdin: 'bob' });
    const got = JSON.parse(await ok(['kv', 'get', '-format=json', 'secret/app/db'])) as { data: { data: Record<string, string>; metadata: { version: number } } };
    expect(got.data).toMatchObject({ data: { password: 'p2', user: 'bob' }, metadata: { version: 3 } });
    const table = await ok(['kv', 'get', 'secret/app/db']);
    expect(table).toMatch(/====== Data ======\nKey\s+Value\n---\s+-----\npassword\s+p2\nuser\s+bob/);
    expect(await ok(['kv', 'list', 'secret/app'])).toBe('Keys\n----\ndb\n');
    expect(JSON.parse(await ok(['kv', 'list', '-format=json', '-mount=secret', 'app']))).toEqual(['db']);

    await ok(['kv', 'delete', 'secret/app/db']);
    const gone = await coffer(['kv', 'get', 'secret/app/db']);
    expect(gone.code).toBe(2);
    expect(gone.err).toContain('No value found at secret/data/app/db');
    await ok(['kv', 'undelete', '-versions=3', 'secret/app/db']);
    expect(await ok(['kv', 'get', '-field=user', 'secret/app/db'])).toBe('bob');
    await ok(['kv', 'destroy', '-versions=1', 'secret/app/db']);
    expect((await coffer(['kv', 'get', '-version=1', 'secret/app/db'])).code).toBe(2);
    const meta = await ok(['kv', 'metadata', 'get', 'secret/app/db']);
    expect(meta).toMatch(/current_version\s+3/);
    expect(meta).toMatch(/= Version 1 =+\nKey\s+Value\n---\s+-----\ncreated_time\s+\S+\ndeletion_time\s+n\/a\ndestroyed\s+true/);
  }));

  it('write/read on transit paths through the generic commands', track(async () => {
    expect(await ok(['write', '-f', 'transit/keys/app'])).toContain('Success! Data written to: transit/keys/app');
    const enc = JSON.parse(await ok(['write', '-format=json', 'transit/encrypt/app', 'plaintext=aGVsbG8='])) as { data: { ciphertext: string } };
    expect(enc.data.ciphertext).toMatch(/^vault:v1:/);
    expect(await ok(['write', '-field=plaintext', 'transit/decrypt/app', `ciphertext=${enc.data.ciphertext}`])).toBe('aGVsbG8=');
    expect(await ok(['read', 'transit/keys/app'])).toMatch(/type\s+aes256-gcm96/);
  }));

  it('policy write/read/list; a token with that policy reads what it may and is denied the rest', track(async () => {
    const rules = 'path "secret/data/ro/*" { capabilities = ["read"] }\n';
    expect(await ok(['policy', 'write', 'ro', '-'], { stdin: rules })).toBe('Success! Uploaded policy: ro\n');
    expect(await ok(['policy', 'read', 'ro'])).toBe(rules);
    expect((await ok(['policy', 'list'])).split('\n')).toContain('ro');
    await ok(['kv', 'put', 'secret/ro/a', 'v=1']);
    const child = await ok(['token', 'create', '-policy=ro', '-ttl=1h', '-display-name=cli-test', '-field=token']);
    expect(child).toMatch(/^\S+$/);
    expect(await ok(['kv', 'get', '-field=v', 'secret/ro/a'], { token: child })).toBe('1');
    const denied = await coffer(['kv', 'get', 'secret/app/db'], { token: child });
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('permission denied: the token lacks a policy for secret/data/app/db (coffer token lookup)');
    expect(denied.err).not.toContain(child);
    expect(await ok(['token', 'lookup'], { token: child })).toMatch(/policies\s+\[default ro\]/);
    const renewed = await ok(['token', 'renew', '-format=json', '-'], { stdin: child });
    expect((JSON.parse(renewed) as { auth: { policies: string[] } }).auth.policies).toContain('ro');
    await ok(['token', 'revoke', '-'], { stdin: child });
    expect((await coffer(['kv', 'get', 'secret/ro/a'], { token: child })).code).toBe(1);
    const none = await coffer(['kv', 'get', 'secret/ro/a'], { token: null });
    expect(none.err).toContain('no token: set COFFER_TOKEN or run coffer login');
  }));

  it('audit enable file + list; rotate and key-status; usage errors exit 2', track(async () => {
    const log = join(tmp, 'audit.log');
    expect(await ok(['audit', 'enable', 'file', `file_path=${log}`])).toBe('Success! Enabled the file audit device at: file/\n');
    expect(await ok(['audit', 'list'])).toMatch(/^Path\s+Type\s+Description\n-+\s+-+\s+-+\nfile\/\s+file\s+n\/a\n$/);
    await ok(['kv', 'get', 'secret/ro/a']);
    await waitFor('an audit line', 5000, () => (readFileSync(log, 'utf8').includes('secret/data/ro/a') ? true : undefined));
    const before = JSON.parse(await ok(['operator', 'key-status', '-format=json'])) as { term: number };
    expect(await ok(['operator', 'rotate'])).toMatch(new RegExp(`Key Term\\s+${before.term + 1}`));
    for (const argv of [['kv', 'put', 'secret/x'], ['kv', 'get', '-nope', 'secret/x'], ['operator', 'bogus'], ['status', '-format=xml']]) {
      expect((await coffer(argv)).code, argv.join(' ')).toBe(2);
    }
  }));

  it('operator rekey: -init, -status, the current shares one per call, then the new shares (they unseal the joining node below)', track(async () => {
    const init = await ok(['operator', 'rekey', '-init', '-key-shares=2', '-key-threshold=2']);
    expect(init).toMatch(/Started\s+true/);
    expect(await ok(['operator', 'rekey', '-status'])).toMatch(/Rekey Progress\s+0\/2/);
    expect(await ok(['operator', 'rekey', keys[0] ?? ''])).toMatch(/Rekey Progress\s+1\/2/);
    expect(await ok(['operator', 'rekey', '-status'])).toMatch(/Rekey Progress\s+1\/2/);
    const done = await ok(['operator', 'rekey'], { stdin: keys[1] ?? '' });
    const fresh = [...done.matchAll(/^Key \d+: (\S+)$/gm)].map((m) => m[1] ?? '');
    expect(fresh).toHaveLength(2);
    keys = fresh;
  }));

  it('a stand-alone coffer gateway in front of the cluster serves kv get', track(async () => {
    const port = await freePort();
    const nodes = IDS.map((id) => c.node(id).address).join(',');
    const p = spawn(process.execPath, [CLI, 'gateway', '--nodes', nodes, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    gateway = p;
    let out = '';
    p.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
    p.stderr?.setEncoding('utf8').on('data', (d: string) => { gatewayErr += d; });
    await waitFor('coffer gateway listening', 15_000, () => (out.includes('gateway listening') ? true : undefined));
    const addr = `http://127.0.0.1:${port}`;
    expect(await ok(['kv', 'get', '-field=user', 'secret/app/db'], { addr })).toBe('bob');
    expect((await coffer(['status'], { addr })).code).toBe(0);
  }));

  it('operator raft: list-peers, autopilot state, snapshot save/restore, join of a fresh node, remove-peer, step-down', track(async () => {
    const peers = await ok(['operator', 'raft', 'list-peers']);
    expect(peers).toMatch(/^Node\s+Address\s+State\s+Voter\n/);
    expect(peers.match(/^n\d\s+127\.0\.0\.1:\d+\s+(leader|follower)\s+true$/gm)).toHaveLength(3);
    const conf = JSON.parse(await ok(['operator', 'raft', 'list-peers', '-format=json'])) as { data: { config: { servers: { node_id: string }[] } } };
    expect(conf.data.config.servers.map((s) => s.node_id).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(await ok(['operator', 'raft', 'autopilot', 'state'])).toMatch(/^Healthy:\s+true\nFailure Tolerance:\s+1\nLeader:\s+n\d\nVoters:\n/);

    const snap = join(tmp, 'coffer.snap');
    expect(await ok(['operator', 'raft', 'snapshot', 'save', snap])).toBe('');
    expect(readFileSync(snap).length).toBeGreaterThan(0);
    await ok(['kv', 'put', 'secret/after-snapshot', 'v=1']);
    await ok(['operator', 'raft', 'snapshot', 'restore', snap]);
    const after = await coffer(['kv', 'get', 'secret/after-snapshot']);
    expect(after.code, after.err).toBe(2);
    expect(await ok(['kv', 'get', '-field=user', 'secret/app/db'])).toBe('bob');

    // A fresh node (no --bootstrap, empty data dir) joins through the CLI, then is unsealed.
    c.define('n4', await freePort());
    const port = await freePort();
    const n4 = `http://127.0.0.1:${port}`;
    c.spawn('n4', ['--api-address', `127.0.0.1:${port}`]);
    const n4Client = new CofferClient({ address: n4, env: {}, timeoutMs: 5000 });
    await waitFor('n4 gateway', 15_000, async () => ((await n4Client.sys.health().catch(() => undefined)) !== undefined ? true : undefined));
    expect(await ok(['operator', 'raft', 'join', apiUrl.get('n1') ?? ''], { addr: n4, token: null })).toMatch(/Joined\s+true/);
    for (const k of keys) await ok(['operator', 'unseal', k], { addr: n4, token: null });
    expect((await coffer(['status'], { addr: n4 })).code).toBe(0);
    expect(await ok(['operator', 'raft', 'list-peers'])).toMatch(/^n4\s+127\.0\.0\.1:\d+\s+follower\s+true$/m);
    expect(await ok(['operator', 'raft', 'remove-peer', 'n4'])).toBe('Peer removed successfully!\n');
    expect(await ok(['operator', 'raft', 'list-peers'])).not.toMatch(/^n4/m);
    await c.kill('n4');

    const leader = await c.waitForLeader(10_000, [...IDS]);
    const leaderAddr = apiUrl.get(leader) ?? '';
    expect(await ok(['operator', 'step-down'], { addr: leaderAddr })).toBe(`Success! Stepped down: ${leaderAddr}\n`);
    await waitFor('a new leader', 15_000, async () => {
      const now = await c.waitForLeader(10_000, [...IDS]).catch(() => undefined);
      return now !== undefined && now !== leader ? now : undefined;
    });
  }));
});
