/**
 * Mutual TLS with certificates made by the openssl command line: a cluster CA, node certificates
 * whose CN is the node id (SAN IP:127.0.0.1), and a rogue CA. Skipped when openssl is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nodeId } from '@coffer/base';
import { loadProtos } from '@coffer/wire';
import type { StreamAck__Output } from '@coffer/wire';
import type { TlsOptions } from './options.js';
import { identityMetadata } from './identity.js';
import type { TestNode } from './testing.js';
import { closeAll, heartbeat, startCluster, waitFor } from './testing.js';
import { toWire } from './convert.js';
import { binaryBytes, sampleSnapshot } from './sample-messages.js';

function hasOpenssl(): boolean {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' }).startsWith('OpenSSL');
  } catch {
    return false;
  }
}

let dir = '';
const openssl = (...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
};

function makeCa(name: string): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${name}`, '-days', '1');
}

function makeNodeCert(node: string, ca: string): TlsOptions {
  const file = `${node}-${ca}`;
  writeFileSync(join(dir, `${file}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${file}.key`, '-out', `${file}.csr`, '-subj', `/CN=${node}`);
  openssl('x509', '-req', '-in', `${file}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-out', `${file}.crt`, '-days', '1', '-extfile', `${file}.ext`);
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return { caPem: read(`${ca}.crt`), certPem: read(`${file}.crt`), keyPem: read(`${file}.key`) };
}

const certs = new Map<string, TlsOptions>();
const cert = (key: string): TlsOptions => {
  const c = certs.get(key);
  if (c === undefined) throw new Error(`no certificate ${key}`);
  return c;
};

let nodes: TestNode[] = [];
afterEach(async () => {
  await closeAll(nodes);
  nodes = [];
});

describe.skipIf(!hasOpenssl())('mutual TLS', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-tls-'));
    makeCa('ca');
    makeCa('rogue');
    for (const n of ['n1', 'n2', 'n3']) certs.set(n, makeNodeCert(n, 'ca'));
    certs.set('n1-rogue', makeNodeCert('n1', 'rogue'));
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('carries raft messages and snapshots between nodes with cluster certificates', async () => {
    nodes = await startCluster(['n1', 'n2'], (id) => ({ tls: cert(id) }));
    const [a, b] = nodes as [TestNode, TestNode];
    a.transport.send([heartbeat(a.id, b.id, 1)]);
    b.transport.send([heartbeat(b.id, a.id, 2)]);
    await waitFor('both directions', () => a.inbox.length === 1 && b.inbox.length === 1);
    await waitFor('stream acknowledged', () => a.transport.linkState(b.id) === 'open');
    a.transport.send([sampleSnapshot(a.id, b.id, binaryBytes(3000))]);
    await waitFor('snapshot status', () => a.snapshotStatus.length === 1);
    expect(a.snapshotStatus).toEqual([{ peer: b.id, isOk: true }]);
    expect(b.inbox[1]?.type).toBe('snapshot');
  });

  it('refuses a client that presents no certificate', async () => {
    nodes = await startCluster(['n1', 'n2'], (id) => ({ tls: cert(id) }));
    const [a, b] = nodes as [TestNode, TestNode];
    const { RaftPeer } = loadProtos().coffer.raft.v1;
    const client = new RaftPeer(b.address, grpc.credentials.createSsl(Buffer.from(cert('n1').caPem)));
    try {
      const call = client.Stream(identityMetadata({ clusterId: 'c1', nodeId: a.id }, b.id));
      const outcome = new Promise<grpc.ServiceError | StreamAck__Output>((resolve) => {
        call.on('data', resolve);
        call.on('error', resolve);
      });
      call.write({ seq: 1, messages: [toWire(heartbeat(a.id, b.id, 1))] });
      const r = await outcome;
      expect('code' in r && r.code).toBe(grpc.status.UNAVAILABLE);
      expect(b.inbox).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('refuses a node whose certificate comes from another CA', async () => {
    nodes = await startCluster(['n1', 'n2'], (id) => ({ tls: id === 'n1' ? cert('n1-rogue') : cert(id) }));
    const [a, b] = nodes as [TestNode, TestNode];
    let seq = 0;
    await waitFor('two failed attempts', () => {
      a.transport.send([heartbeat(a.id, b.id, seq++)]);
      return (a.transport.stats().get(b.id)?.streamsBroken ?? 0) >= 2;
    });
    expect(b.inbox).toEqual([]);
    expect(a.unreachable).toContain(b.id);
  });

  it('refuses a node that claims another node id than its certificate names', async () => {
    // n3's certificate, but it says it is n1 (and n1 is a member).
    nodes = await startCluster(['n1', 'n2'], (id) => ({ tls: id === 'n1' ? cert('n3') : cert(id) }));
    const [a, b] = nodes as [TestNode, TestNode];
    a.transport.send([heartbeat(a.id, b.id, 1)]);
    await waitFor('refusal logged', () => a.logger.records.some((r) => r.level === 'error'));
    const e = a.logger.records.find((r) => r.level === 'error');
    expect(e?.msg).toMatch(/peer claims to be n1 but its TLS certificate names n3, localhost/);
    expect(b.inbox).toEqual([]);
  });

  it('refuses a plaintext client', async () => {
    nodes = await startCluster(['n2'], () => ({ tls: cert('n2') }));
    const [b] = nodes as [TestNode];
    const { RaftPeer } = loadProtos().coffer.raft.v1;
    const client = new RaftPeer(b.address, grpc.credentials.createInsecure());
    try {
      const call = client.Stream(identityMetadata({ clusterId: 'c1', nodeId: nodeId('n1') }, b.id));
      const r = await new Promise<grpc.ServiceError | StreamAck__Output>((resolve) => {
        call.on('data', resolve);
        call.on('error', resolve);
        call.write({ seq: 1, messages: [] });
      });
      expect('code' in r && r.code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      client.close();
    }
  });
});
