/**
 * Profiles a 3-node cluster under HTTP KV v2 load through the leader's embedded gateway:
 * `node --conditions=@coffer/source --import tsx scripts/prof-http.ts [write|read] [seconds] [concurrency]`.
 * Every server runs with --cpu-prof; profiles land in .coffer/prof/ when the servers stop
 * (SIGTERM). Summarise with `node scripts/prof-summary.mjs .coffer/prof/<file>.cpuprofile`.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CofferClient } from '@coffer/client';
import { Cluster } from '../test/cluster/harness.js';
import { startUnsealedHttpCluster } from '../test/cluster/http-cluster.js';

const mode = process.argv[2] === 'read' ? 'read' : 'write';
const seconds = Number(process.argv[3] ?? 6);
const concurrency = Number(process.argv[4] ?? 64);
const dir = resolve('.coffer/prof');
mkdirSync(dir, { recursive: true });
process.env['COFFER_NODE_ARGS'] = `--cpu-prof --cpu-prof-dir=${dir}`;
const c = new Cluster();
const apis = new Map<string, string>();
try {
  const ids = ['n1', 'n2', 'n3'];
  const ready = await startUnsealedHttpCluster(c, ids.length);
  for (const [id, url] of ready.urls) apis.set(id, url);
  const client = (id: string, token?: string): CofferClient => new CofferClient({ address: apis.get(id) ?? '', env: {}, ...(token !== undefined ? { token } : {}) });
  const lead = ready.leader;
  const value = 'x'.repeat(1024);
  const root = client(lead, ready.rootToken);
  for (let k = 0; k < 320; k++) await root.kv.put(`bench/${k % 64}/${k % 5}`, { value });
  let ops = 0;
  const endMs = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    const cl = client(lead, ready.rootToken);
    for (let i = 0; performance.now() < endMs && i < 1_000_000; i++) {
      if (mode === 'write') await cl.kv.put(`bench/${w}/${i % 5}`, { value });
      else await cl.kv.get(`bench/${w}/${i % 5}`);
      ops++;
    }
  }));
  process.stdout.write(`${mode}s via ${lead}'s gateway: ${(ops / seconds).toFixed(0)} req/s (${concurrency} concurrent); leader was ${lead}\n`);
  for (const id of c.nodes.keys()) await c.kill(id, 'SIGTERM');
} finally {
  await c.close();
}
