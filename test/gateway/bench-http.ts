/**
 * A quick HTTP load figure through the embedded gateways of a 3-node cluster (not a test; not the
 * issue's autocannon-vs-etcd benchmark): `concurrency` fetch loops write (then read) 1 KiB KV v2
 * values through the leader's gateway for `seconds` each, and print req/s, p50 and p99.
 *
 *   node --conditions=@coffer/source --import tsx test/gateway/bench-http.ts [concurrency] [seconds]
 */
import { CofferClient } from '@coffer/client';
// The node API client, only for the direct comparison phase (a test script may use any package).
import { Cluster } from '../cluster/harness.js';
import { startUnsealedHttpCluster } from '../cluster/http-cluster.js';

const concurrency = Number(process.argv[2] ?? 64);
const seconds = Number(process.argv[3] ?? 5);
const c = new Cluster();
const ids = ['n1', 'n2', 'n3'];
const apis = new Map<string, string>();
try {
  const ready = await startUnsealedHttpCluster(c, ids.length);
  for (const [id, url] of ready.urls) apis.set(id, url);
  const client = (id: string, token?: string): CofferClient => new CofferClient({ address: apis.get(id) ?? '', env: {}, ...(token !== undefined ? { token } : {}) });
  const lead = ready.leader;
  const value = 'x'.repeat(1024);
  const direct = c.node(lead).client;
  for (const phase of ['write', 'grpc-write', 'read', 'grpc-read'] as const) {
    const lat: number[] = [];
    let errors = 0;
    const endMs = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
      const cl = client(lead, ready.rootToken);
      for (let i = 0; performance.now() < endMs && i < 1_000_000; i++) {
        const t0 = performance.now();
        try {
          if (phase === 'write') await cl.kv.put(`bench/${w}/${i % 5}`, { value });
          else if (phase === 'grpc-write') {
            const r = await direct.handle({ requestId: { clientId: `bench-w-${w}`, seq: i + 1 }, operation: 'update', path: `secret/data/bench/${w}/${i % 5}`, body: { data: { value } }, query: {}, token: ready.rootToken });
            if (!r.ok || r.value.status !== 200) throw new Error('write failed');
          } else if (phase === 'read') await cl.kv.get(`bench/${w}/${i % 5}`);
          else {
            // The same read straight over the node API (no HTTP): what the gateway adds.
            const r = await direct.handle({ requestId: { clientId: `bench-${w}`, seq: i + 1 }, operation: 'read', path: `secret/data/bench/${w}/${i % 5}`, body: undefined, query: {}, token: ready.rootToken });
            if (!r.ok || r.value.status !== 200) throw new Error('read failed');
          }
          lat.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }));
    lat.sort((a, b) => a - b);
    const q = (p: number): string => (lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0).toFixed(1);
    process.stdout.write(`${phase}: ${(lat.length / seconds).toFixed(0)} req/s, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, errors ${errors} (${concurrency} concurrent, ${seconds} s)\n`);
  }
} finally {
  await c.close();
}
