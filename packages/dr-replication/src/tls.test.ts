/**
 * DR streaming under mutual TLS, with certificates made by the openssl command line: a CA, the
 * primary's server certificate (SAN IP:127.0.0.1), a secondary client certificate from the same CA,
 * and one from a rogue CA. Skipped when openssl is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SeededRng } from '@coffer/base';
import { activateSecondary, enablePrimary, issueSecondaryToken } from './dr-primary-transitions.js';
import type { DrState } from './dr-state.js';
import { INITIAL_DR_STATE } from './dr-state.js';
import { hashSecret } from './encoding.js';
import { DrPrimaryServer, listenDrPrimary } from './primary-server.js';
import { DrStreamer } from './streamer.js';
import { MemoryDrPrimaryNode, MemoryEntrySink, MemoryEntrySource, systemClock, waitFor } from './testing.js';
import type { DrTlsOptions } from './tls.js';
import { drServerCredentials } from './tls.js';

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
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${name}`, '-days', '1');
}
function makeCert(name: string, ca: string): DrTlsOptions {
  const file = `${name}-${ca}`;
  writeFileSync(join(dir, `${file}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${file}.key`, '-out', `${file}.csr`, '-subj', `/CN=${name}`);
  openssl('x509', '-req', '-in', `${file}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${file}.crt`, '-days', '1', '-extfile', `${file}.ext`);
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return { caPem: read(`${ca}.crt`), certPem: read(`${file}.crt`), keyPem: read(`${file}.key`) };
}

const CRED = 'tls-credential'.padEnd(43, 'k');
function primaryState(): DrState {
  let s: DrState = INITIAL_DR_STATE;
  for (const step of [
    (x: DrState) => enablePrimary(x, { clusterId: 'A', nowMs: 0 }),
    (x: DrState) => issueSecondaryToken(x, { secondaryId: 'dr1', secretHash: hashSecret('s'), nowMs: 0, ttlMs: 1000 }),
    (x: DrState) => activateSecondary(x, { secondaryId: 'dr1', secretHash: hashSecret('s'), credentialHash: hashSecret(CRED), nowMs: 0 }),
  ]) {
    const r = step(s);
    if (!r.ok) throw new Error(r.error.message);
    s = r.value;
  }
  return s;
}

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

describe.skipIf(!hasOpenssl())('DR streaming with mutual TLS', () => {
  const certs = new Map<string, DrTlsOptions>();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-dr-tls-'));
    makeCa('ca');
    makeCa('rogue');
    certs.set('primary', makeCert('primary-n1', 'ca'));
    certs.set('secondary', makeCert('dr-b1', 'ca'));
    certs.set('rogue', makeCert('dr-b1', 'rogue'));
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  const cert = (k: string): DrTlsOptions => {
    const c = certs.get(k);
    if (c === undefined) throw new Error(`no certificate ${k}`);
    return c;
  };

  async function setup(clientTls: DrTlsOptions): Promise<{ sink: MemoryEntrySink; streamer: DrStreamer }> {
    const source = new MemoryEntrySource();
    source.append(200);
    const server = new DrPrimaryServer({ node: new MemoryDrPrimaryNode('A', primaryState()), source, clock: systemClock, heartbeatIntervalMs: 100 });
    const { grpcServer, port } = await listenDrPrimary(server, '127.0.0.1:0', drServerCredentials(cert('primary')));
    stops.push(() => {
      server.close();
      (grpcServer as grpc.Server).forceShutdown();
    });
    const sink = new MemoryEntrySink({ primaryClusterId: 'A', lastAppliedPrimaryIndex: 0 });
    const streamer = new DrStreamer({
      link: { primaryClusterId: 'A', primaryAddresses: [`127.0.0.1:${port}`], secondaryId: 'dr1', credential: CRED },
      epoch: 1,
      sink,
      clock: systemClock,
      rng: new SeededRng(3),
      tls: clientTls,
      reconnectInitialMs: 20,
      reconnectMaxMs: 100,
    });
    streamer.start();
    stops.push(() => streamer.stop());
    return { sink, streamer };
  }

  it('streams with certificates from the DR CA', async () => {
    const { sink } = await setup(cert('secondary'));
    await waitFor('200 applied', () => sink.applied.length === 200);
  });

  it('a client certificate from another CA fails the handshake: nothing is applied', async () => {
    const { sink, streamer } = await setup(cert('rogue'));
    await waitFor('a failed connection', () => streamer.status().lastError !== undefined && streamer.status().reconnects >= 2);
    expect(sink.applied).toEqual([]);
    expect(streamer.status().connectionState).not.toBe('ready');
  });
});
