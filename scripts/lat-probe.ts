import { encodeKvCommand, utf8 } from '@coffer/node';
import { Cluster } from '../test/cluster/harness.js';
const cluster = new Cluster();
try {
  await cluster.start(3);
  const leader = await cluster.waitForLeader(15_000);
  const value = utf8('v'.repeat(1024));
  for (const conc of [1, 8, 64]) {
    const lat: number[] = [];
    const end = performance.now() + 3000;
    await Promise.all(Array.from({ length: conc }, async (_, c) => {
      for (let seq = 1; performance.now() < end; seq++) {
        const cmd = encodeKvCommand({ op: 'put', key: utf8(`p${c}/${seq % 500}`), value });
        const t0 = performance.now();
        const r = await cluster.node(leader).client.propose({ clientId: `x${conc}-${c}`, seq }, cmd, 5000);
        if (r.ok) lat.push(performance.now() - t0);
      }
    }));
    lat.sort((a, b) => a - b);
    console.log(`conc ${conc}: ${(lat.length / 3).toFixed(0)} ops/s p50 ${lat[Math.floor(lat.length / 2)]?.toFixed(2)} ms p99 ${lat[Math.floor(lat.length * 0.99)]?.toFixed(2)}`);
  }
} finally {
  await cluster.close();
}
