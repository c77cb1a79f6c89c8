/**
 * Seal lifecycle on real `coffer server` processes (Shamir): init 5/3, unseal per node, a sealed
 * node serves nothing yet catches up, restart -> sealed -> same shares, rotate and rekey while
 * writes run, bad input (nothing changes), and no plaintext anywhere under the data dirs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster, waitFor } from './harness.js';
import { auth, call, errorsOf, newActor, sealStatus, unsealWith, waitInitialized, type Actor } from './seal-client.js';

const clusters: Cluster[] = [];
afterEach(async (ctx) => {
  for (const c of clusters) {
    if (ctx.task.result?.state === 'fail' || process.env['COFFER_CLUSTER_LOGS'] === '1') process.stderr.write(`${c.logs()}\n`);
    await c.close();
  }
  clusters.length = 0;
});

function newCluster(): Cluster {
  const c = new Cluster({ snapshotThreshold: 10, snapshotTrailing: 2 });
  clusters.push(c);
  return c;
}

interface InitBody { keys: string[]; keys_base64: string[]; root_token: string }

async function init(c: Cluster, via: string, shares: number, threshold: number): Promise<InitBody> {
  const r = await call(c, via, 'update', 'sys/init', { secret_shares: shares, secret_threshold: threshold });
  expect(r.status, errorsOf(r)).toBe(200);
  return r.body as InitBody;
}

/** KV needs the root token from init (checked non-empty right after init). */
const kvEnabled = (): boolean => auth.token !== '';

async function writeKv(c: Cluster, via: string, key: string, value: string, who?: Actor): Promise<void> {
  const r = await call(c, via, 'update', `secret/data/${key}`, { data: { value } }, {}, who);
  if (!kvEnabled()) {
    expect(r.status).toBe(403);
    return;
  }
  expect(r.status, `write ${key} via ${via}: ${errorsOf(r)}`).toBe(200);
}

let expectedWhenNoToken: string | undefined;
/** Reads a value; without a token it checks the 403 and returns what the caller expects. */
async function readKv(c: Cluster, via: string, key: string, expected?: string): Promise<string | undefined> {
  expectedWhenNoToken = expected;
  const r = await call(c, via, 'read', `secret/data/${key}`);
  if (!kvEnabled()) {
    expect(r.status).toBe(403);
    return expectedWhenNoToken;
  }
  if (r.status === 404) return undefined;
  expect(r.status, `read ${key} via ${via}: ${errorsOf(r)}`).toBe(200);
  return (r.body as { data: { data: { value: string } } }).data.data.value;
}

/** Sequential KV writes until stopped (bounded): what "while writes run" means here. */
function startWriter(c: Cluster, via: string, prefix: string, atLeast = 10): { stop: () => Promise<number> } {
  let stopped = false;
  let n = 0;
  const who = newActor();
  const done = (async () => {
    for (let i = 0; i < 500 && (!stopped || i < atLeast); i++) {
      await writeKv(c, via, `${prefix}/${i}`, `v${i}`, who);
      n = i + 1;
    }
  })();
  return { stop: async () => { stopped = true; await done; return n; } };
}

async function restartAll(c: Cluster): Promise<void> {
  for (const id of c.nodes.keys()) await c.kill(id, 'SIGTERM');
  for (const id of c.nodes.keys()) c.restart(id);
  await c.waitForLeader(30_000);
}

function* filesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* filesUnder(p);
    else yield p;
  }
}

describe('seal, unseal, rotate, rekey (multi-process, Shamir)', () => {
  it('runs the whole lifecycle and leaves no plaintext on disk', async () => {
    const c = newCluster();
    await c.start(3);
    const leader = await c.waitForLeader(30_000);
    const ids = [...c.nodes.keys()];
    const followers = ids.filter((id) => id !== leader);
    const [f1, f2] = followers as [string, string];

    // Uninitialized: no data, init validates its input.
    expect((await sealStatus(c, f1)).initialized).toBe(false);
    expect((await call(c, f1, 'read', 'secret/data/x')).status).toBe(503);
    const above = await call(c, f1, 'update', 'sys/init', { secret_shares: 3, secret_threshold: 4 });
    expect(above.status).toBe(400);
    expect((await call(c, f1, 'read', 'sys/init')).body).toEqual({ initialized: false });

    // Init through a follower (forwarded to the leader), 5 shares / threshold 3.
    const keys = await init(c, f1, 5, 3);
    expect(keys.keys).toHaveLength(5);
    expect(keys.keys_base64).toHaveLength(5);
    expect(keys.root_token).toMatch(/^\S{8,}$/);
    auth.token = keys.root_token;
    const again = await call(c, f2, 'update', 'sys/init', { secret_shares: 5, secret_threshold: 3 });
    expect(again.status).toBe(400);
    expect(errorsOf(again)).toMatch(/already initialized/);
    for (const id of ids) await waitInitialized(c, id);
    for (const id of ids) expect(await sealStatus(c, id)).toMatchObject({ initialized: true, sealed: true, t: 3, n: 5, progress: 0 });

    // A share from another cluster (its own 1-node cluster), for the bad-input checks below.
    const other = newCluster();
    await other.start(1);
    await other.waitForLeader(30_000);
    const token = auth.token;
    const foreign = await init(other, 'n1', 5, 3);
    auth.token = token;
    await other.close(); // only its shares are needed

    // Bad input on the leader: each refused clearly, nothing advanced wrongly.
    const malformed = await call(c, leader, 'update', 'sys/unseal', { key: 'not-a-share!' });
    expect(malformed.status).toBe(400);
    expect((await sealStatus(c, leader)).progress).toBe(0);
    const s1 = (await call(c, leader, 'update', 'sys/unseal', { key: keys.keys[0] })).body as { progress: number; nonce: string };
    expect(s1.progress).toBe(1);
    expect(s1.nonce).not.toBe('');
    const dup = await call(c, leader, 'update', 'sys/unseal', { key: keys.keys_base64[0] });
    expect(dup.status).toBe(400);
    expect((await sealStatus(c, leader)).progress).toBe(1);
    const reset = (await call(c, leader, 'update', 'sys/unseal', { reset: true })).body as { progress: number; nonce: string };
    expect(reset).toMatchObject({ progress: 0, nonce: '' });
    await unsealWith(c, leader, [keys.keys[0] as string, keys.keys[1] as string]);
    const wrong = await call(c, leader, 'update', 'sys/unseal', { key: foreign.keys[2] });
    expect(wrong.status).toBe(400);
    expect(errorsOf(wrong)).toMatch(/do not reconstruct/);
    expect(await sealStatus(c, leader)).toMatchObject({ sealed: true, progress: 0 });

    // Unseal the leader and one follower; f2 stays sealed.
    expect((await unsealWith(c, leader, keys.keys.slice(0, 3))).sealed).toBe(false);
    expect((await unsealWith(c, f1, keys.keys.slice(2, 5))).sealed).toBe(false);

    // KV v2 through Handle, via the leader and via a standby (forwarded).
    const canary = `canary-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    await writeKv(c, leader, 'app/one', canary);
    await writeKv(c, f1, 'app/two', `${canary}-2`);
    expect(await readKv(c, f1, 'app/one', canary)).toBe(canary);

    // A sealed node serves nothing, yet applies the log.
    const sealedRead = await call(c, f2, 'read', 'secret/data/app/one');
    expect(sealedRead.status).toBe(503);
    expect(errorsOf(sealedRead)).toMatch(/Coffer is sealed/);
    expect((await call(c, f2, 'update', 'secret/data/app/x', { data: { value: 'nope' } })).status).toBe(503);
    expect((await call(c, f2, 'read', 'sys/health')).status).toBe(503);
    await c.waitConverged(ids);
    expect((await call(c, leader, 'read', 'sys/health')).status).toBe(200);
    expect((await call(c, f1, 'read', 'sys/health')).status).toBe(429);
    expect((await call(c, f1, 'read', 'sys/health', undefined, { standbyok: 'true' })).status).toBe(200);
    expect((await unsealWith(c, f2, keys.keys_base64.slice(1, 4))).sealed).toBe(false);
    expect(await readKv(c, f2, 'app/two', `${canary}-2`)).toBe(`${canary}-2`);

    // sys/seal needs a root token; with it the node seals and serves nothing until unsealed again.
    const rootToken = auth.token;
    auth.token = '';
    expect((await call(c, f2, 'update', 'sys/seal')).status).toBe(403);
    expect((await sealStatus(c, f2)).sealed).toBe(false);
    auth.token = 'not-a-token';
    expect((await call(c, f2, 'update', 'sys/rotate')).status).toBe(403);
    auth.token = rootToken;
    expect((await call(c, f2, 'update', 'sys/seal')).status).toBe(204);
    expect((await call(c, f2, 'read', 'secret/data/app/one')).status).toBe(503);
    expect((await unsealWith(c, f2, keys.keys.slice(0, 3))).sealed).toBe(false);

    // Restart every node: sealed again, the same shares unseal, the data is intact.
    await restartAll(c);
    for (const id of ids) expect(await sealStatus(c, id)).toMatchObject({ initialized: true, sealed: true, progress: 0 });
    for (const id of ids) expect((await unsealWith(c, id, keys.keys.slice(1, 4))).sealed).toBe(false);
    const l2 = await c.waitForLeader();
    expect(await readKv(c, l2, 'app/one', canary)).toBe(canary);

    // Rotate while writes run: every node installs the new term, old data still reads.
    const before = (await call(c, l2, 'read', 'sys/key-status')).body as { term: number };
    const writer = startWriter(c, l2, 'rot');
    const rotated = await call(c, ids.find((id) => id !== l2) as string, 'update', 'sys/rotate');
    expect(rotated.status, errorsOf(rotated)).toBe(204);
    const written = await writer.stop();
    for (const id of ids) {
      await waitFor(`term ${before.term + 1} on ${id}`, 10_000, async () => (((await call(c, id, 'read', 'sys/key-status')).body as { term: number }).term === before.term + 1 ? true : undefined));
    }
    expect(await readKv(c, l2, 'app/one', canary)).toBe(canary);
    expect(await readKv(c, l2, `rot/${Math.max(0, written - 1)}`, `v${Math.max(0, written - 1)}`)).toBe(`v${Math.max(0, written - 1)}`);

    // Rekey while writes run: 3 of the old shares authorize 4 new shares, threshold 2.
    const writer2 = startWriter(c, l2, 'rekey');
    const started = await call(c, l2, 'update', 'sys/rekey/init', { secret_shares: 4, secret_threshold: 2 });
    expect(started.status, errorsOf(started)).toBe(200);
    const nonce = (started.body as { nonce: string }).nonce;
    const badNonce = await call(c, l2, 'update', 'sys/rekey/update', { key: keys.keys[0], nonce: 'wrong' });
    expect(badNonce.status).toBe(400);
    let done: { complete?: boolean; keys?: string[] } = {};
    for (const key of keys.keys.slice(0, 3)) {
      const u = await call(c, l2, 'update', 'sys/rekey/update', { key, nonce });
      expect(u.status, errorsOf(u)).toBe(200);
      done = u.body as typeof done;
    }
    await writer2.stop();
    expect(done.complete).toBe(true);
    const newKeys = done.keys ?? [];
    expect(newKeys).toHaveLength(4);
    await c.waitConverged(ids);

    // After a restart, old shares fail and the new ones (threshold 2) unseal.
    await restartAll(c);
    const victim = ids[0] as string;
    expect(await sealStatus(c, victim)).toMatchObject({ sealed: true, t: 2, n: 4 });
    await unsealWith(c, victim, [keys.keys[0] as string]);
    const old = await call(c, victim, 'update', 'sys/unseal', { key: keys.keys[1] });
    expect(old.status).toBe(400);
    expect((await sealStatus(c, victim)).sealed).toBe(true);
    for (const id of ids) expect((await unsealWith(c, id, newKeys.slice(2, 4))).sealed).toBe(false);
    const l3 = await c.waitForLeader();
    expect(await readKv(c, l3, 'app/one', canary)).toBe(canary);
    expect(await readKv(c, l3, 'app/two', `${canary}-2`)).toBe(`${canary}-2`);
    const status = await c.status(l3);
    if (kvEnabled()) expect(Number(status?.snapshot_index ?? 0)).toBeGreaterThan(0); // snapshots were taken and are scanned too

    // No plaintext on disk: stop everything, then search every file of every node.
    for (const id of ids) await c.kill(id, 'SIGTERM');
    const needles: { what: string; bytes: Buffer }[] = [];
    const addNeedle = (what: string, text: string): void => {
      needles.push({ what, bytes: Buffer.from(text) }, { what: `${what} (base64)`, bytes: Buffer.from(Buffer.from(text).toString('base64').replace(/=+$/, '')) }, { what: `${what} (hex)`, bytes: Buffer.from(Buffer.from(text).toString('hex')) });
    };
    addNeedle('canary', canary);
    addNeedle('root token', keys.root_token);
    for (const [i, k] of [...keys.keys, ...newKeys].entries()) {
      needles.push({ what: `share ${i} (hex text)`, bytes: Buffer.from(k) }, { what: `share ${i} (raw)`, bytes: Buffer.from(k, 'hex') });
    }
    let scanned = 0;
    for (const id of ids) {
      for (const file of filesUnder(c.node(id).dataDir)) {
        const content = readFileSync(file);
        scanned += content.length;
        for (const n of needles) expect(content.includes(n.bytes), `${n.what} found in ${file}`).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(10_000);
  });
});
