/**
 * Profiles a 3-node cluster under write load: `node --conditions=@coffer/source --import tsx
 * scripts/prof-cluster.ts [seconds]`. Every server runs with --cpu-prof; profiles land in
 * .coffer/prof/ when the servers stop (SIGTERM). Open them in Chrome DevTools, or summarise with
 * `node scripts/prof-summary.mjs .coffer/prof/<file>.cpuprofile`.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeKvCommand, utf8 } from '@coffer/node';
import { Cluster } from '../test/cluster/harness.js';

const seconds = Number(process.argv[2] ?? 6);
const dir = resolve('.coffer/prof');
mkdirSync(dir, { recursive: true });
process.env['COFFER_NODE_ARGS'] = `--cpu-prof --cpu-prof-dir=${dir}`;
const cluster = new Cluster();
try {
  await cluster.start(3);
  const leader = await cluster.waitForLeader(15_000);
  const value = utf8('v'.repeat(1024));
  let ops = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 64 }, async (_, c) => {
      for (let seq = 1; performance.now() < end; seq++) {
        const cmd = encodeKvCommand({ op: 'put', key: utf8(`p${c}/${seq % 500}`), value });
        if ((await cluster.node(leader).client.propose({ clientId: `p${c}`, seq }, cmd, 5000)).ok) ops++;
      }
    }),
  );
  process.stdout.write(`writes to the leader ${leader}: ${(ops / seconds).toFixed(1)} ops/s\n`);
  for (const id of cluster.nodes.keys()) await cluster.kill(id, 'SIGTERM');
} finally {
  await cluster.close();
}
