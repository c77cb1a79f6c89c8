/**
 * AWS KMS auto-unseal on real `coffer server` processes and a real moto_server: init returns
 * recovery shares, every node unseals itself; a full restart needs no operator; KMS down at start
 * (nodes stay sealed, say why, and unseal once it is back); the key disabled, then enabled.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, freePort, waitFor } from './harness.js';
import { KmsGate, kms, startMoto, type Moto } from './moto.js';
import { call, errorsOf, sealStatus } from './seal-client.js';

let moto: Moto | undefined;
let gate: KmsGate | undefined;
let cluster: Cluster | undefined;

beforeAll(async () => {
  process.env['AWS_ACCESS_KEY_ID'] = 'test';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  moto = await startMoto();
  gate = await KmsGate.open(moto.url);
});

afterAll(async () => {
  if (cluster !== undefined && process.env['COFFER_CLUSTER_LOGS'] === '1') process.stderr.write(`${cluster.logs()}\n`);
  await cluster?.close();
  await gate?.down();
  await moto?.stop();
});

function startAll(c: Cluster, configs: ReadonlyMap<string, string>, mode: 'bootstrap' | 'join'): void {
  const members = [...c.nodes.values()].map((n) => `${n.id}=${n.address}`).join(',');
  for (const id of c.nodes.keys()) c.spawn(id, [mode === 'bootstrap' ? '--bootstrap' : '--join', members, '--config', configs.get(id) as string]);
}

async function stopAll(c: Cluster): Promise<void> {
  for (const id of c.nodes.keys()) await c.kill(id, 'SIGTERM');
}

function allUnsealed(c: Cluster, timeoutMs = 30_000): Promise<true> {
  return waitFor('every node auto-unsealed', timeoutMs, async () => {
    const sts = await Promise.all([...c.nodes.keys()].map((id) => sealStatus(c, id).catch(() => undefined)));
    return sts.every((s) => s?.sealed === false) ? true : undefined;
  }, 100);
}

function allSealedBecause(c: Cluster, pattern: RegExp, timeoutMs = 30_000): Promise<true> {
  return waitFor(`every node sealed with an error matching ${pattern}`, timeoutMs, async () => {
    const sts = await Promise.all([...c.nodes.keys()].map((id) => sealStatus(c, id).catch(() => undefined)));
    return sts.every((s) => s?.sealed === true && pattern.test(s.last_unseal_error ?? '')) ? true : undefined;
  }, 100);
}

describe('AWS KMS auto-unseal (multi-process, moto_server)', () => {
  it('unseals with no operator; survives KMS down at start and a disabled key', async () => {
    if (moto === undefined || gate === undefined) throw new Error('moto not started');
    const key = await kms(moto.url, 'CreateKey', { Description: 'coffer cluster test', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT' });
    const keyId = (key['KeyMetadata'] as { KeyId: string }).KeyId;
    const c = (cluster = new Cluster());
    const configs = new Map<string, string>();
    for (const id of ['n1', 'n2', 'n3']) {
      const n = c.define(id, await freePort());
      const path = join(c.root, `${id}.json`);
      writeFileSync(path, JSON.stringify({ seal: { awskms: { region: 'us-east-1', kms_key_id: keyId, endpoint: gate.url } } }));
      configs.set(id, path);
      expect(n.id).toBe(id);
    }
    startAll(c, configs, 'bootstrap');
    const leader = await c.waitForLeader(30_000);

    // Init: recovery shares, no unseal shares; every node unseals itself.
    const init = await call(c, leader, 'update', 'sys/init', { recovery_shares: 5, recovery_threshold: 3 });
    expect(init.status, errorsOf(init)).toBe(200);
    const body = init.body as { keys: string[]; recovery_keys: string[] };
    expect(body.keys).toHaveLength(0);
    expect(body.recovery_keys).toHaveLength(5);
    await allUnsealed(c);
    expect(await sealStatus(c, leader)).toMatchObject({ t: 3, n: 5 });

    // Full restart with no operator.
    await stopAll(c);
    startAll(c, configs, 'join');
    await c.waitForLeader(30_000);
    await allUnsealed(c);

    // KMS down at start: sealed, says why, unseals once KMS is back.
    await stopAll(c);
    await gate.down();
    startAll(c, configs, 'join');
    await c.waitForLeader(30_000);
    await allSealedBecause(c, /unreachable/i);
    expect((await call(c, leader, 'read', 'sys/health')).status).toBe(503);
    await gate.up();
    await allUnsealed(c);

    // The key disabled at start: sealed, says to enable it; unseals once enabled.
    await stopAll(c);
    await kms(moto.url, 'DisableKey', { KeyId: keyId });
    startAll(c, configs, 'join');
    await c.waitForLeader(30_000);
    await allSealedBecause(c, /enable/i);
    await kms(moto.url, 'EnableKey', { KeyId: keyId });
    await allUnsealed(c);
  });
});
