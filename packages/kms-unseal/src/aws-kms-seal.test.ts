import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { MemoryLogger, type Result } from '@coffer/base';
import { Barrier, MemoryCoreStore, ROOT_KEY_PATH } from '@coffer/barrier';
import { AwsKmsSeal } from './aws-kms-seal.js';
import { unsealWithRetry, type AttemptFailure } from './retry.js';
import { freePort, startMoto, type MotoServer } from './moto.test-harness.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

let moto: MotoServer;
let admin: KMSClient;
const seals: AwsKmsSeal[] = [];
const servers: Server[] = [];

function sealAt(endpoint: string, kmsKeyId: string, logger?: MemoryLogger): AwsKmsSeal {
  const s = new AwsKmsSeal({ region: 'us-east-1', kmsKeyId, endpoint, credentials }, { connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000, ...(logger ? { logger } : {}) });
  seals.push(s);
  return s;
}

async function newKey(): Promise<string> {
  const out = await admin.send(new CreateKeyCommand({ Description: 'coffer test', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT' }));
  const id = out.KeyMetadata?.KeyId;
  if (id === undefined) throw new Error('CreateKey returned no key id');
  return id;
}

/** A TCP forwarder to moto, started on demand: "KMS comes back" at an endpoint that refused connections before. */
function forward(listenPort: number, targetPort: number): Promise<void> {
  const sockets: Socket[] = [];
  const server = createServer((client) => {
    const upstream = createConnection(targetPort, '127.0.0.1');
    sockets.push(client, upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
}

beforeAll(async () => {
  moto = await startMoto();
  admin = new KMSClient({ region: 'us-east-1', endpoint: moto.url, credentials });
}, 30_000);

afterAll(async () => {
  for (const s of seals) s.destroy();
  admin?.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r(undefined)))));
  await moto?.stop();
}, 15_000);

describe('AwsKmsSeal against moto_server', () => {
  it('wraps and unwraps the root key; the blob records the key ARN and holds no plaintext', async () => {
    const keyId = await newKey();
    const seal = sealAt(moto.url, keyId);
    const rootKey = new Uint8Array(32).map((_, i) => i + 1);
    const blob = value(await seal.wrap(rootKey, { clusterId: 'cluster-a' }));
    const json = JSON.parse(new TextDecoder().decode(blob)) as Record<string, string>;
    expect(json['key_id']).toMatch(new RegExp(`^arn:aws:kms:us-east-1:\\d+:key/${keyId}$`));
    expect(Buffer.from(blob).includes(Buffer.from(rootKey))).toBe(false);
    expect(Buffer.from(blob).includes(Buffer.from(Buffer.from(rootKey).toString('base64')))).toBe(false);
    expect(value(await seal.unwrap(blob, { clusterId: 'cluster-a' }))).toEqual(rootKey);
  });

  it('a wrong encryption context (another cluster id) fails as internal and is not retried', async () => {
    const seal = sealAt(moto.url, await newKey());
    const blob = value(await seal.wrap(new Uint8Array(32).fill(9), { clusterId: 'cluster-a' }));
    let attempts = 0;
    const r = await unsealWithRetry(() => (attempts++, seal.unwrap(blob, { clusterId: 'cluster-b' })), { initialDelayMs: 10, maxAttempts: 5 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(!r.ok && r.error.message).toMatch(/encryption context \(cluster id\)/);
    expect(attempts).toBe(1);
  });

  it('KMS down at start, then up: the retry helper unseals', async () => {
    const keyId = await newKey();
    const blob = value(await sealAt(moto.url, keyId).wrap(new Uint8Array(32).fill(3), { clusterId: 'c' }));
    const port = await freePort(); // nothing listens here yet
    const seal = sealAt(`http://127.0.0.1:${port}`, keyId);
    const failures: AttemptFailure[] = [];
    const r = await unsealWithRetry(() => seal.unwrap(blob, { clusterId: 'c' }), {
      initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 50,
      onAttemptFailed: (f) => {
        failures.push(f);
        if (failures.length === 2) void forward(port, moto.port);
      },
    });
    expect(value(r)).toEqual(new Uint8Array(32).fill(3));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]?.error.kind).toBe('unavailable');
    expect(failures[0]?.error.message).toMatch(/unreachable \(ECONNREFUSED\)/);
  }, 20_000);

  it('key disabled: a clear unavailable error (seal-status shows it), then enabled: unseals', async () => {
    const keyId = await newKey();
    const store = new MemoryCoreStore();
    const logger = new MemoryLogger();
    const seal = sealAt(moto.url, keyId, logger);
    const barrier = new Barrier({ store, autoSeal: seal });
    const init = value(await barrier.init({ secretShares: 1, secretThreshold: 1, recoveryShares: 3, recoveryThreshold: 2 }, { nowMs: 1, clusterId: 'c-dis' }));
    expect(init.recoveryKeys).toHaveLength(3);
    expect(init.keys).toEqual([]);
    store.apply(init.writes);
    await admin.send(new DisableKeyCommand({ KeyId: keyId }));
    const first = await barrier.autoUnseal();
    expect(first).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(!first.ok && first.error.message).toMatch(/is Disabled: enable it \(aws kms enable-key --key-id /);
    expect(value(await barrier.status())).toMatchObject({ sealed: true, lastUnsealError: expect.stringMatching(/Disabled/) });
    expect(logger.records.some((rec) => rec.level === 'warn' && /Disabled/.test(String(rec.fields['reason'])))).toBe(true);
    const r = await unsealWithRetry(() => barrier.autoUnseal(), {
      initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 20,
      onAttemptFailed: (f) => {
        if (f.attempt === 1) void admin.send(new EnableKeyCommand({ KeyId: keyId }));
      },
    });
    expect(value(r).sealed).toBe(false);
    // a second node over the same replicated state unseals itself, no operator involved
    const peer = new Barrier({ store, autoSeal: sealAt(moto.url, keyId) });
    expect(value(await peer.autoUnseal()).sealed).toBe(false);
    const rec = value(barrier.encrypt('secret/x', new TextEncoder().encode('v')));
    expect(new TextDecoder().decode(value(peer.decrypt('secret/x', rec)))).toBe('v');
    expect(store.records.get(ROOT_KEY_PATH)).toBeDefined();
  }, 20_000);

  it('configured from the environment: key id, endpoint, region and the SDK credential chain', async () => {
    const keyId = await newKey();
    process.env['AWS_ACCESS_KEY_ID'] = 'test';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
    const env = { VAULT_AWSKMS_SEAL_KEY_ID: keyId, AWS_KMS_ENDPOINT: moto.url, AWS_REGION: 'us-east-1' };
    const seal = value(AwsKmsSeal.fromConfig({ kms_key_id: 'ignored-env-wins' }, env));
    seals.push(seal);
    const blob = value(await seal.wrap(new Uint8Array(32).fill(5), { clusterId: 'e' }));
    expect(value(await seal.unwrap(blob, { clusterId: 'e' }))).toEqual(new Uint8Array(32).fill(5));
  });

  it('an unknown key id says what to check', async () => {
    const seal = sealAt(moto.url, '11111111-2222-3333-4444-555555555555');
    const r = await seal.wrap(new Uint8Array(32), { clusterId: 'x' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(!r.ok && r.error.message).toMatch(/not found.*check kms_key_id and region/);
  });

  it('seal migration Shamir -> AWS KMS: the node then unseals itself through KMS, data intact', async () => {
    const store = new MemoryCoreStore();
    const shamir = new Barrier({ store });
    const init = value(await shamir.init({ secretShares: 3, secretThreshold: 2 }, { nowMs: 1 }));
    store.apply(init.writes);
    for (const k of init.keys.slice(0, 2)) value(await shamir.submitUnsealShare(k));
    const rec = value(shamir.encrypt('secret/m', new TextEncoder().encode('migrated')));
    const kms = sealAt(moto.url, await newKey());
    const migration = value(await shamir.prepareSealMigration(kms, init.keys.slice(1, 3)));
    store.apply(migration.writes, migration.deletes);
    const node = new Barrier({ store, autoSeal: kms });
    expect(value(await node.autoUnseal())).toMatchObject({ sealed: false, type: 'awskms' });
    expect(new TextDecoder().decode(value(node.decrypt('secret/m', rec)))).toBe('migrated');
  });
});
