/**
 * DR replication between two clusters whose nodes talk mutual TLS (one CA for both sites, as the
 * operator guide says): the DR calls ride the cluster port with the nodes' certificates. One node
 * per site (the 3+3 drill runs in dr-drill.test.ts without TLS): link, stream, promote.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasOpenssl, makeCerts } from '../cluster/certs.js';
import { generateOperationToken } from './drill-run.js';
import { drStatus, linkSites, onLeader, startSite, waitCaughtUp, type Site } from './drill.js';

const tlsDir = mkdtempSync(join(tmpdir(), 'coffer-dr-tls-'));
const sites: Site[] = [];
let failed = false;

afterAll(async () => {
  if (failed) for (const s of sites) console.error(`=== ${s.name}\n${s.cluster.logs()}`);
  for (const s of sites) await s.cluster.close();
  rmSync(tlsDir, { recursive: true, force: true });
});

describe.skipIf(!hasOpenssl())('DR replication over mutual TLS', () => {
  it('links, streams and promotes with every DR call on the TLS cluster port', async () => {
    try {
      makeCerts(tlsDir, ['n1']);
      const P = await startSite('P', 1, { tlsDir }, 1, 1);
      sites.push(P);
      const S = await startSite('S', 1, { tlsDir }, 1, 1);
      sites.push(S);
      expect((await onLeader(P, 'POST', 'secret/data/tls/a', { data: { v: 'over-tls' } })).status).toBe(200);
      await linkSites(P, S);
      await waitCaughtUp(S, (await drStatus(P))['last_wal'] as number);
      // After the snapshot, entries stream over the TLS connection.
      expect((await onLeader(P, 'POST', 'secret/data/tls/b', { data: { v: 'streamed' } })).status).toBe(200);
      const streamed = await waitCaughtUp(S, (await drStatus(P))['last_wal'] as number);
      expect(streamed).toMatchObject({ mode: 'secondary', state: 'stream-entries' });
      const token = await generateOperationToken(S, P.keys);
      const promoted = await onLeader(S, 'POST', 'sys/replication/dr/secondary/promote', { dr_operation_token: token }, undefined);
      expect(promoted.status).toBe(200);
      const read = await onLeader(S, 'GET', 'secret/data/tls/a', undefined, P.rootToken);
      expect(read.body?.data?.data).toEqual({ v: 'over-tls' });
      expect((await onLeader(S, 'GET', 'secret/data/tls/b', undefined, P.rootToken)).body?.data?.data).toEqual({ v: 'streamed' });
    } catch (e) {
      failed = true;
      throw e;
    }
  });
});
